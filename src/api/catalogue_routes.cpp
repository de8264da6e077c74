#include "api/catalogue_routes.hpp"

#include <boost/json.hpp>

#include "api/caller.hpp"
#include "api/json_body.hpp"
#include "api/problems.hpp"
#include "api/query.hpp"
#include "core/catalogue_service.hpp"
#include "core/infrastructure.hpp"
#include "core/money.hpp"
#include "core/shopping.hpp"

namespace hotel::api {

namespace asio = boost::asio;
namespace json = boost::json;
using http::Request;
using http::Response;
using Kind = core::CatalogueError::Kind;

namespace {

Response catalogue_problem(const core::CatalogueError& e) {
    switch (e.kind) {
        case Kind::forbidden:
            return problem(403, "forbidden", e.message);
        case Kind::not_found:
            return problem(404, "not_found", e.message);
        case Kind::conflict: {
            std::vector<http::FieldError> errors;
            if (!e.field.empty())
                errors.push_back({e.field, e.message});
            return Response::from(
                http::make_problem(409, "conflict", "Conflict", e.message, errors));
        }
        case Kind::unprocessable:
            return unprocessable(e.field, e.message);
    }
    return problem(500, "internal", "unexpected catalogue failure");
}

json::value opt(const std::optional<std::string>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}
template <class T>
json::value opt_num(const std::optional<T>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

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

json::object room_type_json(const core::RoomType& t) {
    return {
        {"id", t.id},     {"hotel_id", t.hotel_id},           {"code", t.code},
        {"name", t.name}, {"max_occupancy", t.max_occupancy}, {"description", opt(t.description)}};
}

json::object room_json(const core::Room& r) {
    return {{"id", r.id},
            {"hotel_id", r.hotel_id},
            {"room_type_id", r.room_type_id},
            {"number", r.number},
            {"floor", opt_num(r.floor)}};
}

json::object rate_plan_json(const core::RatePlan& p) {
    json::object o{{"id", p.id},
                   {"hotel_id", p.hotel_id},
                   {"code", p.code},
                   {"name", p.name},
                   {"refundable", p.policy.refundable}};
    if (p.policy.refundable) {
        o["free_cancellation_hours"] = p.policy.free_cancellation_hours;
        o["penalty"] = p.policy.penalty.to_string();
    } else {
        // Never free to cancel: the whole stay, as offers and bookings of the plan say.
        o["free_cancellation_hours"] = nullptr;
        o["penalty"] = "full_stay";
    }
    return o;
}

json::value money_json(std::optional<std::int64_t> minor, const std::string& currency) {
    if (!minor)
        return nullptr;
    const auto c = core::Currency::of(currency);
    if (!c)
        return nullptr;
    return json::object{{"amount", core::Money{*minor, *c}.amount()}, {"currency", currency}};
}

template <class T, class F>
Response page_of(const std::vector<T>& all, const Page& page, F to_json) {
    json::array items;
    const auto start = static_cast<std::size_t>((page.page - 1) * page.per_page);
    for (std::size_t i = start;
         i < all.size() && i < start + static_cast<std::size_t>(page.per_page); ++i)
        items.push_back(to_json(all[i]));
    json::object o{{"items", std::move(items)},
                   {"page", page.page},
                   {"per_page", page.per_page},
                   {"total", static_cast<std::int64_t>(all.size())}};
    return Response::json(200, json::serialize(o));
}

Response bad_id(const char* field) {
    return Response::from(http::make_problem(400, "validation_failed", "Validation failed",
                                             "The path holds a malformed id.",
                                             {{field, "must be a UUID"}}));
}

std::optional<core::TimeOfDay> read_time(JsonBody& body, std::string_view field) {
    auto text = body.string(field, false);
    if (!text)
        return std::nullopt;
    auto t = core::parse_time_of_day(*text);
    if (!t)
        body.reject(std::string(field), "must be a time of day, HH:MM");
    return t;
}

std::optional<core::Date> read_date(JsonBody& body, std::string_view field) {
    auto text = body.string(field);
    if (!text)
        return std::nullopt;
    auto d = core::parse_date(*text);
    if (!d)
        body.reject(std::string(field), "must be a date, YYYY-MM-DD");
    return d;
}

std::optional<std::string> read_uuid(JsonBody& body, std::string_view field) {
    auto text = body.string(field);
    if (text && !core::is_uuid(*text)) {
        body.reject(std::string(field), "must be a UUID");
        return std::nullopt;
    }
    return text;
}

Response shopping_problem(const core::ShoppingError& e) {
    std::vector<http::FieldError> errors;
    if (!e.field.empty())
        errors.push_back({e.field, e.message});
    switch (e.kind) {
        case core::ShoppingError::Kind::invalid:
            return Response::from(http::make_problem(400, "validation_failed", "Validation failed",
                                                     e.message, errors));
        case core::ShoppingError::Kind::unprocessable:
            return Response::from(
                http::make_problem(422, "unprocessable", "Unprocessable", e.message, errors));
        case core::ShoppingError::Kind::not_found:
            return problem(404, "not_found", e.message);
    }
    return problem(500, "internal", "unexpected shopping failure");
}

asio::awaitable<Response> offers_response(Services& s, Request& req, const std::string& hotel_id) {
    Query q(req.query);
    auto check_in = q.date("check_in", true);
    auto check_out = q.date("check_out", true);
    auto guests = q.integer("guests", 1, 50);
    if (!q.ok())
        co_return q.problem();
    const int people = static_cast<int>(guests.value_or(1));
    auto result = co_await s.shopping->offers(hotel_id, *check_in, *check_out, people);
    if (!result)
        co_return shopping_problem(result.error());
    json::array items;
    for (const auto& t : *result) {
        json::array offers;
        for (const auto& o : t.offers) {
            json::array nightly;
            for (std::size_t i = 0; i < o.quote.nightly.size(); ++i)
                nightly.push_back(json::object{
                    {"date", core::format_date(core::add_days(*check_in, static_cast<int>(i)))},
                    {"amount", json::object{{"amount", o.quote.nightly[i].amount()},
                                            {"currency", o.quote.nightly[i].currency.code()}}}});
            offers.push_back(json::object{
                {"rate_plan", json::object{{"id", o.plan.id},
                                           {"code", o.plan.code},
                                           {"name", o.plan.name},
                                           {"refundable", o.plan.policy.refundable}}},
                {"total", json::object{{"amount", o.quote.total.amount()},
                                       {"currency", o.quote.total.currency.code()}}},
                {"nightly", std::move(nightly)},
                {"cancellation",
                 json::object{
                     {"free_until", o.free_until ? json::value(core::format_instant(*o.free_until))
                                                 : json::value(nullptr)},
                     {"penalty", o.penalty}}}});
        }
        items.push_back(
            json::object{{"room_type", json::object{{"id", t.type.id},
                                                    {"code", t.type.code},
                                                    {"name", t.type.name},
                                                    {"max_occupancy", t.type.max_occupancy}}},
                         {"available", t.available},
                         {"offers", std::move(offers)}});
    }
    json::object out{{"items", std::move(items)}};
    co_return Response::json(200, json::serialize(out));
}

}  // namespace

void add_catalogue_routes(http::Router& router, Services& s) {
    const auto authed = http::Access::authenticated;

    // --- hotels -----------------------------------------------------------------------------
    router.add(
        "POST", "/v1/hotels",
        [&s](Request& req) -> asio::awaitable<Response> {
            co_return co_await guarded(req, [&]() -> asio::awaitable<Response> {
                auto caller = caller_of(req);
                if (!caller)
                    co_return invalid_caller();
                if (!core::may_create_hotels(*caller))
                    co_return problem(403, "forbidden", "only admins create hotels");
                JsonBody body(req, {"name", "city", "country", "timezone", "currency",
                                    "check_in_time", "check_out_time"});
                core::HotelInput in;
                auto name = body.string("name");
                auto city = body.string("city");
                auto country = body.string("country");
                auto timezone = body.string("timezone");
                auto currency = body.string("currency");
                in.check_in_time = read_time(body, "check_in_time");
                in.check_out_time = read_time(body, "check_out_time");
                if (!body.ok())
                    co_return body.problem();
                in.name = *name;
                in.city = *city;
                in.country = *country;
                in.timezone = *timezone;
                in.currency = *currency;
                auto result = co_await s.catalogue->create_hotel(*caller, std::move(in));
                if (!result)
                    co_return catalogue_problem(result.error());
                auto r = Response::json(201, json::serialize(hotel_json(*result)));
                r.set_header("Location", "/v1/hotels/" + result->id);
                co_return r;
            });
        },
        authed);

    router.add("GET", "/v1/hotels/{id}", [&s](Request& req) -> asio::awaitable<Response> {
        co_return co_await guarded(req, [&]() -> asio::awaitable<Response> {
            const std::string id(req.param("id"));
            if (!core::is_uuid(id))
                co_return bad_id("id");
            auto result = co_await s.catalogue->hotel(id);
            if (!result)
                co_return catalogue_problem(result.error());
            co_return Response::json(200, json::serialize(hotel_json(*result)));
        });
    });

    router.add(
        "PATCH", "/v1/hotels/{id}",
        [&s](Request& req) -> asio::awaitable<Response> {
            co_return co_await guarded(req, [&]() -> asio::awaitable<Response> {
                auto caller = caller_of(req);
                if (!caller)
                    co_return invalid_caller();
                const std::string id(req.param("id"));
                if (!core::is_uuid(id))
                    co_return bad_id("id");
                JsonBody body(req, {"name", "city", "country", "timezone", "currency",
                                    "check_in_time", "check_out_time"});
                core::HotelPatch patch;
                patch.name = body.string("name", false);
                patch.city = body.string("city", false);
                patch.country = body.string("country", false);
                patch.timezone = body.string("timezone", false);
                patch.currency = body.string("currency", false);
                patch.check_in_time = read_time(body, "check_in_time");
                patch.check_out_time = read_time(body, "check_out_time");
                for (const char* f : {"name", "city", "country", "timezone", "currency",
                                      "check_in_time", "check_out_time"})
                    if (body.is_null(f))
                        body.reject(f, "cannot be null");
                if (!body.ok())
                    co_return body.problem();
                auto result = co_await s.catalogue->update_hotel(*caller, id, std::move(patch));
                if (!result)
                    co_return catalogue_problem(result.error());
                co_return Response::json(200, json::serialize(hotel_json(*result)));
            });
        },
        authed);

    // Shopping: hotels of a city that can sell the stay, cheapest first.
    // Destination lookup (public): cities by prefix, for a search box.
    router.add("GET", "/v1/destinations", [&s](Request& req) -> asio::awaitable<Response> {
        co_return co_await guarded(req, [&]() -> asio::awaitable<Response> {
            Query q(req.query);
            auto text = q.text("q", true);
            if (!q.ok())
                co_return q.problem();
            auto result = co_await s.shopping->destinations(*text);
            if (!result)
                co_return shopping_problem(result.error());
            json::array items;
            for (const auto& d : *result)
                items.push_back(
                    json::object{{"city", d.city}, {"country", d.country}, {"hotels", d.hotels}});
            co_return Response::json(200, json::serialize(json::object{{"items", std::move(items)}}));
        });
    });

    router.add("GET", "/v1/hotels", [&s](Request& req) -> asio::awaitable<Response> {
        co_return co_await guarded(req, [&]() -> asio::awaitable<Response> {
            Query q(req.query);
            core::SearchQuery sq;
            auto city = q.text("city", true);
            sq.check_in = q.date("check_in");
            sq.check_out = q.date("check_out");
            if (auto g = q.integer("guests", 1, 50))
                sq.guests = static_cast<int>(*g);
            const auto page = read_page(q);
            if (city && city->size() > 400)
                q.reject("city", "must be 1 to 100 characters");
            if (!q.ok())
                co_return q.problem();
            sq.city = *city;
            sq.page = page.page;
            sq.per_page = page.per_page;
            const bool dated = sq.check_in.has_value();
            auto result = co_await s.shopping->search(std::move(sq));
            if (!result)
                co_return shopping_problem(result.error());
            json::array items;
            for (const auto& hit : result->items) {
                json::object o{{"id", hit.hotel.id},
                               {"name", hit.hotel.name},
                               {"city", hit.hotel.city},
                               {"country", hit.hotel.country},
                               {"timezone", hit.hotel.timezone},
                               {"currency", hit.hotel.currency}};
                if (dated && hit.from_price)
                    o["from_price"] = json::object{{"amount", hit.from_price->amount()},
                                                   {"currency", hit.from_price->currency.code()}};
                items.push_back(std::move(o));
            }
            json::object out{{"items", std::move(items)},
                             {"page", page.page},
                             {"per_page", page.per_page},
                             {"total", result->total}};
            co_return Response::json(200, json::serialize(out));
        });
    });

    // --- room types -------------------------------------------------------------------------
    router.add(
        "POST", "/v1/hotels/{id}/room-types",
        [&s](Request& req) -> asio::awaitable<Response> {
            co_return co_await guarded(req, [&]() -> asio::awaitable<Response> {
                auto caller = caller_of(req);
                if (!caller)
                    co_return invalid_caller();
                const std::string id(req.param("id"));
                if (!core::is_uuid(id))
                    co_return bad_id("id");
                JsonBody body(req, {"code", "name", "max_occupancy", "description"});
                auto code = body.string("code");
                auto name = body.string("name");
                auto occupancy = body.integer("max_occupancy");
                auto description = body.string("description", false);
                if (!body.ok())
                    co_return body.problem();
                core::RoomTypeInput in{*code, *name, *occupancy, description};
                auto result = co_await s.catalogue->create_room_type(*caller, id, std::move(in));
                if (!result)
                    co_return catalogue_problem(result.error());
                co_return Response::json(201, json::serialize(room_type_json(*result)));
            });
        },
        authed);

    router.add("GET", "/v1/hotels/{id}/room-types",
               [&s](Request& req) -> asio::awaitable<Response> {
                   co_return co_await guarded(req, [&]() -> asio::awaitable<Response> {
                       const std::string id(req.param("id"));
                       if (!core::is_uuid(id))
                           co_return bad_id("id");
                       Query q(req.query);
                       const auto page = read_page(q);
                       if (!q.ok())
                           co_return q.problem();
                       auto result = co_await s.catalogue->room_types(id);
                       if (!result)
                           co_return catalogue_problem(result.error());
                       co_return page_of(*result, page, room_type_json);
                   });
               });

    // --- rooms ------------------------------------------------------------------------------
    router.add(
        "POST", "/v1/hotels/{id}/rooms",
        [&s](Request& req) -> asio::awaitable<Response> {
            co_return co_await guarded(req, [&]() -> asio::awaitable<Response> {
                auto caller = caller_of(req);
                if (!caller)
                    co_return invalid_caller();
                const std::string id(req.param("id"));
                if (!core::is_uuid(id))
                    co_return bad_id("id");
                JsonBody body(req, {"number", "room_type_id", "floor"});
                auto number = body.string("number");
                auto type = read_uuid(body, "room_type_id");
                auto floor = body.integer("floor", false);
                if (!body.ok())
                    co_return body.problem();
                core::RoomInput in{*number, *type, floor};
                auto result = co_await s.catalogue->create_room(*caller, id, std::move(in));
                if (!result)
                    co_return catalogue_problem(result.error());
                co_return Response::json(201, json::serialize(room_json(*result)));
            });
        },
        authed);

    // Offers of one hotel for a stay (public): their own path since issue 16.
    router.add("GET", "/v1/hotels/{id}/offers", [&s](Request& req) -> asio::awaitable<Response> {
        co_return co_await guarded(req, [&]() -> asio::awaitable<Response> {
            const std::string id(req.param("id"));
            if (!core::is_uuid(id))
                co_return bad_id("id");
            co_return co_await offers_response(s, req, id);
        });
    });

    // GET /v1/hotels/{id}/rooms had two meanings in API.md: with a stay (check_in, check_out)
    // the public offers, without it the staff list of physical rooms. The stay form keeps
    // working for existing clients, marked deprecated (RFC 9745) with a link to its successor.
    router.add(
        "GET", "/v1/hotels/{id}/rooms",
        [&s](Request& req) -> asio::awaitable<Response> {
            co_return co_await guarded(req, [&]() -> asio::awaitable<Response> {
                const std::string id(req.param("id"));
                if (!core::is_uuid(id))
                    co_return bad_id("id");
                Query q(req.query);
                if (q.text("check_in") || q.text("check_out")) {
                    auto r = co_await offers_response(s, req, id);
                    r.set_header("Deprecation", "@1795996800");  // 2026-11-30
                    r.set_header("Link",
                                 "</v1/hotels/" + id + "/offers>; rel=\"successor-version\"");
                    co_return r;
                }
                if (!req.principal) {
                    auto r = problem(
                        401, "unauthorized",
                        "Send an access token, or a stay (check_in, check_out) for offers.");
                    r.set_header("WWW-Authenticate", "Bearer");
                    co_return r;
                }
                auto caller = caller_of(req);
                if (!caller)
                    co_return invalid_caller();
                const auto page = read_page(q);
                if (!q.ok())
                    co_return q.problem();
                auto result = co_await s.catalogue->rooms(*caller, id);
                if (!result)
                    co_return catalogue_problem(result.error());
                co_return page_of(*result, page, room_json);
            });
        },
        http::Access::optional);

    router.add(
        "POST", "/v1/hotels/{id}/rooms/{room_id}/out-of-service",
        [&s](Request& req) -> asio::awaitable<Response> {
            co_return co_await guarded(req, [&]() -> asio::awaitable<Response> {
                auto caller = caller_of(req);
                if (!caller)
                    co_return invalid_caller();
                const std::string id(req.param("id"));
                const std::string room_id(req.param("room_id"));
                if (!core::is_uuid(id))
                    co_return bad_id("id");
                if (!core::is_uuid(room_id))
                    co_return bad_id("room_id");
                JsonBody body(req, {"from", "to", "reason"});
                auto from = read_date(body, "from");
                auto to = read_date(body, "to");
                auto reason = body.string("reason");
                if (!body.ok())
                    co_return body.problem();
                auto result = co_await s.catalogue->take_out_of_service(*caller, id, room_id, *from,
                                                                        *to, *reason);
                if (!result)
                    co_return catalogue_problem(result.error());
                const auto& o = *result;
                json::object out{{"id", o.id},
                                 {"hotel_id", o.hotel_id},
                                 {"room_id", o.room_id},
                                 {"from", core::format_date(o.from)},
                                 {"to", core::format_date(o.to)},
                                 {"reason", o.reason}};
                co_return Response::json(201, json::serialize(out));
            });
        },
        authed);

    // --- rate plans -------------------------------------------------------------------------
    router.add(
        "POST", "/v1/hotels/{id}/rate-plans",
        [&s](Request& req) -> asio::awaitable<Response> {
            co_return co_await guarded(req, [&]() -> asio::awaitable<Response> {
                auto caller = caller_of(req);
                if (!caller)
                    co_return invalid_caller();
                const std::string id(req.param("id"));
                if (!core::is_uuid(id))
                    co_return bad_id("id");
                JsonBody body(req,
                              {"code", "name", "refundable", "free_cancellation_hours", "penalty"});
                auto code = body.string("code");
                auto name = body.string("name");
                auto refundable = body.boolean("refundable");
                auto hours = body.integer("free_cancellation_hours", false);
                auto penalty = body.string("penalty", false);
                if (!body.ok())
                    co_return body.problem();
                core::RatePlanInput in{*code, *name, *refundable, hours, penalty};
                auto result = co_await s.catalogue->create_rate_plan(*caller, id, std::move(in));
                if (!result)
                    co_return catalogue_problem(result.error());
                co_return Response::json(201, json::serialize(rate_plan_json(*result)));
            });
        },
        authed);

    router.add("GET", "/v1/hotels/{id}/rate-plans",
               [&s](Request& req) -> asio::awaitable<Response> {
                   co_return co_await guarded(req, [&]() -> asio::awaitable<Response> {
                       const std::string id(req.param("id"));
                       if (!core::is_uuid(id))
                           co_return bad_id("id");
                       Query q(req.query);
                       const auto page = read_page(q);
                       if (!q.ok())
                           co_return q.problem();
                       auto result = co_await s.catalogue->rate_plans(id);
                       if (!result)
                           co_return catalogue_problem(result.error());
                       co_return page_of(*result, page, rate_plan_json);
                   });
               });

    // --- rates ------------------------------------------------------------------------------
    router.add(
        "PUT", "/v1/hotels/{id}/rates",
        [&s](Request& req) -> asio::awaitable<Response> {
            co_return co_await guarded(req, [&]() -> asio::awaitable<Response> {
                auto caller = caller_of(req);
                if (!caller)
                    co_return invalid_caller();
                const std::string id(req.param("id"));
                if (!core::is_uuid(id))
                    co_return bad_id("id");
                JsonBody body(req, {"room_type_id", "rate_plan_id", "from", "to", "weekdays",
                                    "price", "min_stay", "max_stay", "closed_to_arrival",
                                    "closed_to_departure", "stop_sell"});
                core::RatesUpdate u;
                auto type = read_uuid(body, "room_type_id");
                auto plan = read_uuid(body, "rate_plan_id");
                auto from = read_date(body, "from");
                auto to = read_date(body, "to");
                if (auto days = body.string_array("weekdays", false)) {
                    for (const auto& name : *days) {
                        auto d = core::parse_weekday(name);
                        if (!d) {
                            body.reject("weekdays",
                                        "must name days as mon, tue, wed, thu, fri, sat, sun");
                            break;
                        }
                        if (std::find(u.weekdays.begin(), u.weekdays.end(), *d) == u.weekdays.end())
                            u.weekdays.push_back(*d);
                    }
                    if (days->empty())
                        body.reject("weekdays", "must name at least one day when given");
                }
                if (body.has("price")) {
                    if (body.is_null("price"))
                        u.price = core::Patch<std::string>::clear();
                    else if (auto p = body.string("price"))
                        u.price = core::Patch<std::string>::set(*p);
                }
                for (auto [field, patch] :
                     {std::pair{"min_stay", &u.min_stay}, std::pair{"max_stay", &u.max_stay}}) {
                    if (!body.has(field))
                        continue;
                    if (body.is_null(field))
                        *patch = core::Patch<int>::clear();
                    else if (auto v = body.integer(field)) {
                        if (*v < -1'000'000 || *v > 1'000'000)
                            body.reject(field, "is out of range");
                        else
                            *patch = core::Patch<int>::set(static_cast<int>(*v));
                    }
                }
                u.closed_to_arrival = body.boolean("closed_to_arrival", false);
                u.closed_to_departure = body.boolean("closed_to_departure", false);
                u.stop_sell = body.boolean("stop_sell", false);
                if (!body.ok())
                    co_return body.problem();
                u.room_type_id = *type;
                u.rate_plan_id = *plan;
                u.from = *from;
                u.to = *to;
                auto result = co_await s.catalogue->set_rates(*caller, id, std::move(u));
                if (!result)
                    co_return catalogue_problem(result.error());
                json::object out{{"updated_days", *result}};
                co_return Response::json(200, json::serialize(out));
            });
        },
        authed);

    router.add(
        "GET", "/v1/hotels/{id}/rates",
        [&s](Request& req) -> asio::awaitable<Response> {
            co_return co_await guarded(req, [&]() -> asio::awaitable<Response> {
                auto caller = caller_of(req);
                if (!caller)
                    co_return invalid_caller();
                const std::string id(req.param("id"));
                if (!core::is_uuid(id))
                    co_return bad_id("id");
                Query q(req.query);
                auto type = q.uuid("room_type_id", true);
                auto plan = q.uuid("rate_plan_id", true);
                auto from = q.date("from", true);
                auto to = q.date("to", true);
                if (!q.ok())
                    co_return q.problem();
                auto result = co_await s.catalogue->rates(*caller, id, *type, *plan, *from, *to);
                if (!result)
                    co_return catalogue_problem(result.error());
                json::array items;
                for (const auto& r : result->rows)
                    items.push_back(
                        json::object{{"date", core::format_date(r.date)},
                                     {"price", money_json(r.price_minor, result->currency)},
                                     {"min_stay", opt_num(r.min_stay)},
                                     {"max_stay", opt_num(r.max_stay)},
                                     {"closed_to_arrival", r.closed_to_arrival},
                                     {"closed_to_departure", r.closed_to_departure},
                                     {"stop_sell", r.stop_sell}});
                json::object out{{"items", std::move(items)}};
                co_return Response::json(200, json::serialize(out));
            });
        },
        authed);

    // --- availability -----------------------------------------------------------------------
    router.add(
        "GET", "/v1/hotels/{id}/availability",
        [&s](Request& req) -> asio::awaitable<Response> {
            co_return co_await guarded(req, [&]() -> asio::awaitable<Response> {
                auto caller = caller_of(req);
                if (!caller)
                    co_return invalid_caller();
                const std::string id(req.param("id"));
                if (!core::is_uuid(id))
                    co_return bad_id("id");
                Query q(req.query);
                auto from = q.date("from", true);
                auto to = q.date("to", true);
                if (!q.ok())
                    co_return q.problem();
                auto result = co_await s.catalogue->availability(*caller, id, *from, *to);
                if (!result)
                    co_return catalogue_problem(result.error());
                json::array items;
                for (const auto& a : *result)
                    items.push_back(json::object{{"room_type_id", a.room_type_id},
                                                 {"date", core::format_date(a.date)},
                                                 {"total", a.total},
                                                 {"booked", a.booked},
                                                 {"out_of_service", a.out_of_service},
                                                 {"available", a.available}});
                json::object out{{"items", std::move(items)}};
                co_return Response::json(200, json::serialize(out));
            });
        },
        authed);
}

}  // namespace hotel::api
