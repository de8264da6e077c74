#include "api/problems.hpp"

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

}  // namespace hotel::api
