#pragma once
// Mapping infrastructure failures onto the API's problems. Never leaks SQL or driver text.

#include <boost/asio/awaitable.hpp>
#include <optional>

#include "http/message.hpp"
#include "pg/error.hpp"

namespace hotel::api {

// unavailable, connection_lost, outcome_unknown, query_cancelled → 503 `unavailable` with
// Retry-After; everything else → 500.
http::Response database_problem(const pg::Error& error, const std::string& request_id);

// Runs a handler body; a database failure becomes database_problem()'s answer.
template <class F>
boost::asio::awaitable<http::Response> guarded(http::Request& req, F body) {
    try {
        co_return co_await body();
    } catch (const pg::Error& e) {
        co_return database_problem(e, req.request_id);
    }
}

// If-Match: "3", W/"3", 3 or *. nullopt when absent or *, -1 when malformed.
std::optional<int> if_match_version(const http::Request& request);
// 400 for a malformed If-Match.
http::Response bad_if_match();

}  // namespace hotel::api
