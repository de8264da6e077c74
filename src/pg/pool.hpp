#pragma once
// Pool: a bounded set of Connections shared by all I/O threads (the project's deadpool).
// - at most max_size connections; a bounded wait queue; every acquire has a deadline, past
//   which it fails with Error(unavailable) (the HTTP layer answers 503 with Retry-After);
// - a connection that comes back broken, or is found broken on checkout, is discarded;
//   one that idled for a while is pinged before use;
// - a connection that comes back inside a transaction is rolled back first, and discarded if
//   the rollback fails;
// - when the database is unreachable, new connections are attempted with exponential backoff,
//   so a database restart is survived without restarting the process;
// - one connection per strand: a coroutine running on a strand (every HTTP request runs on its
//   connection's strand) that already holds a connection cannot acquire a second one (it gets
//   std::logic_error at once). Holding one connection while waiting for another is how a burst
//   of requests deadlocks a bounded pool, so that shape fails in the first test that runs it.

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <iterator>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "core/infrastructure.hpp"
#include "pg/connection.hpp"

namespace hotel::pg {

struct PoolOptions {
    ConnectOptions connect;
    std::size_t max_size = 16;
    std::size_t max_waiting = 1024;
    std::chrono::milliseconds acquire_timeout{2'000};
    std::chrono::milliseconds query_timeout{5'000};  // default client deadline per statement
    std::chrono::milliseconds ping_after_idle{10'000};
    std::chrono::milliseconds backoff_min{50};
    std::chrono::milliseconds backoff_max{2'000};
    // The trace id of the request being handled on this thread ("" for none), to name each
    // checkout in pg_stat_activity (Connection::tag). Unset: connections keep their base name.
    std::string_view (*trace_id)() noexcept = nullptr;
    // Whether an executor is a request's strand of a kind the pool cannot name (the server's
    // traced strands), for the one-connection-per-strand rule. Unset: only Asio's strands.
    bool (*is_request_strand)(const boost::asio::any_io_executor&) noexcept = nullptr;
    // A statement run through query() or a Transaction that took at least slow_statement is
    // reported to on_slow_statement (statement name, milliseconds, backend pid) on the thread
    // that ran it, i.e. still inside the request that ran it. 0: never.
    std::chrono::milliseconds slow_statement{0};
    std::function<void(std::string_view name, long long millis, int backend_pid)> on_slow_statement;
};

// What the pool counts (and /metrics reports).
using PoolStats = core::DatabaseStatus;

class Pool;

// Times one statement from construction to destruction (so a statement that fails, e.g. at
// statement_timeout, is timed too) and reports it to the pool when slow.
class StatementTimer {
  public:
    StatementTimer(Pool& pool, const Statement& statement, const Connection& conn) noexcept
        : pool_(pool), statement_(statement), conn_(conn), started_(Clock::now()) {}
    ~StatementTimer();
    StatementTimer(const StatementTimer&) = delete;
    StatementTimer& operator=(const StatementTimer&) = delete;

  private:
    Pool& pool_;
    const Statement& statement_;
    const Connection& conn_;
    Clock::time_point started_;
};

// A connection checked out of the pool; goes back when destroyed.
class PooledConnection {
  public:
    PooledConnection() = default;
    PooledConnection(std::shared_ptr<Pool> pool, std::unique_ptr<Connection> conn,
                     boost::asio::any_io_executor holder = {});
    PooledConnection(PooledConnection&&) noexcept = default;
    PooledConnection& operator=(PooledConnection&& other) noexcept;
    ~PooledConnection();
    Connection* operator->() const { return conn_.get(); }
    Connection& operator*() const { return *conn_; }
    explicit operator bool() const { return conn_ != nullptr; }

  private:
    void give_back();
    std::shared_ptr<Pool> pool_;
    std::unique_ptr<Connection> conn_;
    boost::asio::any_io_executor holder_;  // the strand holding it, if any
};

class Pool : public std::enable_shared_from_this<Pool> {
  public:
    static std::shared_ptr<Pool> create(boost::asio::any_io_executor executor, PoolOptions options);

    boost::asio::awaitable<PooledConnection> acquire();
    boost::asio::awaitable<PooledConnection> acquire(Deadline deadline);

    // One statement on a pooled connection, with the default query deadline.
    template <class... Args>
    boost::asio::awaitable<Rows> query(const Statement& statement, const Args&... args) {
        return query_params(statement, Params{to_param(args)...});
    }
    boost::asio::awaitable<Rows> query_params(const Statement& statement, Params params);

    // A trivial query on a pooled connection by `deadline`; throws Error otherwise (readiness).
    boost::asio::awaitable<void> ping(Deadline deadline);

    PoolStats stats() const;
    // Reports a statement that took `took` when it reached slow_statement.
    void note_statement(const Statement& statement, Clock::duration took, const Connection& conn);
    const PoolOptions& options() const noexcept { return options_; }
    Deadline query_deadline() const { return Clock::now() + options_.query_timeout; }
    void count_transaction_retry() { ++transaction_retries_; }

  private:
    friend class PooledConnection;
    struct Waiter;
    Pool(boost::asio::any_io_executor executor, PoolOptions options);
    void release(std::unique_ptr<Connection> conn, const boost::asio::any_io_executor& holder);
    PooledConnection hand_out(std::unique_ptr<Connection> conn,
                              const boost::asio::any_io_executor& holder);
    void return_healthy(std::unique_ptr<Connection> conn);
    void discard(std::unique_ptr<Connection> conn);
    void wake_one_locked();
    bool is_strand(const boost::asio::any_io_executor& ex) const noexcept;
    boost::asio::awaitable<std::unique_ptr<Connection>> try_connect(Deadline deadline);
    boost::asio::awaitable<PooledConnection> wait_for_connection(Deadline deadline);

    boost::asio::any_io_executor executor_;
    PoolOptions options_;

    mutable std::mutex mutex_;
    std::vector<std::unique_ptr<Connection>> idle_;  // LIFO: the warmest connection first
    std::deque<std::shared_ptr<Waiter>> waiters_;
    std::vector<boost::asio::any_io_executor> holders_;  // strands holding a connection
    std::size_t in_use_ = 0;
    std::size_t connecting_ = 0;
    Clock::time_point next_connect_ = Clock::time_point::min();
    std::chrono::milliseconds backoff_{0};

    std::atomic<long long> created_{0};
    std::atomic<long long> connect_failures_{0};
    std::atomic<long long> discarded_{0};
    std::atomic<long long> acquire_timeouts_{0};
    std::atomic<long long> transaction_retries_{0};
    // Time from acquire() to a connection in hand, per bucket of core::kPoolWaitBounds.
    std::atomic<long long> wait_buckets_[std::size(core::kPoolWaitBounds) + 1] = {};
    std::atomic<long long> wait_micros_sum_{0};
};

}  // namespace hotel::pg
