// Shopping (public): destinations, the city search, and one hotel's offers for a stay.

#include "api/catalogue_routes.hpp"
#include "api/json_out.hpp"
#include "api/route.hpp"
#include "core/catalogue_service.hpp"
#include "core/shopping.hpp"

namespace hotel::api {

namespace {

json::object offer_json(const core::Offer& o, core::Date check_in) {
    json::array nightly;
    for (std::size_t i = 0; i < o.quote.nightly.size(); ++i)
        nightly.push_back(
            json::object{{"date", core::format_date(core::add_days(check_in, static_cast<int>(i)))},
                         {"amount", out::money(o.quote.nightly[i])}});
    return {
        {"rate_plan",
         json::object{{"id", o.plan.id},
                      {"code", o.plan.code},
                      {"name", o.plan.name},
                      {"refundable", o.plan.policy.refundable},
                      {"inclusions", inclusions_json(o.plan.inclusions, o.quote.total.currency)}}},
        {"total", out::money(o.quote.total)},
        {"nightly", std::move(nightly)},
        {"cancellation",
         json::object{{"free_until", o.free_until ? json::value(core::format_instant(*o.free_until))
                                                  : json::value(nullptr)},
                      {"penalty", o.penalty}}}};
}

json::object hit_json(const core::HotelHit& hit, bool dated) {
    json::object o{{"id", hit.hotel.id},
                   {"name", hit.hotel.name},
                   {"city", hit.hotel.city},
                   {"country", hit.hotel.country},
                   {"timezone", hit.hotel.timezone},
                   {"currency", hit.hotel.currency}};
    if (dated && hit.from_price)
        o["from_price"] = out::money(*hit.from_price);
    return o;
}

}  // namespace

asio::awaitable<Response> offers_response(Services& s, Call& c, const std::string& hotel_id) {
    auto& q = c.query();
    auto check_in = q.date("check_in", true);
    auto check_out = q.date("check_out", true);
    auto guests = q.integer("guests", 1, 50);
    c.check();
    const int people = static_cast<int>(guests.value_or(1));
    auto result = co_await s.shopping->offers(hotel_id, *check_in, *check_out, people);
    json::array items;
    for (const auto& t : take(result)) {
        json::array offers;
        for (const auto& o : t.offers)
            offers.push_back(offer_json(o, *check_in));
        items.push_back(
            json::object{{"room_type", json::object{{"id", t.type.id},
                                                    {"code", t.type.code},
                                                    {"name", t.type.name},
                                                    {"max_occupancy", t.type.max_occupancy}}},
                         {"available", t.available},
                         {"offers", std::move(offers)}});
    }
    co_return out::json(200, json::object{{"items", std::move(items)}});
}

void add_shopping_routes(http::Router& router, Services& s) {
    const auto open = http::Access::open;

    // Destination lookup: cities by prefix, for a search box.
    route(router, "GET", "/v1/destinations", open, [&s](Call& c) -> asio::awaitable<Response> {
        auto text = c.query().text("q", true);
        c.check();
        auto result = co_await s.shopping->destinations(*text);
        json::array items;
        for (const auto& d : take(result))
            items.push_back(
                json::object{{"city", d.city}, {"country", d.country}, {"hotels", d.hotels}});
        co_return out::json(200, json::object{{"items", std::move(items)}});
    });

    // The hotels of a city that can sell the stay, cheapest first; without a city, every hotel
    // by name (a search with dates or guests needs a city).
    route(router, "GET", "/v1/hotels", open, [&s](Call& c) -> asio::awaitable<Response> {
        auto& q = c.query();
        core::SearchQuery sq;
        auto city = q.text("city");
        sq.check_in = q.date("check_in");
        sq.check_out = q.date("check_out");
        auto guests = q.integer("guests", 1, 50);
        if (guests)
            sq.guests = static_cast<int>(*guests);
        const auto page = read_page(q);
        if (city && city->size() > 400)
            q.reject("city", "must be 1 to 100 characters");
        if (!city && (sq.check_in || sq.check_out || guests))
            q.reject("city", "is required for a search with dates or guests");
        c.check();
        if (!city) {
            auto listed = co_await s.catalogue->hotels(page.page, page.per_page);
            const auto all = take(listed);
            auto items = out::array(all.items, [](const core::Hotel& hotel) {
                return hit_json(core::HotelHit{hotel, std::nullopt}, false);
            });
            co_return out::json(200, json::object{{"items", std::move(items)},
                                                  {"page", page.page},
                                                  {"per_page", page.per_page},
                                                  {"total", all.total}});
        }
        sq.city = *city;
        sq.page = page.page;
        sq.per_page = page.per_page;
        const bool dated = sq.check_in.has_value();
        auto result = co_await s.shopping->search(std::move(sq));
        const auto found = take(result);
        auto items = out::array(
            found.items, [dated](const core::HotelHit& hit) { return hit_json(hit, dated); });
        co_return out::json(200, json::object{{"items", std::move(items)},
                                              {"page", page.page},
                                              {"per_page", page.per_page},
                                              {"total", found.total}});
    });

    route(router, "GET", "/v1/hotels/{id}/offers", open,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              co_return co_await offers_response(s, c, id);
          });
}

}  // namespace hotel::api
