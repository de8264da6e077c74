#pragma once
// LogicalStream: a logical replication connection (libpq's replication protocol) that creates
// a TEMPORARY slot with the given output plugin and streams its changes. The slot lives as long
// as the connection, so a node that dies or loses the connection leaves nothing behind to hold
// WAL; a new stream starts from a new slot, and its owner reloads what it may have missed.
//
// Blocking, for one dedicated thread: next() waits at most `wait` for a message and returns
// nullopt when none came, so the owner can check whether to stop. It answers the server's
// keepalive requests itself; confirm() reports how far the owner has applied.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

struct pg_conn;

namespace hotel::pg {

using Lsn = std::uint64_t;

struct StreamMessage {
    Lsn lsn = 0;       // where this change's WAL record starts
    std::string data;  // the plugin's text for one change, BEGIN or COMMIT
};

class LogicalStream {
  public:
    // Connects (replication=database, TimeZone UTC, DateStyle ISO), creates the temporary slot
    // `slot` for `plugin` and starts streaming from its consistent point with `options`
    // (name, value pairs). Throws Error: connection_lost for a lost or refused connection,
    // with the SQLSTATE classified otherwise (wal_level not logical is
    // object_not_in_prerequisite_state, 55000).
    static LogicalStream start(const std::string& conninfo, const std::string& application_name,
                               const std::string& slot, const std::string& plugin,
                               const std::vector<std::pair<std::string, std::string>>& options);
    LogicalStream(LogicalStream&&) noexcept;
    LogicalStream& operator=(LogicalStream&&) noexcept;
    ~LogicalStream();

    std::optional<StreamMessage> next(std::chrono::milliseconds wait);
    // Everything up to `lsn` is applied: the server may release the WAL before it.
    void confirm(Lsn lsn);
    // The walsender's backend pid (for tests that terminate it).
    int backend_pid() const;

  private:
    explicit LogicalStream(pg_conn* conn) : conn_(conn) {}
    void send_status(bool force);
    pg_conn* conn_ = nullptr;
    Lsn confirmed_ = 0;
    Lsn delivered_ = 0;  // the last change handed to the owner
    std::chrono::steady_clock::time_point last_status_{};
};

std::string format_lsn(Lsn lsn);

}  // namespace hotel::pg
