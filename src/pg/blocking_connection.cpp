#include "pg/blocking_connection.hpp"

#include <libpq-fe.h>

#include <string>

#include "pg/connection.hpp"
#include "pg/error.hpp"

namespace hotel::pg {
namespace {

[[noreturn]] void throw_result_error(PGresult* res, PGconn* conn) {
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    const char* constraint = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : nullptr;
    // One line: the primary message, where it happened, and the SQLSTATE. libpq's full text
    // spans several lines (LINE n: ..., a caret), which does not fit a log line or a CLI error.
    const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    std::string message = one_line(primary ? primary : PQerrorMessage(conn));
    if (message.empty())
        message = "the database connection failed";
    if (const char* pos = res ? PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION) : nullptr)
        message += std::string(" (at character ") + pos + ")";
    if (state)
        message += std::string(" [SQLSTATE ") + state + "]";
    if (!state) {
        // No SQLSTATE means the client side failed: the connection is gone or unusable.
        throw Error(ErrorKind::connection_lost, message);
    }
    throw Error(classify_sqlstate(state), message, state, constraint ? constraint : "");
}

}  // namespace

BlockingConnection BlockingConnection::open(const std::string& conninfo,
                                            const std::string& application_name) {
    validate_conninfo(conninfo);  // a one-line invalid_configuration error

    const char* keys[] = {"dbname", "application_name", "connect_timeout", nullptr};
    const char* values[] = {conninfo.c_str(), application_name.c_str(), "10", nullptr};
    // expand_dbname=1: the first dbname is itself a connection string whose settings are
    // overridden only by the later keys; an application_name given in it loses to ours.
    PGconn* conn = PQconnectdbParams(keys, values, 1);
    if (!conn)
        throw Error(ErrorKind::connection_lost, "out of memory creating a connection");
    if (PQstatus(conn) != CONNECTION_OK) {
        std::string message = one_line(PQerrorMessage(conn));
        PQfinish(conn);
        throw Error(ErrorKind::connection_lost, "cannot connect to the database: " + message);
    }
    return BlockingConnection(conn);
}

BlockingConnection::BlockingConnection(PGconn* conn) : conn_(conn) {}
BlockingConnection::BlockingConnection(BlockingConnection&& o) noexcept : conn_(o.conn_) {
    o.conn_ = nullptr;
}
BlockingConnection& BlockingConnection::operator=(BlockingConnection&& o) noexcept {
    if (this != &o) {
        if (conn_)
            PQfinish(conn_);
        conn_ = o.conn_;
        o.conn_ = nullptr;
    }
    return *this;
}
BlockingConnection::~BlockingConnection() {
    if (conn_)
        PQfinish(conn_);
}

Rows BlockingConnection::query(Sql sql, const std::vector<Param>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params)
        values.push_back(p ? p->c_str() : nullptr);
    PGresult* res = PQexecParams(conn_, sql.text, static_cast<int>(values.size()), nullptr,
                                 values.data(), nullptr, nullptr, 0);
    const auto status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        Rows guard(res);  // frees res while the exception propagates
        throw_result_error(res, conn_);
    }
    return Rows(res);
}

void BlockingConnection::run_script(std::string_view script) {
    const std::string text(script);
    PGresult* res = PQexec(conn_, text.c_str());
    Rows guard(res);
    const auto status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK && status != PGRES_EMPTY_QUERY)
        throw_result_error(res, conn_);
}

bool BlockingConnection::in_transaction() const {
    return PQtransactionStatus(conn_) != PQTRANS_IDLE;
}

}  // namespace hotel::pg
