#pragma once
// Structured logging: one JSON object per line on stdout. The http layer owns it because the
// domain never logs; the app configures the level.

#include <initializer_list>
#include <span>
#include <string_view>
#include <utility>

namespace hotel::http {

enum class LogLevel { debug, info, warn, error, off };

// Parses "debug|info|warn|error|off"; false for anything else.
bool parse_log_level(std::string_view text, LogLevel& out) noexcept;
void init_logging(LogLevel level);

using LogField = std::pair<std::string_view, std::string_view>;
void log_event(LogLevel level, std::string_view message,
               std::initializer_list<LogField> fields = {});
// The same, for fields gathered at run time.
void log_event(LogLevel level, std::string_view message, std::span<const LogField> fields);

// The access-log line: method, path, status, microseconds, request id, the peer ("remote")
// and the client address ("client": the peer, or the forwarded address behind a trusted proxy).
void log_access(std::string_view method, std::string_view path, int status, long long micros,
                std::string_view request_id, std::string_view remote, std::string_view client);

}  // namespace hotel::http
