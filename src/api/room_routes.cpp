// Room types, rooms and out-of-service periods.

#include "api/catalogue_routes.hpp"
#include "api/json_out.hpp"
#include "api/route.hpp"
#include "core/catalogue_service.hpp"

namespace hotel::api {

namespace {

json::object room_type_json(const core::RoomType& t) {
    return {{"id", t.id},
            {"hotel_id", t.hotel_id},
            {"code", t.code},
            {"name", t.name},
            {"max_occupancy", t.max_occupancy},
            {"description", out::nullable(t.description)}};
}

json::object room_json(const core::Room& r) {
    return {{"id", r.id},
            {"hotel_id", r.hotel_id},
            {"room_type_id", r.room_type_id},
            {"number", r.number},
            {"floor", out::nullable(r.floor)}};
}

}  // namespace

json::object out_of_service_json(const core::OutOfService& o) {
    return {{"id", o.id},
            {"hotel_id", o.hotel_id},
            {"room_id", o.room_id},
            {"from", core::format_date(o.from)},
            {"to", core::format_date(o.to)},
            {"reason", o.reason}};
}

void add_retire_route(http::Router& router, Services& s, std::string_view pattern,
                      std::string item_param, Retire retire) {
    route(router, "DELETE", pattern, http::Access::authenticated,
          [&s, item_param = std::move(item_param), retire](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              const auto item = c.path_uuid(item_param);
              auto result = co_await (s.catalogue->*retire)(c.caller(), id, item);
              take(result);
              co_return out::no_content();
          });
}

void add_room_routes(http::Router& router, Services& s) {
    const auto authed = http::Access::authenticated;
    add_retire_route(router, s, "/v1/hotels/{id}/room-types/{type_id}", "type_id",
                     &core::CatalogueService::retire_room_type);
    add_retire_route(router, s, "/v1/hotels/{id}/rooms/{room_id}", "room_id",
                     &core::CatalogueService::retire_room);
    add_retire_route(router, s, "/v1/hotels/{id}/out-of-service/{oos_id}", "oos_id",
                     &core::CatalogueService::lift_out_of_service);

    // --- room types -----------------------------------------------------------------------------
    route(router, "POST", "/v1/hotels/{id}/room-types", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              auto& body = c.body({"code", "name", "max_occupancy", "description"});
              auto code = body.string("code");
              auto name = body.string("name");
              auto occupancy = body.integer("max_occupancy");
              auto description = body.string("description", false);
              c.check();
              core::RoomTypeInput in{*code, *name, *occupancy, description};
              auto result = co_await s.catalogue->create_room_type(c.caller(), id, std::move(in));
              co_return out::json(201, room_type_json(take(result)));
          });

    route(router, "GET", "/v1/hotels/{id}/room-types", http::Access::open,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              const auto page = read_page(c.query());
              c.check();
              auto result = co_await s.catalogue->room_types(id);
              co_return out::page(take(result), page, room_type_json);
          });

    route(router, "PATCH", "/v1/hotels/{id}/room-types/{type_id}", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              const auto type_id = c.path_uuid("type_id");
              auto& body = c.body({"code", "name", "max_occupancy", "description"});
              refuse_nulls(body, {"code", "name", "max_occupancy"});
              core::RoomTypePatch patch;
              patch.code = body.string("code", false);
              patch.name = body.string("name", false);
              patch.max_occupancy = body.integer("max_occupancy", false);
              patch.description = patch_of(body, "description", body.string("description", false));
              c.check();
              auto result =
                  co_await s.catalogue->update_room_type(c.caller(), id, type_id, std::move(patch));
              co_return out::json(200, room_type_json(take(result)));
          });

    // --- rooms ----------------------------------------------------------------------------------
    route(router, "POST", "/v1/hotels/{id}/rooms", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              auto& body = c.body({"number", "room_type_id", "floor"});
              auto number = body.string("number");
              auto type = body.uuid("room_type_id");
              auto floor = body.integer("floor", false);
              c.check();
              core::RoomInput in{*number, *type, floor};
              auto result = co_await s.catalogue->create_room(c.caller(), id, std::move(in));
              co_return out::json(201, room_json(take(result)));
          });

    // GET /v1/hotels/{id}/rooms had two meanings in API.md: with a stay (check_in, check_out)
    // the public offers, without it the staff list of physical rooms. The stay form keeps
    // working for existing clients, marked deprecated (RFC 9745) with a link to its successor.
    route(router, "GET", "/v1/hotels/{id}/rooms", http::Access::optional,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              auto& q = c.query();
              if (q.text("check_in") || q.text("check_out")) {
                  auto r = co_await offers_response(s, c, id);
                  r.set_header("Deprecation", "@1795996800");  // 2026-11-30
                  r.set_header("Link", "</v1/hotels/" + id + "/offers>; rel=\"successor-version\"");
                  co_return r;
              }
              if (!c.has_caller()) {
                  auto r = problem(401, "unauthorized",
                                   "Send an access token, or a stay (check_in, check_out) for "
                                   "offers.");
                  r.set_header("WWW-Authenticate", "Bearer");
                  co_return r;
              }
              const auto page = read_page(q);
              c.check();
              auto result = co_await s.catalogue->rooms(c.caller(), id);
              co_return out::page(take(result), page, room_json);
          });

    route(router, "PATCH", "/v1/hotels/{id}/rooms/{room_id}", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              const auto room_id = c.path_uuid("room_id");
              auto& body = c.body({"number", "room_type_id", "floor"});
              refuse_nulls(body, {"number", "room_type_id"});
              core::RoomPatch patch;
              patch.number = body.string("number", false);
              patch.room_type_id = body.uuid("room_type_id", false);
              patch.floor = patch_of(body, "floor", body.integer("floor", false));
              c.check();
              auto result =
                  co_await s.catalogue->update_room(c.caller(), id, room_id, std::move(patch));
              co_return out::json(200, room_json(take(result)));
          });

    // --- out of service -------------------------------------------------------------------------
    route(router, "GET", "/v1/hotels/{id}/out-of-service", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              auto& q = c.query();
              const auto range = read_range(q);
              auto room = q.uuid("room_id", false);
              const auto page = read_page(q);
              c.check();
              auto result = co_await s.catalogue->out_of_service(c.caller(), id, range->from,
                                                                 range->to, std::move(room));
              co_return out::page(take(result), page, out_of_service_json);
          });

    route(router, "PATCH", "/v1/hotels/{id}/out-of-service/{oos_id}", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              const auto oos_id = c.path_uuid("oos_id");
              auto& body = c.body({"from", "to", "reason"});
              refuse_nulls(body, {"from", "to", "reason"});
              core::OutOfServicePatch patch;
              patch.from = body.date("from", false);
              patch.to = body.date("to", false);
              patch.reason = body.string("reason", false);
              c.check();
              auto result = co_await s.catalogue->change_out_of_service(c.caller(), id, oos_id,
                                                                        std::move(patch));
              co_return out::json(200, out_of_service_json(take(result)));
          });

    route(router, "POST", "/v1/hotels/{id}/rooms/{room_id}/out-of-service", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              const auto room_id = c.path_uuid("room_id");
              auto& body = c.body({"from", "to", "reason"});
              auto from = body.date("from");
              auto to = body.date("to");
              auto reason = body.string("reason");
              c.check();
              auto result = co_await s.catalogue->take_out_of_service(c.caller(), id, room_id,
                                                                      *from, *to, *reason);
              co_return out::json(201, out_of_service_json(take(result)));
          });
}

}  // namespace hotel::api
