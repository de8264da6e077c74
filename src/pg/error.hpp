#pragma once
// Database errors, classified by SQLSTATE in one place (error.cpp), so callers can tell an
// exclusion violation (a room taken concurrently) from a serialization failure (retry) from a
// lost connection (outcome may be unknown) without parsing messages.

#include <stdexcept>
#include <string>
#include <string_view>

#include "core/infrastructure.hpp"

namespace hotel::pg {

enum class ErrorKind {
    exclusion_violation,    // 23P01
    unique_violation,       // 23505
    foreign_key_violation,  // 23503
    check_violation,        // 23514
    not_null_violation,     // 23502
    integrity_violation,    // other class 23
    serialization_failure,  // 40001
    deadlock_detected,      // 40P01
    query_cancelled,        // 57014 (statement_timeout or a cancel request)
    lock_timeout,           // 55P03
    connection_lost,        // class 08, or the socket broke
    outcome_unknown,        // the connection broke while COMMIT was in flight
    unavailable,            // no connection could be had in time
    invalid_configuration,  // malformed connection string and the like
    data_exception,         // class 22 (bad input syntax, out of range, ...)
    type_mismatch,          // a result column did not have the C++ type asked for
    unexpected_null,        // NULL read into a non-optional value
    other,
};

std::string_view to_string(ErrorKind kind) noexcept;
// libpq messages span lines ("...failed: ...\n\tIs the server running...?"); errors here end up
// as one log or CLI line, so runs of white space are folded into single spaces.
std::string one_line(const char* message);
ErrorKind classify_sqlstate(std::string_view sqlstate) noexcept;

// A core::InfrastructureError: transient() for unavailable, connection_lost, outcome_unknown
// and query_cancelled (the HTTP layer answers 503 with Retry-After), a fault otherwise.
class Error : public core::InfrastructureError {
  public:
    Error(ErrorKind kind, std::string message, std::string sqlstate = {},
          std::string constraint = {});

    ErrorKind kind() const noexcept { return kind_; }
    const std::string& sqlstate() const noexcept { return sqlstate_; }
    // The violated constraint's name, when the server reported one.
    const std::string& constraint() const noexcept { return constraint_; }

    // A transaction that failed with this error may be re-run as a whole.
    bool retryable() const noexcept {
        return kind_ == ErrorKind::serialization_failure || kind_ == ErrorKind::deadlock_detected;
    }

  private:
    ErrorKind kind_;
    std::string sqlstate_;
    std::string constraint_;
};

}  // namespace hotel::pg
