#pragma once
// Connection: one libpq connection driven by Asio. No call blocks the event loop: connecting
// (PQconnectStart/Poll), sending (non-blocking, PQflush loop that also consumes input) and
// reading results all wait on the socket. A query past its deadline is cancelled on the server
// (PQcancel runs on a helper thread, since it blocks); if even that does not end it in time, the
// connection is marked broken and must be discarded.
//
// A Connection is used by one coroutine at a time (the pool guarantees it).

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "pg/rows.hpp"
#include "pg/sql.hpp"
#include "pg/statement.hpp"

struct pg_conn;
struct pg_cancel;

namespace hotel::pg {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;
using Params = std::vector<std::optional<std::string>>;

struct ConnectOptions {
    std::string conninfo;                                 // libpq URI or key=value
    std::string application_name;                         // shown in pg_stat_activity
    std::chrono::milliseconds statement_timeout{10'000};  // server-side guard
    std::chrono::milliseconds idle_in_transaction_timeout{30'000};
    std::chrono::milliseconds connect_timeout{5'000};
};

// Throws Error(invalid_configuration) with a one-line reason when libpq cannot parse it.
void validate_conninfo(const std::string& conninfo);

class Connection {
  public:
    static boost::asio::awaitable<std::unique_ptr<Connection>> connect(
        boost::asio::any_io_executor executor, const ConnectOptions& options);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Runs a catalogued statement (prepared on first use on this connection).
    boost::asio::awaitable<Rows> execute(const Statement& statement, Params params,
                                         Deadline deadline);
    // Runs a constant statement without preparing it (BEGIN, COMMIT, ROLLBACK, SET ...).
    boost::asio::awaitable<Rows> execute(Sql sql, Params params, Deadline deadline);
    // Prepares a statement without running it (the catalogue test uses this).
    boost::asio::awaitable<void> prepare(const Statement& statement, Deadline deadline);

    // Unusable: the socket broke, a protocol step failed, or a cancel did not take effect.
    bool broken() const noexcept { return broken_; }
    // Marks the connection unusable, so the pool closes it instead of reusing it (which also
    // ends whatever session state it holds, such as advisory locks).
    void discard() noexcept { broken_ = true; }
    // Inside a transaction block (idle in transaction, or in a failed transaction).
    bool in_transaction() const noexcept;
    // Non-blocking health check for a connection taken from the idle list: reads whatever the
    // server sent meanwhile (a termination notice, EOF) and reports whether it is still usable.
    bool still_usable();
    int backend_pid() const noexcept;
    Clock::time_point last_used() const noexcept { return last_used_; }

    // Names the work this connection does next in pg_stat_activity and the server log: its
    // application_name becomes "<application name> <trace id>" (the base name alone for an empty
    // trace id). Nothing is sent now: when the name differs from the one in effect, the next
    // statement carries a set_config in the same pipeline (one round trip, as before), synced on
    // its own so that a rollback of the statement's transaction keeps it.
    void tag(std::string_view trace_id);

    struct Io;

  private:
    Connection(pg_conn* conn, std::shared_ptr<Io> io);
    boost::asio::awaitable<Rows> run(const char* prepared_name, const char* sql, Params params,
                                     Deadline deadline);
    boost::asio::awaitable<void> flush(Deadline deadline);
    boost::asio::awaitable<Rows> collect(Deadline deadline);
    boost::asio::awaitable<Rows> run_tagged(const char* prepared_name, const char* sql,
                                            const std::vector<const char*>* values,
                                            Deadline deadline);
    [[noreturn]] void fail_connection(const std::string& what);

    pg_conn* conn_;
    std::shared_ptr<Io> io_;
    std::shared_ptr<pg_cancel> cancel_;
    std::unordered_set<std::string> prepared_;
    bool broken_ = false;
    Clock::time_point last_used_ = Clock::now();
    std::string base_name_;     // ConnectOptions::application_name
    std::string name_;          // the application_name in effect
    std::string pending_name_;  // to set before the next statement, when not empty
};

}  // namespace hotel::pg
