#include "api/booking_routes.hpp"

#include <boost/json.hpp>

#include "api/caller.hpp"
#include "api/json_body.hpp"
#include "api/problems.hpp"
#include "api/query.hpp"
#include "core/booking_service.hpp"
#include "core/infrastructure.hpp"
#include "http/text.hpp"

namespace hotel::api {

namespace asio = boost::asio;
namespace json = boost::json;
using http::Request;
using http::Response;
using Kind = core::BookingError::Kind;

namespace {

json::value money(const core::Money& m) {
    return json::object{{"amount", m.amount()}, {"currency", m.currency.code()}};
}

// The Booking representation of API.md. `with_room`: staff always, guests from check-in on.
std::string render_booking(const core::Booking& b, bool with_room) {
    json::array nightly;
    for (const auto& n : b.nightly)
        nightly.push_back(
            json::object{{"date", core::format_date(n.date)}, {"amount", money(n.amount)}});
    json::object o;
    o["id"] = b.id;
    o["status"] = std::string(core::to_string(b.state.status()));
    o["hotel_id"] = b.hotel_id;
    o["room_type_id"] = b.room_type_id;
    o["rate_plan_id"] = b.rate_plan_id;
    o["guest_id"] = b.guest_id;
    // Not given (or given empty): null, so that "no name" is not a name.
    o["guest_name"] = b.guest_name.empty() ? json::value(nullptr) : json::value(b.guest_name);
    o["guests"] = b.guests;
    o["check_in"] = core::format_date(b.check_in);
    o["check_out"] = core::format_date(b.check_out);
    o["nights"] = core::days_between(b.check_in, b.check_out);
    o["check_in_at"] = core::format_instant(b.check_in_at);
    o["check_out_at"] = core::format_instant(b.check_out_at);
    o["total"] = money(b.total);
    o["nightly"] = std::move(nightly);
    o["cancellation"] = json::object{
        {"free_until",
         b.free_until ? json::value(core::format_instant(*b.free_until)) : json::value(nullptr)},
        {"penalty", b.penalty == "non_refundable" ? std::string("full_stay") : b.penalty},
        {"minimum_fee", money(core::Money{b.fee_floor.minor, b.total.currency})}};
    o["cancellation_fee"] = b.cancellation_fee ? money(*b.cancellation_fee) : json::value(nullptr);
    o["room"] = with_room ? json::value(json::object{{"id", b.room_id}, {"number", b.room_number}})
                          : json::value(nullptr);
    o["payment"] =
        b.card_last4 ? json::value(json::object{{"card_last4", *b.card_last4},
                                                {"transaction_id", b.transaction_id.value_or("")}})
                     : json::value(nullptr);
    o["invoice"] = json::object{{"id", b.invoice.id},
                                {"number", b.invoice.number},
                                {"status", b.invoice.status},
                                {"total", money(b.invoice.total)}};
    o["special_requests"] =
        b.special_requests ? json::value(*b.special_requests) : json::value(nullptr);
    o["version"] = b.version;
    o["created_at"] = core::format_instant(b.created_at);
    o["updated_at"] = core::format_instant(b.updated_at);
    return json::serialize(o);
}

Response booking_problem(const core::BookingError& e) {
    std::vector<http::FieldError> errors;
    if (!e.field.empty())
        errors.push_back({e.field, e.message});
    auto make = [&](int status, const char* code, const char* title) {
        auto problem = http::make_problem(status, code, title, e.message, errors);
        problem.reason = e.reason;
        if (e.current_total)
            problem.amounts.push_back({"current_total", e.current_total->amount(),
                                       std::string(e.current_total->currency.code())});
        return Response::from(std::move(problem));
    };
    switch (e.kind) {
        case Kind::invalid:
            return make(400, "validation_failed", "Validation failed");
        case Kind::unprocessable:
            return make(422, "unprocessable", "Unprocessable");
        case Kind::not_found:
            return make(404, "not_found", "Not found");
        case Kind::forbidden:
            return make(403, "forbidden", "Forbidden");
        case Kind::conflict:
            return make(409, "conflict", "Conflict");
        case Kind::sold_out:
            return make(409, "sold_out", "Sold out");
        case Kind::in_flight: {
            auto r = make(409, "idempotency_key_in_flight", "Request in flight");
            r.set_header("Retry-After", "1");
            return r;
        }
        case Kind::key_reused:
            return make(422, "idempotency_key_reused", "Idempotency key reused");
        case Kind::payment_declined:
            return make(402, "payment_declined", "Payment declined");
        case Kind::version_mismatch:
            return make(412, "version_mismatch", "Version mismatch");
        case Kind::invalid_transition:
            return make(409, "invalid_state_transition", "Invalid state transition");
        case Kind::modification_not_allowed:
            return make(409, "modification_not_allowed", "Modification not allowed");
        case Kind::limit_reached:
            return make(409, "limit_reached", "Limit reached");
    }
    return make(500, "internal", "Internal error");
}

std::string etag_of(int version) {
    std::string etag = "\"";
    etag.append(std::to_string(version)).append("\"");
    return etag;
}

// Whether an If-None-Match list ("*", or entity tags separated by commas, weak or strong)
// names this entity tag; weak comparison, as RFC 9110 §13.1.2 asks for If-None-Match.
bool etag_matches(std::string_view list, const std::string& etag) {
    std::size_t pos = 0;
    while (pos <= list.size()) {
        auto comma = list.find(',', pos);
        if (comma == std::string_view::npos)
            comma = list.size();
        auto tag = list.substr(pos, comma - pos);
        while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t'))
            tag.remove_prefix(1);
        while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t'))
            tag.remove_suffix(1);
        if (tag == "*")
            return true;
        if (tag.substr(0, 2) == "W/")
            tag.remove_prefix(2);
        if (tag == etag)
            return true;
        pos = comma + 1;
    }
    return false;
}

// Location and ETag from a stored booking body (a replayed response).
void describe_resource(Response& r) {
    json::error_code ec;
    auto v = json::parse(r.body, ec);
    if (ec || !v.is_object())
        return;
    const auto& o = v.as_object();
    if (auto id = o.if_contains("id"); id && id->is_string()) {
        std::string location = "/v1/bookings/";
        location.append(id->as_string().data(), id->as_string().size());
        r.set_header("Location", std::move(location));
    }
    if (auto version = o.if_contains("version"); version && version->is_int64())
        r.set_header("ETag", etag_of(static_cast<int>(version->as_int64())));
}

Response booking_response(int status, const core::Booking& b, const core::Caller& caller) {
    auto r = Response::json(status, render_booking(b, core::BookingService::sees_room(caller, b)));
    r.set_header("ETag", etag_of(b.version));
    return r;
}

}  // namespace

void add_booking_routes(http::Router& router, Services& s) {
    const auto authed = http::Access::authenticated;

    router.add(
        "POST", "/v1/bookings",
        [&s](Request& req) -> asio::awaitable<Response> {
            co_return co_await guarded(req, [&]() -> asio::awaitable<Response> {
                auto caller = caller_of(req);
                if (!caller)
                    co_return invalid_caller();
                std::optional<std::string> key;
                if (auto k = req.header("idempotency-key")) {
                    if (k->empty() || k->size() > 255)
                        co_return Response::from(http::make_problem(
                            400, "validation_failed", "Validation failed",
                            "Idempotency-Key must be 1 to 255 characters.",
                            {{"Idempotency-Key", "must be 1 to 255 characters"}}));
                    // Stored as text: UTF-8 without NUL, like every stored string.
                    if (!http::is_storable_text(*k))
                        co_return Response::from(http::make_problem(
                            400, "validation_failed", "Validation failed",
                            "Idempotency-Key must be UTF-8 text without NUL characters.",
                            {{"Idempotency-Key", "must be UTF-8 text without NUL characters"}}));
                    key = std::string(*k);
                }
                JsonBody body(req, {"hotel_id", "room_type_id", "rate_plan_id", "check_in",
                                    "check_out", "guests", "guest_name", "expected_total",
                                    "card_token", "special_requests"});
                core::PlaceRequest r;
                auto need_uuid = [&](const char* field) -> std::string {
                    auto v = body.string(field);
                    if (v && !core::is_uuid(*v))
                        body.reject(field, "must be a UUID");
                    return v.value_or("");
                };
                auto need_date = [&](const char* field) -> core::Date {
                    auto v = body.string(field);
                    if (!v)
                        return core::Date{};
                    auto d = core::parse_date(*v);
                    if (!d)
                        body.reject(field, "must be a date, YYYY-MM-DD");
                    return d.value_or(core::Date{});
                };
                r.hotel_id = need_uuid("hotel_id");
                r.room_type_id = need_uuid("room_type_id");
                r.rate_plan_id = need_uuid("rate_plan_id");
                r.check_in = need_date("check_in");
                r.check_out = need_date("check_out");
                if (auto g = body.integer("guests")) {
                    if (*g < 1)
                        body.reject("guests", "must be at least 1");
                    else if (*g > 1000)
                        body.reject("guests", "is too large");
                    else
                        r.guests = *g;
                }
                r.guest_name = body.string("guest_name", false);
                if (r.guest_name && !core::utf8_length(*r.guest_name).has_value())
                    body.reject("guest_name", "must be valid UTF-8");
                else if (r.guest_name && *core::utf8_length(*r.guest_name) > 200)
                    body.reject("guest_name", "must be at most 200 characters");
                r.special_requests = body.string("special_requests", false);
                if (r.special_requests && r.special_requests->size() > 2000)
                    body.reject("special_requests", "must be at most 2000 characters");
                r.card_token = body.string("card_token", false);
                if (body.has("expected_total") && !body.is_null("expected_total")) {
                    // {"amount": "129.00", "currency": "EUR"}: a Money object, never a number.
                    JsonBody::MoneyFields m = body.money("expected_total");
                    r.expected_amount = m.amount;
                    r.expected_currency = m.currency;
                }
                if (!body.ok())
                    co_return body.problem();

                const core::Caller who = *caller;
                core::ResponseRenderer render = [who](const core::Booking& b) {
                    return render_booking(b, core::BookingService::sees_room(who, b));
                };
                auto placed =
                    co_await s.bookings->place(*caller, std::move(r), key, req.body, render);
                if (!placed)
                    co_return booking_problem(placed.error());
                auto response = Response::json(placed->status, std::move(placed->body));
                if (placed->booking) {
                    response.set_header("Location", "/v1/bookings/" + placed->booking->id);
                    response.set_header("ETag", etag_of(placed->booking->version));
                } else {
                    describe_resource(response);  // a replay: only the stored body is at hand
                }
                co_return response;
            });
        },
        authed);

    router.add(
        "GET", "/v1/bookings/{id}",
        [&s](Request& req) -> asio::awaitable<Response> {
            co_return co_await guarded(req, [&]() -> asio::awaitable<Response> {
                auto caller = caller_of(req);
                if (!caller)
                    co_return invalid_caller();
                const std::string id(req.param("id"));
                if (!core::is_uuid(id))
                    co_return problem(404, "not_found", "no such booking");
                auto found = co_await s.bookings->get(*caller, id);
                if (!found)
                    co_return booking_problem(found.error());
                // Conditional GET (RFC 9110 §13.1.2): the client's copy is current.
                if (auto tags = req.header("if-none-match");
                    tags && etag_matches(*tags, etag_of(found->version))) {
                    Response not_modified;
                    not_modified.status = 304;
                    not_modified.content_type.clear();
                    not_modified.set_header("ETag", etag_of(found->version));
                    co_return not_modified;
                }
                co_return booking_response(200, *found, *caller);
            });
        },
        authed);

    router.add(
        "GET", "/v1/bookings",
        [&s](Request& req) -> asio::awaitable<Response> {
            co_return co_await guarded(req, [&]() -> asio::awaitable<Response> {
                auto caller = caller_of(req);
                if (!caller)
                    co_return invalid_caller();
                Query q(req.query);
                core::BookingFilter f;
                if (auto st = q.text("status")) {
                    f.status = core::parse_booking_status(*st);
                    if (!f.status)
                        q.reject(
                            "status",
                            "must be confirmed, checked_in, checked_out, cancelled or no_show");
                }
                f.hotel_id = q.uuid("hotel_id");
                f.from = q.date("from");
                f.to = q.date("to");
                const auto page = read_page(q);
                if (!q.ok())
                    co_return q.problem();
                f.offset = (page.page - 1) * page.per_page;
                f.limit = page.per_page;
                auto result = co_await s.bookings->list(*caller, std::move(f));
                if (!result)
                    co_return booking_problem(result.error());
                json::array items;
                for (const auto& b : result->items)
                    items.push_back(json::parse(
                        render_booking(b, core::BookingService::sees_room(*caller, b))));
                json::object o{{"items", std::move(items)},
                               {"page", page.page},
                               {"per_page", page.per_page},
                               {"total", result->total}};
                co_return Response::json(200, json::serialize(o));
            });
        },
        authed);

    using Action = core::BookingService::StaffAction;
    for (const auto& [suffix, action] :
         {std::pair{"/check-in", Action::check_in}, std::pair{"/check-out", Action::check_out},
          std::pair{"/no-show", Action::no_show}}) {
        const auto staff_action = action;
        router.add(
            "POST", std::string("/v1/bookings/{id}") + suffix,
            [&s, staff_action](Request& req) -> asio::awaitable<Response> {
                co_return co_await guarded(req, [&]() -> asio::awaitable<Response> {
                    auto caller = caller_of(req);
                    if (!caller)
                        co_return invalid_caller();
                    const std::string id(req.param("id"));
                    if (!core::is_uuid(id))
                        co_return problem(404, "not_found", "no such booking");
                    const auto version = if_match_version(req);
                    if (version && *version < 0)
                        co_return bad_if_match();
                    auto changed = co_await s.bookings->act(*caller, id, staff_action, version);
                    if (!changed)
                        co_return booking_problem(changed.error());
                    co_return booking_response(200, *changed, *caller);
                });
            },
            authed);
    }

    router.add(
        "PUT", "/v1/bookings/{id}",
        [&s](Request& req) -> asio::awaitable<Response> {
            co_return co_await guarded(req, [&]() -> asio::awaitable<Response> {
                auto caller = caller_of(req);
                if (!caller)
                    co_return invalid_caller();
                const std::string id(req.param("id"));
                if (!core::is_uuid(id))
                    co_return problem(404, "not_found", "no such booking");
                const auto version = if_match_version(req);
                if (version && *version < 0)
                    co_return bad_if_match();
                JsonBody body(req,
                              {"check_in", "check_out", "room_type_id", "rate_plan_id", "guests"});
                core::BookingService::ModifyRequest m;
                auto date_of = [&](const char* field) -> core::Date {
                    auto v = body.string(field);
                    if (!v)
                        return core::Date{};
                    auto d = core::parse_date(*v);
                    if (!d)
                        body.reject(field, "must be a date, YYYY-MM-DD");
                    return d.value_or(core::Date{});
                };
                m.check_in = date_of("check_in");
                m.check_out = date_of("check_out");
                for (const char* f : {"room_type_id", "rate_plan_id"}) {
                    auto v = body.string(f, false);
                    if (v && !core::is_uuid(*v))
                        body.reject(f, "must be a UUID");
                    (std::string(f) == "room_type_id" ? m.room_type_id : m.rate_plan_id) = v;
                }
                if (auto g = body.integer("guests", false)) {
                    if (*g < 1 || *g > 1000)
                        body.reject("guests", "must be at least 1");
                    else
                        m.guests = *g;
                }
                if (!body.ok())
                    co_return body.problem();
                auto modified = co_await s.bookings->modify(*caller, id, std::move(m), version);
                if (!modified)
                    co_return booking_problem(modified.error());
                co_return booking_response(200, *modified, *caller);
            });
        },
        authed);

    router.add(
        "DELETE", "/v1/bookings/{id}",
        [&s](Request& req) -> asio::awaitable<Response> {
            co_return co_await guarded(req, [&]() -> asio::awaitable<Response> {
                auto caller = caller_of(req);
                if (!caller)
                    co_return invalid_caller();
                const std::string id(req.param("id"));
                if (!core::is_uuid(id))
                    co_return problem(404, "not_found", "no such booking");
                const auto version = if_match_version(req);
                if (version && *version < 0)
                    co_return bad_if_match();
                auto cancelled = co_await s.bookings->cancel(*caller, id, version);
                if (!cancelled)
                    co_return booking_problem(cancelled.error());
                co_return booking_response(200, *cancelled, *caller);
            });
        },
        authed);
}

}  // namespace hotel::api
