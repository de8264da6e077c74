// Shopping (public): destinations, the city search, and one hotel's offers for a stay.

#include "api/catalogue_routes.hpp"
#include "api/json_out.hpp"
#include "api/json_text.hpp"
#include "api/route.hpp"
#include "core/catalogue_service.hpp"
#include "core/shopping.hpp"

namespace hotel::api {

namespace {

void money_text(JsonText& out, const core::Money& m) {
    out.begin_object().key("amount").string(m.amount());
    out.key("currency").string(m.currency.code()).end_object();
}

// An offer as JSON text: its plan, total, nightly breakdown and cancellation terms.
void offer_text(JsonText& out, const core::Offer& o, core::Date check_in) {
    const auto currency = o.quote.total.currency;
    out.begin_object().key("rate_plan").begin_object();
    out.key("id").string(o.plan.id).key("code").string(o.plan.code);
    out.key("name").string(o.plan.name).key("refundable").boolean(o.plan.policy.refundable);
    out.key("inclusions").begin_array();
    for (const auto& inc : o.plan.inclusions) {
        out.begin_object().key("name").string(inc.name).key("amount");
        if (inc.amount_minor > 0)
            money_text(out, core::Money{inc.amount_minor, currency});
        else
            out.null();
        out.end_object();
    }
    out.end_array().end_object();
    out.key("total");
    money_text(out, o.quote.total);
    out.key("nightly").begin_array();
    core::Date night = check_in;
    for (const auto& amount : o.quote.nightly) {
        out.begin_object().key("date").string(core::format_date(night)).key("amount");
        money_text(out, amount);
        out.end_object();
        night = core::add_days(night, 1);
    }
    out.end_array();
    out.key("cancellation").begin_object().key("free_until");
    if (o.free_until)
        out.string(core::format_instant(*o.free_until));
    else
        out.null();
    out.key("penalty").string(o.penalty).end_object();
    out.end_object();
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
    // Written as text without a DOM: an answer holds an object per night of every offer.
    JsonText out;
    out.begin_object().key("items").begin_array();
    for (const auto& t : take(result)) {
        out.begin_object().key("room_type").begin_object();
        out.key("id").string(t.type.id).key("code").string(t.type.code);
        out.key("name").string(t.type.name).key("max_occupancy").number(t.type.max_occupancy);
        out.end_object();
        out.key("available").number(t.available).key("offers").begin_array();
        for (const auto& o : t.offers)
            offer_text(out, o, *check_in);
        out.end_array().end_object();
    }
    out.end_array().end_object();
    co_return http::Response::json(200, out.take());
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
