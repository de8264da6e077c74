#pragma once
#include <string>
#include <string_view>

namespace hotel::http {

// A client's X-Request-Id is echoed only when it matches [A-Za-z0-9._-]{1,128}.
bool is_valid_request_id(std::string_view id) noexcept;

// 32 random hex digits.
std::string generate_request_id();
// The same, into `out` (its buffer reused).
void generate_request_id(std::string& out);

}  // namespace hotel::http
