#pragma once
// Structured logging: one JSON object per line on stdout. The http layer owns it because the
// domain never logs; the app configures the level.

#include <cstddef>
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

// The access-log line: method, path, status, microseconds, request id, W3C trace id, the peer
// ("remote") and the client address ("client": the peer, or the forwarded address behind a
// trusted proxy). log_event's lines carry "trace_id" too when logged while a request is handled.
// While an AccessLogWriter runs, this only copies the fields into a queue (no formatting, no
// system call, no allocation unless the fields are long); the writer formats and writes the
// lines. Without one, the line is written at once. When the queue is full the line is dropped
// and counted (access_log_dropped()), so a stalled stdout never blocks a request.
void log_access(std::string_view method, std::string_view path, int status, long long micros,
                std::string_view request_id, std::string_view trace_id, std::string_view remote,
                std::string_view client);

// Lines dropped because the queue was full, since the process started.
long long access_log_dropped() noexcept;

// The background writer of access-log lines: a thread that takes what log_access queued every
// few milliseconds and writes it to stdout in one write per batch. One at a time per process.
// stop() (or the destructor) writes every line queued before it returns; log_access called after
// that writes its line at once again, so a normal stop loses none.
class AccessLogWriter {
  public:
    AccessLogWriter();
    ~AccessLogWriter();
    AccessLogWriter(const AccessLogWriter&) = delete;
    AccessLogWriter& operator=(const AccessLogWriter&) = delete;
    void stop();
};

}  // namespace hotel::http
