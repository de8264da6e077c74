#include "api/booking_routes.hpp"
#include "api/business_metrics.hpp"

#include "api/json_out.hpp"
#include "api/route.hpp"
#include "core/booking_service.hpp"
#include "core/infrastructure.hpp"
#include "http/text.hpp"

namespace hotel::api {

namespace {

json::object invoice_line_json(const core::InvoiceLine& l) {
    return {{"description", l.description},
            {"date", l.date ? json::value(core::format_date(*l.date)) : json::value(nullptr)},
            {"amount", out::money(l.amount)},
            {"kind", l.kind}};
}

json::object payment_json(const core::Payment& p) {
    return {{"id", p.id},
            {"kind", std::string(core::to_string(p.kind))},
            {"method", std::string(core::to_string(p.method))},
            {"amount", out::money(p.amount)},
            {"reference", out::nullable(p.reference)},
            {"recorded_at", core::format_instant(p.recorded_at)}};
}

}  // namespace

json::object invoice_json(const core::InvoiceDocument& d) {
    json::array lines;
    for (const auto& l : d.lines)
        lines.push_back(invoice_line_json(l));
    auto instant_or_null = [](const std::optional<core::Instant>& t) {
        return t ? json::value(core::format_instant(*t)) : json::value(nullptr);
    };
    return {{"id", d.id},
            {"number", out::nullable(d.number)},
            {"kind", d.kind},
            {"status", d.status},
            {"booking_id", d.booking_id},
            {"total", out::money(d.total)},
            {"issued_at", instant_or_null(d.issued_at)},
            {"voided_at", instant_or_null(d.voided_at)},
            {"credits_invoice_id", out::nullable(d.credits_invoice_id)},
            {"lines", std::move(lines)}};
}

json::object booking_json(const core::Booking& b, bool with_room) {
    json::array nightly;
    for (const auto& n : b.nightly)
        nightly.push_back(
            json::object{{"date", core::format_date(n.date)}, {"amount", out::money(n.amount)}});
    json::object o;
    o["id"] = b.id;
    o["status"] = std::string(core::to_string(b.state.status()));
    o["hotel_id"] = b.hotel_id;
    o["room_type_id"] = b.room_type_id;
    o["rate_plan_id"] = b.rate_plan_id;
    o["guest_id"] = b.guest_id.empty() ? json::value(nullptr) : json::value(b.guest_id);
    // Not given (or given empty): null, so that "no name" is not a name.
    o["guest_name"] = b.guest_name.empty() ? json::value(nullptr) : json::value(b.guest_name);
    o["guest_email"] = out::nullable(b.guest_email);
    o["guest_phone"] = out::nullable(b.guest_phone);
    o["guests"] = b.guests;
    o["check_in"] = core::format_date(b.check_in);
    o["check_out"] = core::format_date(b.check_out);
    o["nights"] = core::days_between(b.check_in, b.check_out);
    o["check_in_at"] = core::format_instant(b.check_in_at);
    o["check_out_at"] = core::format_instant(b.check_out_at);
    o["checked_in_at"] = b.checked_in_at ? json::value(core::format_instant(*b.checked_in_at))
                                         : json::value(nullptr);
    o["checked_out_at"] = b.checked_out_at ? json::value(core::format_instant(*b.checked_out_at))
                                           : json::value(nullptr);
    o["total"] = out::money(b.total);
    o["nightly"] = std::move(nightly);
    o["cancellation"] = json::object{
        {"free_until",
         b.free_until ? json::value(core::format_instant(*b.free_until)) : json::value(nullptr)},
        {"penalty", b.penalty == "non_refundable" ? std::string("full_stay") : b.penalty},
        {"minimum_fee", out::money(core::Money{b.fee_floor.minor, b.total.currency})}};
    if (b.fee_if_cancelled_now)
        o["cancellation"].as_object()["fee_now"] = out::money(*b.fee_if_cancelled_now);
    o["cancellation_fee"] =
        b.cancellation_fee ? out::money(*b.cancellation_fee) : json::value(nullptr);
    o["room"] = with_room
                    ? json::value(json::object{
                          {"id", b.room_id},
                          {"number", b.room_number},
                          {"since", b.room_since ? json::value(core::format_instant(*b.room_since))
                                                 : json::value(nullptr)}})
                    : json::value(nullptr);
    o["payment"] =
        b.card_last4 ? json::value(json::object{{"card_last4", *b.card_last4},
                                                {"transaction_id", b.transaction_id.value_or("")}})
                     : json::value(nullptr);
    o["invoice"] = json::object{{"id", b.invoice.id},
                                {"number", b.invoice.number},
                                {"status", b.invoice.status},
                                {"total", out::money(b.invoice.total)}};
    o["special_requests"] =
        b.special_requests ? json::value(*b.special_requests) : json::value(nullptr);
    o["balance_due"] = out::money(b.balance_due);
    o["version"] = b.version;
    o["created_at"] = core::format_instant(b.created_at);
    o["updated_at"] = core::format_instant(b.updated_at);
    return o;
}

namespace {

std::string render_booking(const core::Booking& b, bool with_room) {
    return json::serialize(booking_json(b, with_room));
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

    route(router, "POST", "/v1/bookings", authed, [&s](Call& c) -> asio::awaitable<Response> {
        std::optional<std::string> key;
        if (auto k = c.request.header("idempotency-key")) {
            if (k->empty() || k->size() > 255)
                co_return Response::from(
                    http::make_problem(400, "validation_failed", "Validation failed",
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
        auto& body = c.body({"hotel_id", "room_type_id", "rate_plan_id", "check_in", "check_out",
                             "guests", "guest_name", "guest_email", "guest_phone", "expected_total",
                             "card_token", "special_requests"});
        core::PlaceRequest r;
        r.hotel_id = body.uuid("hotel_id").value_or("");
        r.room_type_id = body.uuid("room_type_id").value_or("");
        r.rate_plan_id = body.uuid("rate_plan_id").value_or("");
        r.check_in = body.date("check_in").value_or(core::Date{});
        r.check_out = body.date("check_out").value_or(core::Date{});
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
        // A guest without an account (a walk-in, a phone booking): a way to reach them.
        auto email = body.string("guest_email", false);
        auto phone = body.string("guest_phone", false);
        if (email && !core::is_valid_email(core::normalize_email(*email)))
            body.reject("guest_email", "must be an email address");
        if (phone && !core::is_valid_phone(*phone))
            body.reject("guest_phone", "must be a phone number (5 to 20 digits)");
        if (email || phone) {
            if (!r.guest_name || !core::is_acceptable_name(*r.guest_name))
                body.reject("guest_name", "is required for a guest without an account");
            else
                r.walk_in = core::WalkInGuest{
                    std::string(core::trim(*r.guest_name)),
                    email ? std::optional<std::string>(core::normalize_email(*email))
                          : std::nullopt,
                    phone};
        }
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
        c.check();

        const core::Caller who = c.caller();
        core::ResponseRenderer render = [who](const core::Booking& b) {
            return render_booking(b, core::BookingService::sees_room(who, b));
        };
        auto result =
            co_await s.bookings->place(c.caller(), std::move(r), key, c.request.body, render);
        auto placed = take(result);
        auto response = Response::json(placed.status, std::move(placed.body));
        if (placed.booking && placed.status == 201)
            business_metrics().booking_created();  // a replay created nothing
        if (placed.booking) {
            response.set_header("Location", "/v1/bookings/" + placed.booking->id);
            response.set_header("ETag", etag_of(placed.booking->version));
        } else {
            describe_resource(response);  // a replay: only the stored body is at hand
        }
        co_return response;
    });

    route(router, "GET", "/v1/bookings/{id}", authed, [&s](Call& c) -> asio::awaitable<Response> {
        const auto id = c.path_uuid("id");
        auto result = co_await s.bookings->get(c.caller(), id);
        const auto found = take(result);
        // Conditional GET (RFC 9110 §13.1.2): the client's copy is current.
        if (auto tags = c.request.header("if-none-match");
            tags && etag_matches(*tags, etag_of(found.version))) {
            Response not_modified;
            not_modified.status = 304;
            not_modified.content_type.clear();
            not_modified.set_header("ETag", etag_of(found.version));
            co_return not_modified;
        }
        co_return booking_response(200, found, c.caller());
    });

    route(router, "GET", "/v1/bookings", authed, [&s](Call& c) -> asio::awaitable<Response> {
        auto& q = c.query();
        core::BookingFilter f;
        if (auto st = q.text("status")) {
            if (auto status = core::parse_booking_status(*st))
                f.statuses.push_back(*status);
            else
                q.reject("status",
                         "must be confirmed, checked_in, checked_out, cancelled or no_show");
        }
        f.hotel_id = q.uuid("hotel_id");
        f.from = q.date("from");
        f.to = q.date("to");
        const auto page = read_page(q);
        c.check();
        f.offset = (page.page - 1) * page.per_page;
        f.limit = page.per_page;
        auto result = co_await s.bookings->list(c.caller(), std::move(f));
        const auto found = take(result);
        auto items = out::array(found.items, [&c](const core::Booking& b) {
            return booking_json(b, core::BookingService::sees_room(c.caller(), b));
        });
        co_return out::json(200, json::object{{"items", std::move(items)},
                                              {"page", page.page},
                                              {"per_page", page.per_page},
                                              {"total", found.total}});
    });

    using Action = core::BookingService::StaffAction;
    for (const auto& [suffix, action] :
         {std::pair{"/check-in", Action::check_in}, std::pair{"/check-out", Action::check_out},
          std::pair{"/no-show", Action::no_show}}) {
        route(router, "POST", std::string("/v1/bookings/{id}") + suffix, authed,
              [&s, staff_action = action](Call& c) -> asio::awaitable<Response> {
                  const auto id = c.path_uuid("id");
                  const auto version = c.if_match();
                  // Check-in may carry {"force": true}: into a room housekeeping has not made
                  // ready. The other actions, and a check-in without a body, take none.
                  bool force = false;
                  if (staff_action == Action::check_in && !c.request.body.empty())
                      force = c.body({"force"}).boolean("force", false).value_or(false);
                  c.check();
                  auto result =
                      co_await s.bookings->act(c.caller(), id, staff_action, version, force);
                  auto booking = take(result);
                  if (staff_action == Action::no_show && booking.cancellation_fee)
                      business_metrics().fee_charged(*booking.cancellation_fee);
                  co_return booking_response(200, std::move(booking), c.caller());
              });
    }

    route(router, "POST", "/v1/bookings/{id}/move", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              const auto version = c.if_match();
              auto room = c.body({"room_id"}).uuid("room_id");
              c.check();
              auto result = co_await s.bookings->move(c.caller(), id, *room, version);
              co_return booking_response(200, take(result), c.caller());
          });

    route(router, "POST", "/v1/bookings/{id}/charges", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              const auto version = c.if_match();
              auto& body = c.body({"description", "amount", "date"});
              core::BookingService::ChargeRequest r;
              if (auto d = body.string("description")) {
                  const auto length = core::utf8_length(core::trim(*d));
                  if (!length || *length < 1 || *length > 200)
                      body.reject("description", "must be 1 to 200 characters");
                  else
                      r.description = std::string(core::trim(*d));
              }
              const auto amount = body.money("amount", true);
              r.amount = amount.amount.value_or("");
              r.currency = amount.currency.value_or("");
              r.date = body.date("date").value_or(core::Date{});
              c.check();
              auto result = co_await s.bookings->post_charge(c.caller(), id, std::move(r), version);
              const auto charge = take(result);
              co_return out::json(
                  201, json::object{{"id", charge.id},
                                    {"booking_id", id},
                                    {"description", charge.description},
                                    {"date", core::format_date(charge.date)},
                                    {"amount", out::money(charge.amount)},
                                    {"posted_at", core::format_instant(charge.posted_at)}});
          });

    route(router, "POST", "/v1/bookings/{id}/payments", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              auto& body = c.body({"kind", "method", "amount", "reference"});
              core::BookingService::PaymentRequest r;
              if (auto k = body.string("kind", false)) {
                  if (auto kind = core::parse_payment_kind(*k))
                      r.kind = *kind;
                  else
                      body.reject("kind", "must be payment or refund");
              }
              if (auto m = body.string("method")) {
                  if (auto method = core::parse_payment_method(*m))
                      r.method = *method;
                  else
                      body.reject("method", "must be card, cash or bank_transfer");
              }
              const auto amount = body.money("amount", true);
              r.amount = amount.amount.value_or("");
              r.currency = amount.currency.value_or("");
              r.reference = body.string("reference", false);
              if (r.reference && (r.reference->empty() || r.reference->size() > 200))
                  body.reject("reference", "must be 1 to 200 characters");
              c.check();
              auto result = co_await s.bookings->record_payment(c.caller(), id, std::move(r));
              co_return out::json(201, payment_json(take(result)));
          });

    route(router, "GET", "/v1/bookings/{id}/folio", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              auto result = co_await s.bookings->folio(c.caller(), id);
              const auto f = take(result);
              json::array lines;
              for (const auto& l : f.lines)
                  lines.push_back(invoice_line_json(l));
              co_return out::json(
                  200,
                  json::object{{"booking_id", f.booking.id},
                               {"status", std::string(core::to_string(f.booking.state.status()))},
                               {"lines", std::move(lines)},
                               {"payments", out::array(f.payments, payment_json)},
                               {"invoiced", out::money(f.invoiced)},
                               {"paid", out::money(f.paid)},
                               {"balance_due", out::money(f.balance_due)}});
          });

    route(router, "GET", "/v1/bookings/{id}/invoices", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              auto result = co_await s.bookings->invoices(c.caller(), id);
              co_return out::json(200,
                                  json::object{{"items", out::array(take(result), invoice_json)}});
          });

    route(router, "PUT", "/v1/bookings/{id}", authed, [&s](Call& c) -> asio::awaitable<Response> {
        const auto id = c.path_uuid("id");
        const auto version = c.if_match();
        auto& body = c.body({"check_in", "check_out", "room_type_id", "rate_plan_id", "guests"});
        core::BookingService::ModifyRequest m;
        m.check_in = body.date("check_in").value_or(core::Date{});
        m.check_out = body.date("check_out").value_or(core::Date{});
        m.room_type_id = body.uuid("room_type_id", false);
        m.rate_plan_id = body.uuid("rate_plan_id", false);
        if (auto g = body.integer("guests", false)) {
            if (*g < 1 || *g > 1000)
                body.reject("guests", "must be at least 1");
            else
                m.guests = *g;
        }
        c.check();
        auto result = co_await s.bookings->modify(c.caller(), id, std::move(m), version);
        co_return booking_response(200, take(result), c.caller());
    });

    route(router, "DELETE", "/v1/bookings/{id}", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              const auto version = c.if_match();
              auto result = co_await s.bookings->cancel(c.caller(), id, version);
              auto booking = take(result);
              business_metrics().cancelled();
              if (booking.cancellation_fee)
                  business_metrics().fee_charged(*booking.cancellation_fee);
              co_return booking_response(200, std::move(booking), c.caller());
          });
}

}  // namespace hotel::api
