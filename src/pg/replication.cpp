#include "pg/replication.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <cerrno>

#include <cstdio>

#include "pg/connection.hpp"
#include "pg/error.hpp"

namespace hotel::pg {
namespace {

std::uint64_t read_be64(const char* p) {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
        v = (v << 8) | static_cast<unsigned char>(p[i]);
    return v;
}

void write_be64(char* p, std::uint64_t v) {
    for (int i = 7; i >= 0; --i) {
        p[i] = static_cast<char>(v & 0xFF);
        v >>= 8;
    }
}

// Microseconds since 2000-01-01 UTC, the protocol's clock.
std::int64_t protocol_now() {
    constexpr std::int64_t kEpochOffset = 946'684'800LL * 1'000'000;
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return std::chrono::duration_cast<std::chrono::microseconds>(now).count() - kEpochOffset;
}

[[noreturn]] void fail_with(PGconn* conn, PGresult* res, const std::string& what) {
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    std::string message = what + ": " + one_line(primary ? primary : PQerrorMessage(conn));
    const std::string sqlstate = state ? state : "";
    if (res)
        PQclear(res);
    if (sqlstate.empty())
        throw Error(ErrorKind::connection_lost, message);
    throw Error(classify_sqlstate(sqlstate.c_str()), message + " [SQLSTATE " + sqlstate + "]",
                sqlstate);
}

}  // namespace

std::string format_lsn(Lsn lsn) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%X/%X", static_cast<unsigned>(lsn >> 32),
                  static_cast<unsigned>(lsn & 0xFFFFFFFFu));
    return buf;
}

LogicalStream LogicalStream::start(
    const std::string& conninfo, const std::string& application_name, const std::string& slot,
    const std::string& plugin, const std::vector<std::pair<std::string, std::string>>& options) {
    validate_conninfo(conninfo);
    const char* keys[] = {"dbname", "replication", "application_name", "connect_timeout",
                          "options", nullptr};
    const char* values[] = {conninfo.c_str(), "database", application_name.c_str(), "10",
                            "-c TimeZone=UTC -c DateStyle=ISO,YMD", nullptr};
    PGconn* conn = PQconnectdbParams(keys, values, 1);
    if (!conn)
        throw Error(ErrorKind::connection_lost, "out of memory creating a connection");
    LogicalStream stream(conn);
    if (PQstatus(conn) != CONNECTION_OK)
        throw Error(ErrorKind::connection_lost,
                    "cannot open a replication connection: " + one_line(PQerrorMessage(conn)));

    // The slot name and plugin come from the program, never from a request.
    const std::string create =
        "CREATE_REPLICATION_SLOT \"" + slot + "\" TEMPORARY LOGICAL " + plugin +
        " (SNAPSHOT 'nothing')";
    PGresult* res = PQexec(conn, create.c_str());
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
        fail_with(conn, res, "cannot create the replication slot");
    const std::string consistent_point = PQgetvalue(res, 0, 1);
    PQclear(res);

    std::string start = "START_REPLICATION SLOT \"" + slot + "\" LOGICAL " + consistent_point;
    if (!options.empty()) {
        start += " (";
        for (std::size_t i = 0; i < options.size(); ++i) {
            if (i > 0)
                start += ", ";
            start += "\"" + options[i].first + "\" '" + options[i].second + "'";
        }
        start += ")";
    }
    res = PQexec(conn, start.c_str());
    if (PQresultStatus(res) != PGRES_COPY_BOTH)
        fail_with(conn, res, "cannot start streaming");
    PQclear(res);
    return stream;
}

LogicalStream::LogicalStream(LogicalStream&& o) noexcept
    : conn_(o.conn_),
      confirmed_(o.confirmed_),
      delivered_(o.delivered_),
      last_status_(o.last_status_) {
    o.conn_ = nullptr;
}

LogicalStream& LogicalStream::operator=(LogicalStream&& o) noexcept {
    if (this != &o) {
        if (conn_)
            PQfinish(conn_);
        conn_ = o.conn_;
        confirmed_ = o.confirmed_;
        delivered_ = o.delivered_;
        last_status_ = o.last_status_;
        o.conn_ = nullptr;
    }
    return *this;
}

LogicalStream::~LogicalStream() {
    if (conn_)
        PQfinish(conn_);
}

int LogicalStream::backend_pid() const {
    return conn_ ? PQbackendPID(conn_) : 0;
}

void LogicalStream::confirm(Lsn lsn) {
    if (lsn > confirmed_)
        confirmed_ = lsn;
    send_status(false);
}

void LogicalStream::send_status(bool force) {
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - last_status_ < std::chrono::seconds(1))
        return;
    char msg[1 + 8 * 4 + 1];
    msg[0] = 'r';
    write_be64(msg + 1, confirmed_);   // written
    write_be64(msg + 9, confirmed_);   // flushed
    write_be64(msg + 17, confirmed_);  // applied
    write_be64(msg + 25, static_cast<std::uint64_t>(protocol_now()));
    msg[33] = 0;
    if (PQputCopyData(conn_, msg, sizeof msg) != 1 || PQflush(conn_) != 0)
        throw Error(ErrorKind::connection_lost,
                    "the replication connection failed: " + one_line(PQerrorMessage(conn_)));
    last_status_ = now;
}

std::optional<StreamMessage> LogicalStream::next(std::chrono::milliseconds wait) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    for (;;) {
        char* buf = nullptr;
        const int n = PQgetCopyData(conn_, &buf, 1);
        if (n > 0) {
            const std::string_view msg(buf, static_cast<std::size_t>(n));
            std::optional<StreamMessage> out;
            if (msg.size() >= 25 && msg[0] == 'w') {
                const Lsn start = read_be64(buf + 1);
                delivered_ = std::max(delivered_, start);
                out = StreamMessage{start, std::string(msg.substr(25))};
            } else if (msg.size() >= 18 && msg[0] == 'k') {
                const Lsn wal_end = read_be64(buf + 1);
                const bool reply = msg[17] != 0;
                // Nothing delivered is waiting to be applied: the server may move on to its
                // current position (no change of ours lies between).
                if (confirmed_ >= delivered_ && wal_end > confirmed_)
                    confirmed_ = wal_end, delivered_ = wal_end;
                if (reply)
                    send_status(true);
            }
            PQfreemem(buf);
            if (out)
                return out;
            continue;
        }
        if (n == -2)
            throw Error(ErrorKind::connection_lost,
                        "the replication stream failed: " + one_line(PQerrorMessage(conn_)));
        if (n == -1) {
            PGresult* res = PQgetResult(conn_);
            fail_with(conn_, res, "the server ended the replication stream");
        }
        send_status(false);
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return std::nullopt;
        pollfd pfd{PQsocket(conn_), POLLIN, 0};
        const int ready = ::poll(&pfd, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno != EINTR)
            throw Error(ErrorKind::connection_lost, "poll on the replication connection failed");
        if (ready > 0 && PQconsumeInput(conn_) == 0)
            throw Error(ErrorKind::connection_lost,
                        "the replication connection failed: " + one_line(PQerrorMessage(conn_)));
    }
}

}  // namespace hotel::pg
