// The managers' reports (issue 13, part 5): occupancy and pickup over a range of nights. The
// figures are core's (core/reports.hpp); this file reads the query and renders them.

#include "api/report_routes.hpp"

#include "api/json_out.hpp"
#include "api/route.hpp"
#include "core/reports.hpp"

namespace hotel::api {

namespace {

json::value nullable_money(const std::optional<core::Money>& m) {
    return m ? json::value(out::money(*m)) : json::value(nullptr);
}

// One night's figures (with its date) or the totals (without).
json::object figures_json(const core::OccupancyFigures& f, std::optional<core::Date> date = {}) {
    json::object o;
    if (date)
        o["date"] = core::format_date(*date);
    for (auto&& [key, value] :
         json::object{{"rooms_available", f.rooms_available},
                      {"rooms_sold", f.rooms_sold},
                      {"occupancy_percent", out::nullable(f.occupancy_percent)},
                      {"room_revenue", out::money(f.room_revenue)},
                      {"adr", nullable_money(f.adr)},
                      {"revpar", nullable_money(f.revpar)}})
        o[key] = value;
    return o;
}

json::object books_json(const core::OnTheBooks& b) {
    return {{"room_nights", b.room_nights}, {"room_revenue", out::money(b.room_revenue)}};
}

// One stay date's figures (with its date) or the totals (without).
json::object pickup_json(const core::PickupDay& d, bool with_date) {
    json::object o;
    if (with_date)
        o["date"] = core::format_date(d.date);
    o["as_of"] = books_json(d.as_of);
    o["now"] = books_json(d.now);
    o["pickup"] = books_json(d.pickup);
    return o;
}

}  // namespace

void add_report_routes(http::Router& router, Services& s) {
    const auto authed = http::Access::authenticated;

    route(router, "GET", "/v1/hotels/{id}/reports/occupancy", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              const auto range = read_range(c.query());
              c.check();
              auto result = co_await s.reports->occupancy(c.caller(), id, range->from, range->to);
              const auto report = take(result);
              json::array days;
              for (const auto& day : report.days)
                  days.push_back(figures_json(day.figures, day.date));
              co_return out::json(200, json::object{{"hotel_id", id},
                                                    {"from", core::format_date(report.from)},
                                                    {"to", core::format_date(report.to)},
                                                    {"currency", report.currency.code()},
                                                    {"days", std::move(days)},
                                                    {"totals", figures_json(report.totals)}});
          });

    route(router, "GET", "/v1/hotels/{id}/reports/pickup", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              auto& q = c.query();
              const auto range = read_range(q);
              std::optional<core::AsOf> as_of;
              if (auto text = q.text("as_of", true)) {
                  as_of = core::parse_as_of(*text);
                  if (!as_of)
                      q.reject("as_of", "must be a date (YYYY-MM-DD) or an RFC 3339 instant");
              }
              c.check();
              auto result =
                  co_await s.reports->pickup(c.caller(), id, range->from, range->to, *as_of);
              const auto report = take(result);
              json::array days;
              for (const auto& day : report.days)
                  days.push_back(pickup_json(day, true));
              co_return out::json(200, json::object{{"hotel_id", id},
                                                    {"from", core::format_date(report.from)},
                                                    {"to", core::format_date(report.to)},
                                                    {"as_of", core::format_instant(report.as_of)},
                                                    {"currency", report.currency.code()},
                                                    {"days", std::move(days)},
                                                    {"totals", pickup_json(report.totals, false)}});
          });
}

}  // namespace hotel::api
