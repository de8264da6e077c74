#include "pg/error.hpp"

#include "core/names.hpp"

namespace hotel::pg {

namespace {
constexpr std::pair<ErrorKind, std::string_view> kKindNames[] = {
    {ErrorKind::exclusion_violation, "exclusion_violation"},
    {ErrorKind::unique_violation, "unique_violation"},
    {ErrorKind::foreign_key_violation, "foreign_key_violation"},
    {ErrorKind::check_violation, "check_violation"},
    {ErrorKind::not_null_violation, "not_null_violation"},
    {ErrorKind::integrity_violation, "integrity_violation"},
    {ErrorKind::serialization_failure, "serialization_failure"},
    {ErrorKind::deadlock_detected, "deadlock_detected"},
    {ErrorKind::query_cancelled, "query_cancelled"},
    {ErrorKind::lock_timeout, "lock_timeout"},
    {ErrorKind::connection_lost, "connection_lost"},
    {ErrorKind::outcome_unknown, "outcome_unknown"},
    {ErrorKind::unavailable, "unavailable"},
    {ErrorKind::invalid_configuration, "invalid_configuration"},
    {ErrorKind::data_exception, "data_exception"},
    {ErrorKind::type_mismatch, "type_mismatch"},
    {ErrorKind::unexpected_null, "unexpected_null"},
    {ErrorKind::other, "other"},
};
}  // namespace

std::string_view to_string(ErrorKind kind) noexcept {
    return core::name_in(kKindNames, kind, "other");
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
