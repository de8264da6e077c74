// The front desk (issue 13, part 3): arrivals, departures and in house on a date of the hotel,
// and the room chart for a tape chart.

#include "api/booking_routes.hpp"
#include "api/catalogue_routes.hpp"
#include "api/json_out.hpp"
#include "api/route.hpp"
#include "core/front_desk.hpp"

namespace hotel::api {

namespace {

// Staff see every booking with its room.
json::object staff_view(const core::Booking& b) {
    return booking_json(b, true);
}

json::object housekeeping_json(const core::RoomHousekeeping& h) {
    return {{"room_id", h.room_id},
            {"number", h.number},
            {"floor", out::nullable(h.floor)},
            {"room_type_id", h.room_type_id},
            {"status", std::string(core::to_string(h.status))},
            {"updated_at", h.updated_at ? json::value(core::format_instant(*h.updated_at))
                                        : json::value(nullptr)},
            {"occupied", h.occupied}};
}

// A stay as a tape chart draws it (`view=bars`): a tenth of a whole booking's bytes.
json::object bar_json(const core::ChartStay& b) {
    return {{"id", b.id},
            {"status", std::string(core::to_string(b.status))},
            {"version", b.version},
            {"room_type_id", b.room_type_id},
            {"rate_plan_id", b.rate_plan_id},
            {"guest_name", b.guest_name.empty() ? json::value(nullptr) : json::value(b.guest_name)},
            {"guests", b.guests},
            {"check_in", core::format_date(b.check_in)},
            {"check_out", core::format_date(b.check_out)}};
}

json::object moved_out_json(const core::MovedOut& m) {
    return {{"booking_id", m.booking_id},
            {"from", core::format_date(m.from)},
            {"to", core::format_date(m.to)}};
}

}  // namespace

void add_front_desk_routes(http::Router& router, Services& s) {
    const auto authed = http::Access::authenticated;

    for (const auto& [suffix, which] : {std::pair{"/arrivals", core::FrontDeskList::arrivals},
                                        std::pair{"/departures", core::FrontDeskList::departures},
                                        std::pair{"/in-house", core::FrontDeskList::in_house}}) {
        route(router, "GET", std::string("/v1/hotels/{id}") + suffix, authed,
              [&s, which = which](Call& c) -> asio::awaitable<Response> {
                  const auto id = c.path_uuid("id");
                  auto& q = c.query();
                  auto date = q.date("date");
                  const auto page = read_page(q);
                  c.check();
                  auto result = co_await s.front_desk->list(
                      c.caller(), id, which, date, (page.page - 1) * page.per_page, page.per_page);
                  const auto found = take(result);
                  auto items = out::array(found.page.items, staff_view);
                  co_return out::json(200, json::object{{"date", core::format_date(found.date)},
                                                        {"items", std::move(items)},
                                                        {"page", page.page},
                                                        {"per_page", page.per_page},
                                                        {"total", found.page.total}});
              });
    }

    route(router, "GET", "/v1/hotels/{id}/room-chart", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              auto& q = c.query();
              const auto range = read_range(q);
              bool bars = false;
              if (const auto view = q.text("view")) {
                  if (*view == "bars")
                      bars = true;
                  else if (*view != "full")
                      q.reject("view", "must be full or bars");
              }
              c.check();
              auto result = co_await s.front_desk->room_chart(
                  c.caller(), id, range->from, range->to,
                  bars ? core::RoomChartDetail::bars : core::RoomChartDetail::bookings);
              const auto chart = take(result);
              json::array rooms;
              for (const auto& row : chart.rooms) {
                  rooms.push_back(
                      json::object{{"id", row.room.id},
                                   {"number", row.room.number},
                                   {"floor", out::nullable(row.room.floor)},
                                   {"room_type_id", row.room.room_type_id},
                                   {"stays", bars ? out::array(row.bars, bar_json)
                                                  : out::array(row.stays, staff_view)},
                                   {"out_of_service", out::array(row.blocks, out_of_service_json)},
                                   {"moved_out", out::array(row.moved_out, moved_out_json)}});
              }
              co_return out::json(200, json::object{{"from", core::format_date(chart.from)},
                                                    {"to", core::format_date(chart.to)},
                                                    {"rooms", std::move(rooms)}});
          });

    route(router, "GET", "/v1/hotels/{id}/invoices", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              auto& q = c.query();
              const auto range = read_range(q);
              const auto page = read_page(q);
              c.check();
              auto result =
                  co_await s.front_desk->invoices(c.caller(), id, range->from, range->to,
                                                  (page.page - 1) * page.per_page, page.per_page);
              const auto found = take(result);
              co_return out::json(200,
                                  json::object{{"items", out::array(found.items, invoice_json)},
                                               {"page", page.page},
                                               {"per_page", page.per_page},
                                               {"total", found.total}});
          });

    route(router, "GET", "/v1/hotels/{id}/housekeeping", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              auto result = co_await s.front_desk->housekeeping(c.caller(), id);
              co_return out::json(
                  200, json::object{{"items", out::array(take(result), housekeeping_json)}});
          });

    route(router, "PATCH", "/v1/hotels/{id}/rooms/{room_id}/housekeeping", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              const auto room_id = c.path_uuid("room_id");
              auto& body = c.body({"status"});
              std::optional<core::Housekeeping> status;
              if (auto text = body.string("status")) {
                  status = core::parse_housekeeping(*text);
                  if (!status)
                      body.reject("status", "must be clean, dirty, inspected or out_of_order");
              }
              c.check();
              auto result =
                  co_await s.front_desk->set_housekeeping(c.caller(), id, room_id, *status);
              co_return out::json(200, housekeeping_json(take(result)));
          });
}

}  // namespace hotel::api
