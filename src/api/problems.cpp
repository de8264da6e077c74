#include "api/problems.hpp"

#include <algorithm>

#include "api/business_metrics.hpp"
#include "api/json_body.hpp"
#include "api/route.hpp"
#include "core/booking_service.hpp"
#include "core/catalogue_service.hpp"
#include "core/events.hpp"
#include "core/front_desk.hpp"
#include "core/identity_service.hpp"
#include "core/reports.hpp"
#include "core/shopping.hpp"
#include "http/access_log.hpp"

namespace hotel::api {

http::Response database_problem(const core::InfrastructureError& error,
                                const std::string& request_id) {
    if (error.transient()) {
        http::log_event(http::LogLevel::warn, "database unavailable",
                        {{"error", error.what()}, {"request_id", request_id}});
        auto r = http::Response::from(
            http::make_problem(503, "unavailable", "Service unavailable",
                               "The database is not available right now; retry shortly."));
        r.set_header("Retry-After", "1");
        return r;
    }
    http::log_event(http::LogLevel::error, "database error",
                    {{"error", error.what()}, {"request_id", request_id}});
    return http::Response::from(http::make_problem(500, "internal", "Internal error",
                                                   "The request failed; quote the request id."));
}

std::optional<int> if_match_version(const http::Request& req) {
    auto h = req.header("if-match");
    if (!h)
        return std::nullopt;
    std::string_view v = *h;
    while (!v.empty() && v.front() == ' ')
        v.remove_prefix(1);
    while (!v.empty() && v.back() == ' ')
        v.remove_suffix(1);
    if (v == "*")
        return std::nullopt;
    if (v.substr(0, 2) == "W/")
        v.remove_prefix(2);
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"')
        v = v.substr(1, v.size() - 2);
    if (v.empty() || v.size() > 9)
        return -1;
    int n = 0;
    for (char c : v) {
        if (c < '0' || c > '9')
            return -1;
        n = n * 10 + (c - '0');
    }
    return n;
}

http::Response bad_if_match() {
    return http::Response::from(http::make_problem(
        400, "validation_failed", "Validation failed", "If-Match must hold the booking's ETag.",
        {{"If-Match", "must be an ETag such as \"3\""}}));
}

// --- each use case's refusals ----------------------------------------------------------------

http::Response problem_of(const core::CatalogueError& e) {
    using Kind = core::CatalogueError::Kind;
    switch (e.kind) {
        case Kind::forbidden:
            return problem(403, "forbidden", e.message);
        case Kind::not_found:
            return problem(404, "not_found", e.message);
        case Kind::conflict:
            return http::Response::from(
                field_problem(409, "conflict", "Conflict", e.message, e.field));
        case Kind::unprocessable:
            return unprocessable(e.field, e.message);
        case Kind::in_use: {
            auto p = http::make_problem(409, "in_use", "In use", e.message);
            http::ProblemList stays{"stays", {}};
            for (const auto& s : e.stays)
                stays.items.push_back({{"booking_id", s.booking_id},
                                       {"check_in", core::format_date(s.check_in)},
                                       {"check_out", core::format_date(s.check_out)}});
            p.list = std::move(stays);
            return http::Response::from(std::move(p));
        }
    }
    return problem(500, "internal", "unexpected catalogue failure");
}

http::Response problem_of(const core::ShoppingError& e) {
    using Kind = core::ShoppingError::Kind;
    switch (e.kind) {
        case Kind::invalid:
            return validation_failed(e.field, e.message);
        case Kind::unprocessable:
            return unprocessable(e.field, e.message);
        case Kind::not_found:
            return problem(404, "not_found", e.message);
    }
    return problem(500, "internal", "unexpected shopping failure");
}

http::Response problem_of(const core::BookingError& e) {
    using Kind = core::BookingError::Kind;
    auto make = [&](int status, http::ProblemCode code, const char* title) {
        auto problem = field_problem(status, code, title, e.message, e.field);
        problem.reason = e.reason;
        if (e.current_total)
            problem.amounts.push_back({"current_total", e.current_total->amount(),
                                       std::string(e.current_total->currency.code())});
        return http::Response::from(std::move(problem));
    };
    static constexpr struct {
        Kind kind;
        int status;
        http::ProblemCode code;
        const char* title;
    } answers[] = {
        {Kind::invalid, 400, "validation_failed", "Validation failed"},
        {Kind::unprocessable, 422, "unprocessable", "Unprocessable"},
        {Kind::not_found, 404, "not_found", "Not found"},
        {Kind::forbidden, 403, "forbidden", "Forbidden"},
        {Kind::conflict, 409, "conflict", "Conflict"},
        {Kind::sold_out, 409, "sold_out", "Sold out"},
        {Kind::in_flight, 409, "idempotency_key_in_flight", "Request in flight"},
        {Kind::key_reused, 422, "idempotency_key_reused", "Idempotency key reused"},
        {Kind::payment_declined, 402, "payment_declined", "Payment declined"},
        {Kind::version_mismatch, 412, "version_mismatch", "Version mismatch"},
        {Kind::invalid_transition, 409, "invalid_state_transition", "Invalid state transition"},
        {Kind::modification_not_allowed, 409, "modification_not_allowed",
         "Modification not allowed"},
        {Kind::limit_reached, 409, "limit_reached", "Limit reached"},
        {Kind::room_not_ready, 409, "room_not_ready", "Room not ready"},
    };
    for (const auto& a : answers) {
        if (a.kind != e.kind)
            continue;
        auto r = make(a.status, a.code, a.title);
        if (e.kind == Kind::sold_out)
            business_metrics().sold_out();
        if (e.kind == Kind::in_flight)
            r.set_header("Retry-After", "1");
        return r;
    }
    return make(500, "internal", "Internal error");
}

http::Response problem_of(const core::FrontDeskError& e) {
    using Kind = core::FrontDeskError::Kind;
    switch (e.kind) {
        case Kind::forbidden:
            return problem(403, "forbidden", e.message);
        case Kind::not_found:
            return problem(404, "not_found", e.message);
        case Kind::unprocessable:
            return unprocessable(e.field, e.message);
    }
    return problem(500, "internal", "unexpected front desk failure");
}

http::Response problem_of(const core::ReportError& e) {
    using Kind = core::ReportError::Kind;
    switch (e.kind) {
        case Kind::invalid:
            return http::Response::from(http::make_problem(
                400, "validation_failed", "Validation failed", e.message, {{e.field, e.message}}));
        case Kind::forbidden:
            return problem(403, "forbidden", e.message);
        case Kind::not_found:
            return problem(404, "not_found", e.message);
    }
    return problem(500, "internal", "unexpected report failure");
}

http::Response problem_of(const core::EventError& e) {
    using Kind = core::EventError::Kind;
    switch (e.kind) {
        case Kind::invalid:
            return validation_failed(e.field, e.message);
        case Kind::forbidden:
            return problem(403, "forbidden", e.message);
        case Kind::not_found:
            return problem(404, "not_found", e.message);
        case Kind::unprocessable:
            return unprocessable(e.field, e.message);
        case Kind::limit_reached:
            return http::Response::from(
                field_problem(409, "limit_reached", "Limit reached", e.message, e.field));
    }
    return problem(500, "internal", "unexpected events failure");
}

http::Response problem_of(const core::IdentityFailure& f) {
    using core::IdentityError;
    switch (f.error) {
        case IdentityError::invalid_email:
        case IdentityError::invalid_hotel_scope:
        case IdentityError::invalid_query:
            // Syntax of a field: 400, as for any malformed input.
            return http::Response::from(http::make_problem(
                400, "validation_failed", "Validation failed", f.message, {{f.field, f.message}}));
        case IdentityError::weak_password:
        case IdentityError::invalid_name:
        case IdentityError::unknown_hotel:
        case IdentityError::self_lockout:
            return unprocessable(f.field, f.message);
        case IdentityError::email_taken:
            // Names the field, so a form shows the message beside it.
            return http::Response::from(field_problem(409, "email_taken", "", f.message, f.field));
        case IdentityError::forbidden:
            return problem(403, "forbidden", f.message);
        case IdentityError::invalid_credentials:
            return problem(401, "invalid_credentials", f.message);
        case IdentityError::rate_limited: {
            auto r = problem(429, "rate_limited", f.message);
            r.set_header("Retry-After",
                         std::to_string(std::max<long long>(1, f.retry_after.count())));
            return r;
        }
        case IdentityError::invalid_session: {
            auto r = problem(401, "unauthorized", f.message);
            r.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            return r;
        }
        case IdentityError::not_found:
            return problem(404, "not_found", f.message);
    }
    return problem(500, "internal", "unexpected identity failure");
}

}  // namespace hotel::api
