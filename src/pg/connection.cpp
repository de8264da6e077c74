#include "pg/connection.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <string>
#include <variant>

#include "pg/error.hpp"

namespace hotel::pg {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

namespace {

// PQcancel blocks (it opens a new connection to the server), so it runs here, never on an I/O
// thread. Two threads: one slow cancel must not delay the next.
asio::thread_pool& cancel_threads() {
    static asio::thread_pool pool(2);
    return pool;
}

Error error_from_result(PGresult* res, PGconn* conn) {
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    const char* constraint = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : nullptr;
    std::string message = one_line(primary ? primary : PQerrorMessage(conn));
    if (!state)
        return Error(ErrorKind::connection_lost, message.empty() ? "connection lost" : message);
    message += std::string(" [SQLSTATE ") + state + "]";
    return Error(classify_sqlstate(state), message, state, constraint ? constraint : "");
}

}  // namespace

void validate_conninfo(const std::string& conninfo) {
    char* err = nullptr;
    PQconninfoOption* parsed = PQconninfoParse(conninfo.c_str(), &err);
    if (!parsed) {
        std::string message = "invalid database connection string";
        if (err) {
            message += ": " + one_line(err);
            PQfreemem(err);
        }
        throw Error(ErrorKind::invalid_configuration, message);
    }
    PQconninfoFree(parsed);
}

// The socket and the deadline of the operation in progress. One timer is armed per
// operation (not per wait): when it fires it cancels whatever socket wait is pending, which is
// cheaper than racing a timer against every single wait. The timer's handler runs on the
// executor of the coroutine using the connection, so it never races that coroutine; it holds
// the Io alive, and does nothing once the operation has disarmed it.
struct Connection::Io : std::enable_shared_from_this<Connection::Io> {
    explicit Io(asio::any_io_executor ex) : socket(ex), timer(ex) {}
    ~Io() { release(); }
    void release() {
        // libpq owns the file descriptor; Asio must forget it, never close it.
        if (socket.is_open())
            socket.release();
    }
    void attach(int fd) {
        if (socket.is_open() && socket.native_handle() == fd)
            return;
        release();
        socket.assign(fd);
    }
    void arm(Deadline deadline, const asio::any_io_executor& handler_executor) {
        armed = true;
        expired = Clock::now() >= deadline;
        timer.expires_at(deadline);
        timer.async_wait(asio::bind_executor(
            handler_executor, [self = shared_from_this()](const boost::system::error_code& ec) {
                if (ec || !self->armed)
                    return;
                self->expired = true;
                boost::system::error_code ignored;
                self->socket.cancel(ignored);
            }));
    }
    void disarm() {
        armed = false;
        timer.cancel();
    }
    // Waits until the socket is readable (and/or writable) or the armed deadline passes;
    // false at the deadline.
    asio::awaitable<bool> wait(bool want_read, bool want_write) {
        using wt = asio::posix::stream_descriptor::wait_type;
        if (expired)
            co_return false;
        boost::system::error_code ec;
        if (want_read && want_write) {
            auto r =
                co_await (socket.async_wait(wt::wait_read, asio::as_tuple(asio::use_awaitable)) ||
                          socket.async_wait(wt::wait_write, asio::as_tuple(asio::use_awaitable)));
            ec = std::visit([](auto& t) { return std::get<0>(t); }, r);
        } else {
            std::tie(ec) = co_await socket.async_wait(want_read ? wt::wait_read : wt::wait_write,
                                                      asio::as_tuple(asio::use_awaitable));
        }
        if (expired)
            co_return false;
        if (ec)
            throw Error(ErrorKind::connection_lost,
                        "waiting on the socket failed: " + ec.message());
        co_return true;
    }
    asio::posix::stream_descriptor socket;
    asio::steady_timer timer;
    bool armed = false;
    bool expired = false;
};

namespace {
// Disarms the operation's deadline on every path out of the operation.
struct Armed {
    Armed(Connection::Io& io, Deadline deadline, const asio::any_io_executor& ex) : io(io) {
        io.arm(deadline, ex);
    }
    ~Armed() { io.disarm(); }
    Connection::Io& io;
};
}  // namespace

Connection::Connection(PGconn* conn, std::shared_ptr<Io> io) : conn_(conn), io_(std::move(io)) {
    // libpq prints notices (and a terminated backend's FATAL) to stderr by default; the driver
    // reports failures as typed errors instead, and the server logs them anyway.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
    if (PGcancel* c = PQgetCancel(conn_))
        cancel_.reset(c, &PQfreeCancel);
}

Connection::~Connection() {
    io_->release();  // Asio forgets the descriptor before libpq closes it
    io_->disarm();
    PQfinish(conn_);
}

asio::awaitable<std::unique_ptr<Connection>> Connection::connect(asio::any_io_executor executor,
                                                                 const ConnectOptions& o) {
    validate_conninfo(o.conninfo);
    // Server-side guards travel as startup options, so they hold from the first statement.
    // TimeZone and DateStyle fix the text formats that result_traits parse.
    const std::string options =
        "-c statement_timeout=" + std::to_string(o.statement_timeout.count()) +
        " -c idle_in_transaction_session_timeout=" +
        std::to_string(o.idle_in_transaction_timeout.count()) +
        " -c TimeZone=UTC -c DateStyle=ISO,YMD";
    const char* keys[] = {"dbname", "application_name", "options", nullptr};
    const char* values[] = {o.conninfo.c_str(), o.application_name.c_str(), options.c_str(),
                            nullptr};
    // PQconnectStartParams may resolve host names (it reads /etc/hosts, maybe DNS) before it
    // returns; with the Unix sockets and loopback addresses used here that is immediate.
    PGconn* raw = PQconnectStartParams(keys, values, 1);
    if (!raw)
        throw Error(ErrorKind::connection_lost, "out of memory starting a connection");
    std::unique_ptr<PGconn, void (*)(PGconn*)> guard(raw, &PQfinish);
    if (PQstatus(raw) == CONNECTION_BAD)
        throw Error(ErrorKind::connection_lost,
                    "cannot connect to the database: " + one_line(PQerrorMessage(raw)));

    auto io = std::make_shared<Io>(executor);
    const Deadline deadline = Clock::now() + o.connect_timeout;
    Armed armed(*io, deadline, co_await asio::this_coro::executor);
    PostgresPollingStatusType poll = PGRES_POLLING_WRITING;
    for (;;) {
        if (poll == PGRES_POLLING_OK)
            break;
        if (poll == PGRES_POLLING_FAILED)
            throw Error(ErrorKind::connection_lost,
                        "cannot connect to the database: " + one_line(PQerrorMessage(raw)));
        // The socket can change between steps (a new address is tried): re-read it every time.
        const int fd = PQsocket(raw);
        if (fd < 0)
            throw Error(ErrorKind::connection_lost, "cannot connect: no socket");
        io->attach(fd);
        const bool ready =
            co_await io->wait(poll == PGRES_POLLING_READING, poll == PGRES_POLLING_WRITING);
        if (!ready)
            throw Error(ErrorKind::connection_lost, "timed out connecting to the database");
        poll = PQconnectPoll(raw);
    }
    if (PQsetnonblocking(raw, 1) != 0)
        throw Error(ErrorKind::connection_lost, "cannot make the connection non-blocking");
    io->attach(PQsocket(raw));
    io->disarm();
    std::unique_ptr<Connection> c(new Connection(guard.release(), std::move(io)));
    c->base_name_ = o.application_name;
    c->name_ = o.application_name;
    co_return c;
}

bool Connection::in_transaction() const noexcept {
    const auto s = PQtransactionStatus(conn_);
    return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
}

int Connection::backend_pid() const noexcept {
    return PQbackendPID(conn_);
}

bool Connection::still_usable() {
    if (broken_ || PQstatus(conn_) != CONNECTION_OK || PQtransactionStatus(conn_) != PQTRANS_IDLE) {
        broken_ = true;
        return false;
    }
    // An idle connection of this application receives nothing (no LISTEN): if its socket is
    // readable, the server sent a termination notice, closed it, or both. libpq would only find
    // out on the next query, so check here, without blocking, and discard such a connection.
    pollfd p{PQsocket(conn_), POLLIN, 0};
    if (::poll(&p, 1, 0) != 0) {
        broken_ = true;
        return false;
    }
    return true;
}

void Connection::fail_connection(const std::string& what) {
    broken_ = true;
    throw Error(ErrorKind::connection_lost, what + ": " + one_line(PQerrorMessage(conn_)));
}

asio::awaitable<void> Connection::flush(Deadline deadline) {
    for (;;) {
        const int r = PQflush(conn_);
        if (r == 0)
            co_return;
        if (r < 0)
            fail_connection("sending to the database failed");
        // Wait for writable OR readable: while we send, the server may be sending too (notices,
        // an error), and it stops reading if nobody reads its output.
        (void)deadline;  // armed by the caller
        const bool ready = co_await io_->wait(true, true);
        if (!ready) {
            broken_ = true;  // a half-sent message leaves the protocol in an unknown state
            throw Error(ErrorKind::query_cancelled, "timed out sending to the database");
        }
        if (PQconsumeInput(conn_) == 0)
            fail_connection("reading from the database failed");
    }
}

asio::awaitable<Rows> Connection::collect(Deadline deadline) {
    Rows last;
    std::optional<Error> error;
    bool cancel_sent = false;
    Deadline limit = deadline;
    // Read what has arrived and parse it; when libpq needs more, wait for the socket. (Waiting
    // before the first read was measured: it raised the median latency tenfold in
    // bench/pg_driver.sh, so the first step is a non-blocking read.)
    for (;;) {
        if (PQconsumeInput(conn_) == 0)
            fail_connection("reading from the database failed");
        while (!PQisBusy(conn_)) {
            PGresult* res = PQgetResult(conn_);
            if (!res) {
                last_used_ = Clock::now();
                if (error) {
                    if (error->kind() == ErrorKind::connection_lost)
                        broken_ = true;
                    throw *error;
                }
                co_return last;
            }
            switch (PQresultStatus(res)) {
                case PGRES_TUPLES_OK:
                case PGRES_COMMAND_OK:
                case PGRES_EMPTY_QUERY:
                    last = Rows(res);
                    break;
                case PGRES_PIPELINE_SYNC:
                    // The end of one synced part of a pipeline (run_tagged): nothing follows it.
                    PQclear(res);
                    last_used_ = Clock::now();
                    co_return last;
                case PGRES_PIPELINE_ABORTED:
                    if (!error)
                        error =
                            Error(ErrorKind::other, "an earlier statement of the pipeline failed");
                    PQclear(res);
                    break;
                case PGRES_FATAL_ERROR:
                case PGRES_NONFATAL_ERROR:
                    if (!error)
                        error = error_from_result(res, conn_);
                    PQclear(res);
                    break;
                default:
                    // COPY and friends are not used by this application.
                    PQclear(res);
                    broken_ = true;
                    throw Error(ErrorKind::other, "unexpected result status from the database");
            }
            if (PQstatus(conn_) == CONNECTION_BAD) {
                broken_ = true;
                throw error ? *error : Error(ErrorKind::connection_lost, "connection lost");
            }
        }
        const bool ready = co_await io_->wait(true, false);
        if (ready)
            continue;
        if (!cancel_sent && cancel_) {
            // Past the client deadline: ask the server to cancel, then keep reading until it
            // answers (57014) or a short grace period passes.
            cancel_sent = true;
            limit = Clock::now() + std::chrono::seconds(3);
            io_->arm(limit, co_await asio::this_coro::executor);
            asio::post(cancel_threads(), [c = cancel_] {
                char err[256];
                PQcancel(c.get(), err, sizeof err);
            });
            continue;
        }
        broken_ = true;
        throw Error(ErrorKind::query_cancelled,
                    "the query passed its deadline and the server did not confirm the cancel");
    }
}

asio::awaitable<Rows> Connection::run(const char* prepared_name, const char* sql, Params params,
                                      Deadline deadline) {
    if (broken_)
        throw Error(ErrorKind::connection_lost, "connection is broken");
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params)
        values.push_back(p ? p->c_str() : nullptr);
    if (!pending_name_.empty())
        co_return co_await run_tagged(prepared_name, sql, &values, deadline);
    const int n = static_cast<int>(values.size());
    const int sent =
        prepared_name
            ? PQsendQueryPrepared(conn_, prepared_name, n, values.data(), nullptr, nullptr, 0)
            : PQsendQueryParams(conn_, sql, n, nullptr, values.data(), nullptr, nullptr, 0);
    if (!sent)
        fail_connection("sending the query failed");
    Armed armed(*io_, deadline, co_await asio::this_coro::executor);
    co_await flush(deadline);
    co_return co_await collect(deadline);
}

void Connection::tag(std::string_view trace_id) {
    std::string name;
    if (trace_id.empty()) {
        name = base_name_;
    } else {
        // application_name keeps 63 bytes: shorten the base so the trace id always fits whole.
        constexpr std::size_t kMax = 63;
        const auto room = kMax > trace_id.size() + 1 ? kMax - trace_id.size() - 1 : 0;
        name.assign(base_name_, 0, std::min(room, base_name_.size()));
        name += ' ';
        name += trace_id;
    }
    if (name == name_)
        pending_name_.clear();
    else
        pending_name_ = std::move(name);
}

// The statement (or with values == nullptr, the preparation of `sql` as `prepared_name`: a
// statement's first use on a connection, which may wait for locks as long as running it) with a
// set_config of application_name in front of it, in one pipeline: the set_config, a sync, the
// statement, a sync. Both go out before either answer is awaited, so it
// costs the round trip the statement costs alone. The set_config commits on its own (its sync),
// so neither the statement's failure nor a later ROLLBACK takes the name back.
asio::awaitable<Rows> Connection::run_tagged(const char* prepared_name, const char* sql,
                                             const std::vector<const char*>* values,
                                             Deadline deadline) {
    std::string name = std::move(pending_name_);
    pending_name_.clear();
    const char* name_value[] = {name.c_str()};
    const int n = values ? static_cast<int>(values->size()) : 0;
    if (PQenterPipelineMode(conn_) != 1)
        fail_connection("entering pipeline mode failed");
    const bool sent =
        PQsendQueryParams(conn_, "SELECT set_config('application_name', $1, false)", 1, nullptr,
                          name_value, nullptr, nullptr, 0) &&
        PQpipelineSync(conn_) &&
        (!values ? PQsendPrepare(conn_, prepared_name, sql, 0, nullptr)
         : prepared_name
             ? PQsendQueryPrepared(conn_, prepared_name, n, values->data(), nullptr, nullptr, 0)
             : PQsendQueryParams(conn_, sql, n, nullptr, values->data(), nullptr, nullptr, 0)) &&
        PQpipelineSync(conn_);
    if (!sent)
        fail_connection("sending the query failed");
    Armed armed(*io_, deadline, co_await asio::this_coro::executor);
    co_await flush(deadline);
    // Every part is read to its sync whatever fails, so the connection leaves pipeline mode
    // ready for the next statement; a failure of the connection itself ends that at once.
    std::optional<Error> failed;
    Rows rows;
    for (int part = 0; part < 4; ++part) {
        try {
            auto got = co_await collect(deadline);
            if (part == 2)
                rows = std::move(got);
            else if (part == 0)
                name_ = name;
        } catch (const Error& e) {
            if (broken_)
                throw;
            if (!failed && part == 2)
                failed = e;
        }
    }
    if (PQexitPipelineMode(conn_) != 1)
        fail_connection("leaving pipeline mode failed");
    if (failed)
        throw *failed;
    co_return rows;
}

asio::awaitable<void> Connection::prepare(const Statement& statement, Deadline deadline) {
    if (broken_)
        throw Error(ErrorKind::connection_lost, "connection is broken");
    if (prepared_.count(statement.name))
        co_return;
    if (!pending_name_.empty()) {
        co_await run_tagged(statement.name, statement.sql.text, nullptr, deadline);
        prepared_.insert(statement.name);
        co_return;
    }
    if (!PQsendPrepare(conn_, statement.name, statement.sql.text, 0, nullptr))
        fail_connection("sending the prepare failed");
    Armed armed(*io_, deadline, co_await asio::this_coro::executor);
    co_await flush(deadline);
    co_await collect(deadline);
    prepared_.insert(statement.name);
}

asio::awaitable<Rows> Connection::execute(const Statement& statement, Params params,
                                          Deadline deadline) {
    co_await prepare(statement, deadline);
    co_return co_await run(statement.name, nullptr, std::move(params), deadline);
}

asio::awaitable<Rows> Connection::execute(Sql sql, Params params, Deadline deadline) {
    co_return co_await run(nullptr, sql.text, std::move(params), deadline);
}

}  // namespace hotel::pg
