#include "api/problems.hpp"

#include "http/access_log.hpp"
#include "pg/error.hpp"

namespace hotel::api {

http::Response database_problem(const pg::Error& error, const std::string& request_id) {
    using pg::ErrorKind;
    switch (error.kind()) {
        case ErrorKind::unavailable:
        case ErrorKind::connection_lost:
        case ErrorKind::outcome_unknown:  // retry with the same Idempotency-Key to learn it
        case ErrorKind::query_cancelled: {
            http::log_event(http::LogLevel::warn, "database unavailable",
                            {{"error", error.what()}, {"request_id", request_id}});
            auto r = http::Response::from(
                http::make_problem(503, "unavailable", "Service unavailable",
                                   "The database is not available right now; retry shortly."));
            r.set_header("Retry-After", "1");
            return r;
        }
        default:
            http::log_event(http::LogLevel::error, "database error",
                            {{"error", error.what()}, {"request_id", request_id}});
            return http::Response::from(http::make_problem(
                500, "internal", "Internal error", "The request failed; quote the request id."));
    }
}

}  // namespace hotel::api
