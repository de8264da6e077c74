#pragma once
// Mapping infrastructure failures onto the API's problems. Never leaks SQL or driver text.

#include <boost/asio/awaitable.hpp>
#include <optional>

#include "core/infrastructure.hpp"
#include "http/message.hpp"

namespace hotel::api {

// A transient failure (the database unreachable, a connection lost, an outcome unknown, a query
// cancelled) → 503 `unavailable` with Retry-After; any other → 500.
http::Response database_problem(const core::InfrastructureError& error,
                                const std::string& request_id);

// If-Match: "3", W/"3", 3 or *. nullopt when absent or *, -1 when malformed.
std::optional<int> if_match_version(const http::Request& request);
// 400 for a malformed If-Match.
http::Response bad_if_match();

}  // namespace hotel::api
