#pragma once
// The stable problem codes: the one list of every `code` the server can answer with. A code is
// made from a string literal at compile time, and a literal that is not in the list does not
// compile, so a new code cannot reach clients without reaching this list; the contract test
// compares the list with the `code` enum in api/openapi.json.

#include <array>
#include <string_view>

namespace hotel::http {

inline constexpr auto problem_codes = std::to_array<std::string_view>({
    "bad_request",
    "conflict",
    "email_taken",
    "forbidden",
    "header_too_large",
    "idempotency_key_in_flight",
    "idempotency_key_reused",
    "in_use",
    "internal",
    "invalid_credentials",
    "invalid_json",
    "invalid_state_transition",
    "limit_reached",
    "method_not_allowed",
    "modification_not_allowed",
    "not_found",
    "payload_too_large",
    "payment_declined",
    "rate_limited",
    "room_not_ready",
    "sold_out",
    "unauthorized",
    "unavailable",
    "unprocessable",
    "unsupported_media_type",
    "validation_failed",
    "version_mismatch",
});

class ProblemCode {
  public:
    // Not a stable code: a compile error ("call to consteval function is not a constant").
    consteval ProblemCode(const char* code) : code_(code) {  // NOLINT: implicit by design
        bool known = false;
        for (auto c : problem_codes)
            known = known || c == code_;
        if (!known)
            throw "not a stable problem code: add it to http::problem_codes and the OpenAPI enum";
    }
    constexpr std::string_view view() const { return code_; }

  private:
    std::string_view code_;
};

}  // namespace hotel::http
