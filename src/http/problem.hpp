#pragma once
#include <string>

#include "http/message.hpp"

namespace hotel::http {

// Renders a problem as application/problem+json (RFC 9457) with the request id.
std::string render_problem(const Problem& problem, const std::string& request_id);

// A short human title for a status code, for problems that do not set one.
const char* status_title(int status) noexcept;

}  // namespace hotel::http
