// Hotels: create, read, change.

#include "api/catalogue_routes.hpp"
#include "api/json_out.hpp"
#include "api/route.hpp"
#include "core/catalogue_service.hpp"

namespace hotel::api {

namespace {

json::object hotel_json(const core::Hotel& h) {
    return {{"id", h.id},
            {"name", h.name},
            {"city", h.city},
            {"country", h.country},
            {"timezone", h.timezone},
            {"currency", h.currency},
            {"check_in_time", core::format_time_of_day(h.check_in_time)},
            {"check_out_time", core::format_time_of_day(h.check_out_time)}};
}

}  // namespace

void add_hotel_routes(http::Router& router, Services& s) {
    const auto authed = http::Access::authenticated;

    route(router, "POST", "/v1/hotels", authed, [&s](Call& c) -> asio::awaitable<Response> {
        if (!core::may_create_hotels(c.caller()))
            forbid("only admins create hotels");
        auto& body = c.body(
            {"name", "city", "country", "timezone", "currency", "check_in_time", "check_out_time"});
        core::HotelInput in;
        auto name = body.string("name");
        auto city = body.string("city");
        auto country = body.string("country");
        auto timezone = body.string("timezone");
        auto currency = body.string("currency");
        in.check_in_time = body.time_of_day("check_in_time", false);
        in.check_out_time = body.time_of_day("check_out_time", false);
        c.check();
        in.name = *name;
        in.city = *city;
        in.country = *country;
        in.timezone = *timezone;
        in.currency = *currency;
        auto result = co_await s.catalogue->create_hotel(c.caller(), std::move(in));
        const auto hotel = take(result);
        auto r = out::json(201, hotel_json(hotel));
        r.set_header("Location", "/v1/hotels/" + hotel.id);
        co_return r;
    });

    route(router, "GET", "/v1/hotels/{id}", http::Access::open,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              auto result = co_await s.catalogue->hotel(id);
              co_return out::json(200, hotel_json(take(result)));
          });

    auto taxes_json = [](const core::CatalogueService::HotelTaxes& t) {
        return json::object{
            {"vat_percent", out::nullable(t.vat_percent)},
            {"city_tax", t.city_tax ? json::value(out::money(*t.city_tax)) : json::value(nullptr)}};
    };
    route(router, "GET", "/v1/hotels/{id}/taxes", authed,
          [&s, taxes_json](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              auto result = co_await s.catalogue->taxes(c.caller(), id);
              co_return out::json(200, taxes_json(take(result)));
          });
    route(router, "PUT", "/v1/hotels/{id}/taxes", authed,
          [&s, taxes_json](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              auto& body = c.body({"vat_percent", "city_tax"});
              core::CatalogueService::TaxInput in;
              if (body.has("vat_percent") && !body.is_null("vat_percent")) {
                  in.vat_percent = body.string("vat_percent");
                  if (in.vat_percent && !core::is_percentage(*in.vat_percent))
                      body.reject("vat_percent",
                                  "must be a percentage below 100 with at most two decimals, "
                                  "as a string (\"10.00\")");
              }
              if (body.has("city_tax") && !body.is_null("city_tax")) {
                  const auto m = body.money("city_tax");
                  in.city_tax_amount = m.amount;
                  in.city_tax_currency = m.currency;
              }
              c.check();
              auto result = co_await s.catalogue->set_taxes(c.caller(), id, std::move(in));
              co_return out::json(200, taxes_json(take(result)));
          });

    route(router, "PATCH", "/v1/hotels/{id}", authed, [&s](Call& c) -> asio::awaitable<Response> {
        const auto id = c.path_uuid("id");
        static constexpr std::string_view fields[] = {
            "name", "city", "country", "timezone", "currency", "check_in_time", "check_out_time"};
        auto& body =
            c.body({fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6]});
        core::HotelPatch patch;
        patch.name = body.string("name", false);
        patch.city = body.string("city", false);
        patch.country = body.string("country", false);
        patch.timezone = body.string("timezone", false);
        patch.currency = body.string("currency", false);
        patch.check_in_time = body.time_of_day("check_in_time", false);
        patch.check_out_time = body.time_of_day("check_out_time", false);
        refuse_nulls(body,
                     {fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6]});
        c.check();
        auto result = co_await s.catalogue->update_hotel(c.caller(), id, std::move(patch));
        co_return out::json(200, hotel_json(take(result)));
    });
}

}  // namespace hotel::api
