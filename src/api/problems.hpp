#pragma once
// Mapping infrastructure failures onto the API's problems. Never leaks SQL or driver text.

#include "http/message.hpp"

namespace hotel::pg {
class Error;
}

namespace hotel::api {

// unavailable, connection_lost, outcome_unknown, query_cancelled → 503 `unavailable` with
// Retry-After; everything else → 500.
http::Response database_problem(const pg::Error& error, const std::string& request_id);

}  // namespace hotel::api
