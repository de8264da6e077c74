#pragma once
// Transaction: RAII over a pooled connection. It rolls back unless commit() succeeded: the
// destructor cannot wait, so the connection goes back to the pool still inside the
// transaction, and the pool rolls it back before reuse (or discards it if that fails).
//
// with_transaction(pool, fn) re-runs the whole of fn on serialization failures (40001) and
// deadlocks (40P01), a bounded number of times. A connection lost during COMMIT is reported as
// Error(outcome_unknown) and never retried: the commit may or may not have happened.

#include <boost/asio/awaitable.hpp>
#include <utility>

#include "pg/error.hpp"
#include "pg/pool.hpp"

namespace hotel::pg {

enum class Isolation { read_committed, repeatable_read, serializable };

class Transaction {
  public:
    static boost::asio::awaitable<Transaction> begin(
        Pool& pool, Isolation isolation = Isolation::read_committed);
    Transaction(Transaction&&) noexcept = default;
    Transaction& operator=(Transaction&&) noexcept = default;
    ~Transaction() = default;  // the pool rolls back what was not committed

    template <class... Args>
    boost::asio::awaitable<Rows> query(const Statement& statement, const Args&... args) {
        return query_params(statement, Params{to_param(args)...});
    }
    boost::asio::awaitable<Rows> query_params(const Statement& statement, Params params);
    boost::asio::awaitable<void> commit();
    boost::asio::awaitable<void> rollback();
    Connection& connection() { return *conn_; }

  private:
    Transaction(Pool& pool, PooledConnection conn) : pool_(&pool), conn_(std::move(conn)) {}
    Pool* pool_;
    PooledConnection conn_;
    bool done_ = false;
};

template <class F>
auto with_transaction(Pool& pool, F fn, int max_attempts = 3,
                      Isolation isolation = Isolation::read_committed)
    -> decltype(fn(std::declval<Transaction&>())) {
    for (int attempt = 1;; ++attempt) {
        try {
            auto tx = co_await Transaction::begin(pool, isolation);
            if constexpr (std::is_void_v<typename decltype(fn(tx))::value_type>) {
                co_await fn(tx);
                co_await tx.commit();
                co_return;
            } else {
                auto result = co_await fn(tx);
                co_await tx.commit();
                co_return result;
            }
        } catch (const Error& e) {
            if (!e.retryable() || attempt >= max_attempts)
                throw;
            pool.count_transaction_retry();
        }
    }
}

}  // namespace hotel::pg
