#include "pg/error.hpp"

namespace hotel::pg {

std::string_view to_string(ErrorKind kind) noexcept {
    switch (kind) {
        case ErrorKind::exclusion_violation:
            return "exclusion_violation";
        case ErrorKind::unique_violation:
            return "unique_violation";
        case ErrorKind::foreign_key_violation:
            return "foreign_key_violation";
        case ErrorKind::check_violation:
            return "check_violation";
        case ErrorKind::not_null_violation:
            return "not_null_violation";
        case ErrorKind::integrity_violation:
            return "integrity_violation";
        case ErrorKind::serialization_failure:
            return "serialization_failure";
        case ErrorKind::deadlock_detected:
            return "deadlock_detected";
        case ErrorKind::query_cancelled:
            return "query_cancelled";
        case ErrorKind::lock_timeout:
            return "lock_timeout";
        case ErrorKind::connection_lost:
            return "connection_lost";
        case ErrorKind::outcome_unknown:
            return "outcome_unknown";
        case ErrorKind::unavailable:
            return "unavailable";
        case ErrorKind::invalid_configuration:
            return "invalid_configuration";
        case ErrorKind::data_exception:
            return "data_exception";
        case ErrorKind::type_mismatch:
            return "type_mismatch";
        case ErrorKind::unexpected_null:
            return "unexpected_null";
        case ErrorKind::other:
            return "other";
    }
    return "other";
}

std::string one_line(const char* msg) {
    std::string out;
    for (const char* p = msg ? msg : ""; *p; ++p) {
        const bool space = *p == '\n' || *p == '\t' || *p == '\r' || *p == ' ';
        if (space) {
            if (!out.empty() && out.back() != ' ')
                out.push_back(' ');
        } else {
            out.push_back(*p);
        }
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

ErrorKind classify_sqlstate(std::string_view s) noexcept {
    if (s.size() != 5)
        return ErrorKind::other;
    if (s == "23P01")
        return ErrorKind::exclusion_violation;
    if (s == "23505")
        return ErrorKind::unique_violation;
    if (s == "23503")
        return ErrorKind::foreign_key_violation;
    if (s == "23514")
        return ErrorKind::check_violation;
    if (s == "23502")
        return ErrorKind::not_null_violation;
    if (s == "40001")
        return ErrorKind::serialization_failure;
    if (s == "40P01")
        return ErrorKind::deadlock_detected;
    if (s == "57014")
        return ErrorKind::query_cancelled;
    if (s == "55P03")
        return ErrorKind::lock_timeout;
    // Administrator shutdown / crash shutdown / cannot connect now: the session is gone.
    if (s == "57P01" || s == "57P02" || s == "57P03")
        return ErrorKind::connection_lost;
    const auto cls = s.substr(0, 2);
    if (cls == "08")
        return ErrorKind::connection_lost;
    if (cls == "23")
        return ErrorKind::integrity_violation;
    if (cls == "22")
        return ErrorKind::data_exception;
    return ErrorKind::other;
}

namespace {
bool transient_kind(ErrorKind kind) noexcept {
    return kind == ErrorKind::unavailable || kind == ErrorKind::connection_lost ||
           kind == ErrorKind::outcome_unknown || kind == ErrorKind::query_cancelled;
}
}  // namespace

Error::Error(ErrorKind kind, std::string message, std::string sqlstate, std::string constraint)
    : core::InfrastructureError(message, transient_kind(kind)),
      kind_(kind),
      sqlstate_(std::move(sqlstate)),
      constraint_(std::move(constraint)) {}

}  // namespace hotel::pg
