#include "pg/pool.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

#include "pg/error.hpp"

namespace hotel::pg {

namespace asio = boost::asio;

// A coroutine waiting for a connection. The releasing side hands a connection over under the
// pool mutex and then, on the waiter's own executor, moves the timer's expiry into the past:
// that completes a pending wait and makes a wait that has not started yet return at once.
struct Pool::Waiter {
    explicit Waiter(asio::any_io_executor ex) : executor(ex), timer(ex) {}
    asio::any_io_executor executor;
    asio::steady_timer timer;
    std::unique_ptr<Connection> handed;
    bool woken = false;
};

PooledConnection::PooledConnection(std::shared_ptr<Pool> pool, std::unique_ptr<Connection> conn,
                                   asio::any_io_executor holder)
    : pool_(std::move(pool)), conn_(std::move(conn)), holder_(std::move(holder)) {}

PooledConnection& PooledConnection::operator=(PooledConnection&& other) noexcept {
    if (this != &other) {
        give_back();
        pool_ = std::move(other.pool_);
        conn_ = std::move(other.conn_);
        holder_ = std::move(other.holder_);
    }
    return *this;
}

PooledConnection::~PooledConnection() {
    give_back();
}

void PooledConnection::give_back() {
    if (pool_ && conn_)
        pool_->release(std::move(conn_), holder_);
    pool_.reset();
    holder_ = asio::any_io_executor();
}

std::shared_ptr<Pool> Pool::create(asio::any_io_executor executor, PoolOptions options) {
    return std::shared_ptr<Pool>(new Pool(std::move(executor), std::move(options)));
}

Pool::Pool(asio::any_io_executor executor, PoolOptions options)
    : executor_(std::move(executor)), options_(std::move(options)) {
    if (options_.max_size == 0)
        options_.max_size = 1;
}

PoolStats Pool::stats() const {
    std::lock_guard lock(mutex_);
    PoolStats s;
    s.in_use = static_cast<long long>(in_use_);
    s.idle = static_cast<long long>(idle_.size());
    s.waiting = static_cast<long long>(waiters_.size());
    s.connecting = static_cast<long long>(connecting_);
    s.created = created_;
    s.connect_failures = connect_failures_;
    s.discarded = discarded_;
    s.acquire_timeouts = acquire_timeouts_;
    s.transaction_retries = transaction_retries_;
    for (const auto& b : wait_buckets_)
        s.wait_buckets.push_back(b.load(std::memory_order_relaxed));
    s.wait_sum_seconds = static_cast<double>(wait_micros_sum_.load()) / 1e6;
    return s;
}

void Pool::wake_one_locked() {
    // Wake the oldest waiter without a connection, so it can try to open one itself.
    for (auto& w : waiters_) {
        if (!w->woken) {
            w->woken = true;
            asio::post(w->executor, [w] { w->timer.expires_at(Clock::time_point::min()); });
            return;
        }
    }
}

void Pool::discard(std::unique_ptr<Connection> conn) {
    ++discarded_;
    conn.reset();
    std::lock_guard lock(mutex_);
    --in_use_;
    wake_one_locked();
}

void Pool::return_healthy(std::unique_ptr<Connection> conn) {
    std::lock_guard lock(mutex_);
    --in_use_;
    while (!waiters_.empty()) {
        auto w = waiters_.front();
        waiters_.pop_front();
        if (w->handed)
            continue;
        w->handed = std::move(conn);
        ++in_use_;
        asio::post(w->executor, [w] { w->timer.expires_at(Clock::time_point::min()); });
        return;
    }
    idle_.push_back(std::move(conn));
}

// Requests run on strands of the io_context (or what PoolOptions::is_request_strand says is
// one); other coroutines (tests, background work) do not take part in the
// one-connection-per-strand rule.
bool Pool::is_strand(const asio::any_io_executor& ex) const noexcept {
    return ex && (ex.target<asio::strand<asio::io_context::executor_type>>() != nullptr ||
                  ex.target<asio::strand<asio::any_io_executor>>() != nullptr ||
                  (options_.is_request_strand && options_.is_request_strand(ex)));
}

PooledConnection Pool::hand_out(std::unique_ptr<Connection> conn,
                                const asio::any_io_executor& holder) {
    // Still on the thread of the coroutine that asked: its trace is the current one.
    if (options_.trace_id)
        conn->tag(options_.trace_id());
    if (!is_strand(holder))
        return PooledConnection(shared_from_this(), std::move(conn));
    {
        std::lock_guard lock(mutex_);
        holders_.push_back(holder);
    }
    return PooledConnection(shared_from_this(), std::move(conn), holder);
}

void Pool::release(std::unique_ptr<Connection> conn, const asio::any_io_executor& holder) {
    if (holder) {
        std::lock_guard lock(mutex_);
        auto it = std::find(holders_.begin(), holders_.end(), holder);
        if (it != holders_.end())
            holders_.erase(it);
    }
    if (conn->broken())
        return discard(std::move(conn));
    if (!conn->in_transaction())
        return return_healthy(std::move(conn));
    // Left inside a transaction (not committed, or failed): roll back before reuse. This runs
    // detached because it starts from a destructor; if ROLLBACK cannot complete, discard.
    auto self = shared_from_this();
    asio::co_spawn(
        executor_,
        [self, c = std::move(conn)]() mutable -> asio::awaitable<void> {
            try {
                co_await c->execute(Sql("ROLLBACK"), {}, Clock::now() + std::chrono::seconds(5));
            } catch (const std::exception&) {
            }
            if (c->broken() || c->in_transaction())
                self->discard(std::move(c));
            else
                self->return_healthy(std::move(c));
        },
        asio::detached);
}

asio::awaitable<std::unique_ptr<Connection>> Pool::try_connect(Deadline deadline) {
    ConnectOptions o = options_.connect;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left < o.connect_timeout)
        o.connect_timeout = std::max(left, std::chrono::milliseconds(1));
    try {
        auto conn = co_await Connection::connect(executor_, o);
        ++created_;
        std::lock_guard lock(mutex_);
        --connecting_;
        ++in_use_;
        backoff_ = std::chrono::milliseconds(0);
        next_connect_ = Clock::time_point::min();
        co_return conn;
    } catch (const Error& e) {
        ++connect_failures_;
        std::lock_guard lock(mutex_);
        --connecting_;
        if (e.kind() == ErrorKind::invalid_configuration)
            throw;
        backoff_ = backoff_.count() == 0 ? options_.backoff_min
                                         : std::min(backoff_ * 2, options_.backoff_max);
        next_connect_ = Clock::now() + backoff_;
        wake_one_locked();  // someone else may try when the backoff ends
    }
    co_return nullptr;
}

asio::awaitable<PooledConnection> Pool::acquire() {
    co_return co_await acquire(Clock::now() + options_.acquire_timeout);
}

asio::awaitable<PooledConnection> Pool::acquire(Deadline deadline) {
    const auto started = Clock::now();
    auto conn = co_await wait_for_connection(deadline);
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    std::size_t i = 0;
    while (i < std::size(core::kPoolWaitBounds) && seconds > core::kPoolWaitBounds[i])
        ++i;
    wait_buckets_[i].fetch_add(1, std::memory_order_relaxed);
    wait_micros_sum_.fetch_add(static_cast<long long>(seconds * 1e6), std::memory_order_relaxed);
    co_return conn;
}

StatementTimer::~StatementTimer() {
    try {
        pool_.note_statement(statement_, Clock::now() - started_, conn_);
    } catch (...) {
        // A report that cannot be made (out of memory) is not worth a failed request.
    }
}

void Pool::note_statement(const Statement& statement, Clock::duration took,
                          const Connection& conn) {
    if (options_.slow_statement.count() <= 0 || took < options_.slow_statement ||
        !options_.on_slow_statement)
        return;
    options_.on_slow_statement(statement.name,
                               std::chrono::duration_cast<std::chrono::milliseconds>(took).count(),
                               conn.backend_pid());
}

asio::awaitable<PooledConnection> Pool::wait_for_connection(Deadline deadline) {
    auto self = shared_from_this();
    auto executor = co_await asio::this_coro::executor;
    if (is_strand(executor)) {
        std::lock_guard lock(mutex_);
        if (std::find(holders_.begin(), holders_.end(), executor) != holders_.end())
            throw std::logic_error(
                "a second database connection was requested by a strand that holds one");
    }
    for (;;) {
        std::unique_ptr<Connection> candidate;
        bool may_connect = false;
        std::shared_ptr<Waiter> waiter;
        Deadline wake_at = deadline;
        {
            std::lock_guard lock(mutex_);
            if (!idle_.empty()) {
                candidate = std::move(idle_.back());
                idle_.pop_back();
                ++in_use_;
            } else if (in_use_ + idle_.size() + connecting_ < options_.max_size &&
                       Clock::now() >= next_connect_) {
                ++connecting_;
                may_connect = true;
            } else {
                if (waiters_.size() >= options_.max_waiting) {
                    ++acquire_timeouts_;
                    throw Error(ErrorKind::unavailable, "database pool wait queue is full");
                }
                waiter = std::make_shared<Waiter>(executor);
                if (in_use_ + idle_.size() + connecting_ < options_.max_size)
                    wake_at = std::min(deadline, next_connect_);  // retry after the backoff
                // Set before the waiter is visible: a release that happens before our
                // async_wait starts then moves the expiry to the past, and the wait returns at
                // once. (Waiters run on a strand or a single-threaded executor.)
                waiter->timer.expires_at(wake_at);
                waiters_.push_back(waiter);
            }
        }

        if (candidate) {
            bool usable = candidate->still_usable();
            if (usable && Clock::now() - candidate->last_used() > options_.ping_after_idle) {
                try {
                    co_await candidate->execute(
                        Sql("SELECT 1"), {},
                        std::min(deadline, Clock::now() + std::chrono::seconds(1)));
                } catch (const Error&) {
                    usable = false;
                }
            }
            if (usable)
                co_return hand_out(std::move(candidate), executor);
            discard(std::move(candidate));
            continue;
        }

        if (may_connect) {
            auto conn = co_await try_connect(deadline);
            if (conn)
                co_return hand_out(std::move(conn), executor);
            if (Clock::now() >= deadline) {
                ++acquire_timeouts_;
                throw Error(ErrorKind::unavailable, "the database is unreachable");
            }
            continue;  // will wait for the backoff or a released connection
        }

        co_await waiter->timer.async_wait(asio::as_tuple(asio::use_awaitable));
        std::unique_ptr<Connection> handed;
        {
            std::lock_guard lock(mutex_);
            handed = std::move(waiter->handed);
            if (!handed) {
                auto it = std::find(waiters_.begin(), waiters_.end(), waiter);
                if (it != waiters_.end())
                    waiters_.erase(it);
            }
        }
        if (handed)
            co_return hand_out(std::move(handed), executor);
        if (Clock::now() >= deadline) {
            ++acquire_timeouts_;
            throw Error(ErrorKind::unavailable, "no database connection became free in time");
        }
    }
}

asio::awaitable<void> Pool::ping(Deadline deadline) {
    auto conn = co_await acquire(deadline);
    co_await conn->execute(Sql("SELECT 1"), {}, deadline);
}

asio::awaitable<Rows> Pool::query_params(const Statement& statement, Params params) {
    auto conn = co_await acquire();
    const StatementTimer timer(*this, statement, *conn);
    co_return co_await conn->execute(statement, std::move(params), query_deadline());
}

}  // namespace hotel::pg
