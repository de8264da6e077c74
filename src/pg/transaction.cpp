#include "pg/transaction.hpp"

namespace hotel::pg {

namespace asio = boost::asio;

asio::awaitable<Transaction> Transaction::begin(Pool& pool, Isolation isolation) {
    auto conn = co_await pool.acquire();
    switch (isolation) {
        case Isolation::read_committed:
            co_await conn->execute(Sql("BEGIN"), {}, pool.query_deadline());
            break;
        case Isolation::repeatable_read:
            co_await conn->execute(Sql("BEGIN ISOLATION LEVEL REPEATABLE READ"), {},
                                   pool.query_deadline());
            break;
        case Isolation::serializable:
            co_await conn->execute(Sql("BEGIN ISOLATION LEVEL SERIALIZABLE"), {},
                                   pool.query_deadline());
            break;
    }
    co_return Transaction(pool, std::move(conn));
}

asio::awaitable<Rows> Transaction::query_params(const Statement& statement, Params params) {
    if (done_)
        throw Error(ErrorKind::other, "transaction already finished");
    const StatementTimer timer(*pool_, statement, *conn_);
    co_return co_await conn_->execute(statement, std::move(params), pool_->query_deadline());
}

asio::awaitable<void> Transaction::commit() {
    if (done_)
        throw Error(ErrorKind::other, "transaction already finished");
    done_ = true;
    Rows result;
    try {
        result = co_await conn_->execute(Sql("COMMIT"), {}, pool_->query_deadline());
    } catch (const Error& e) {
        // The COMMIT may have reached the server and succeeded before the connection broke.
        if (e.kind() == ErrorKind::connection_lost || conn_->broken())
            throw Error(
                ErrorKind::outcome_unknown,
                std::string("connection lost during COMMIT; the outcome is unknown: ") + e.what());
        throw;
    }
    // COMMIT of a transaction that had failed answers "ROLLBACK" without an error.
    if (result.command_tag() == "ROLLBACK")
        throw Error(ErrorKind::other, "the transaction had failed; COMMIT rolled it back");
}

asio::awaitable<void> Transaction::rollback() {
    if (done_)
        co_return;
    done_ = true;
    co_await conn_->execute(Sql("ROLLBACK"), {}, pool_->query_deadline());
}

}  // namespace hotel::pg
