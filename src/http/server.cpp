#include "http/server.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <chrono>
#include <ctime>
#include <list>
#include <mutex>
#include <stdexcept>

#include "http/access_log.hpp"
#include "http/beast_request.hpp"
#include "http/problem.hpp"
#include "http/request_id.hpp"
#include "http/text.hpp"
#include "http/trace.hpp"

namespace hotel::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

namespace {

// One open connection, as the shutdown logic sees it. Touched only on the connection's strand,
// except `idle`, which the shutdown routine reads after posting to that strand.
struct Connection {
    // The strand the connection runs on: fixed at creation, so the shutdown can post to it
    // without reading `stream`, which the connection clears on its strand as it ends.
    asio::any_io_executor executor;
    beast::tcp_stream* stream = nullptr;
    bool idle = false;
};

// The executor under each connection's strand: whatever the strand runs (every step of the
// connection's coroutine, whichever thread takes it) runs with the connection's RequestTrace as
// the thread's current trace, so a log line or a database checkout made anywhere while a request
// is handled finds its trace (trace.hpp). Everything else is the io_context executor's.
template <class Inner>
class TracedExecutor {
  public:
    TracedExecutor(Inner inner, std::shared_ptr<const RequestTrace> trace) noexcept
        : inner_(std::move(inner)), trace_(std::move(trace)) {}

    // The function keeps the trace alive without a reference of its own: what a strand hands
    // here is its invoker, which holds a copy of this executor while it runs. (Not copying the
    // shared_ptr saves two atomic operations per step.) The strand holds this executor as its
    // own type, not type-erased: erasing it cost about 15% of /health's throughput.
    template <class F>
    void execute(F&& f) const {
        inner_.execute([trace = trace_.get(), f = std::forward<F>(f)]() mutable {
            TraceScope scope(trace);
            std::move(f)();
        });
    }

    template <class Property>
    auto query(const Property& p) const -> decltype(asio::query(std::declval<const Inner&>(), p)) {
        return asio::query(inner_, p);
    }
    template <class Property>
    auto require(const Property& p) const
        -> TracedExecutor<std::decay_t<decltype(asio::require(std::declval<const Inner&>(), p))>> {
        return {asio::require(inner_, p), trace_};
    }
    template <class Property>
    auto prefer(const Property& p) const
        -> TracedExecutor<std::decay_t<decltype(asio::prefer(std::declval<const Inner&>(), p))>> {
        return {asio::prefer(inner_, p), trace_};
    }

    friend bool operator==(const TracedExecutor& a, const TracedExecutor& b) noexcept {
        return a.inner_ == b.inner_ && a.trace_ == b.trace_;
    }
    friend bool operator!=(const TracedExecutor& a, const TracedExecutor& b) noexcept {
        return !(a == b);
    }

  private:
    template <class>
    friend class TracedExecutor;
    Inner inner_;
    std::shared_ptr<const RequestTrace> trace_;
};

using RequestExecutor = TracedExecutor<asio::io_context::executor_type>;
using RequestStrand = asio::strand<RequestExecutor>;

bool is_json_content_type(std::string_view ct) {
    // "application/json", optionally with parameters such as "; charset=utf-8".
    const auto semi = ct.find(';');
    auto type = ct.substr(0, semi);
    while (!type.empty() && type.back() == ' ')
        type.remove_suffix(1);
    while (!type.empty() && type.front() == ' ')
        type.remove_prefix(1);
    if (type.size() != 16)
        return false;
    for (size_t i = 0; i < type.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(type[i])) != "application/json"[i])
            return false;
    return true;
}

}  // namespace

struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
    Impl(asio::io_context& ioc, ServerOptions opts, Router r)
        : ioc(ioc), options(std::move(opts)), router(std::move(r)), acceptor(ioc) {
        stats.init_routes(router);
    }

    asio::io_context& ioc;
    ServerOptions options;
    Router router;
    tcp::acceptor acceptor;
    ServerStats stats;
    std::atomic<bool> stopping{false};
    std::mutex mutex;
    std::list<std::shared_ptr<Connection>> connections;

    asio::awaitable<void> accept_loop();
    asio::awaitable<void> session(tcp::socket socket, std::shared_ptr<RequestTrace> trace);
    asio::awaitable<Response> dispatch(Request& request);
    asio::awaitable<Response> route(Request& request);
    asio::awaitable<void> close_gracefully(beast::tcp_stream& stream, beast::flat_buffer& buffer);
};

unsigned short Server::start() {
    auto& impl = *impl_;
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(impl.options.address, ec);
    if (ec)
        throw std::runtime_error("invalid listen address '" + impl.options.address + "'");
    tcp::endpoint endpoint(address, impl.options.port);
    impl.acceptor.open(endpoint.protocol(), ec);
    if (!ec)
        impl.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec)
        impl.acceptor.bind(endpoint, ec);
    if (!ec)
        impl.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        throw std::runtime_error("cannot listen on " + impl.options.address + ":" +
                                 std::to_string(impl.options.port) + ": " + ec.message());
    const auto port = impl.acceptor.local_endpoint().port();
    asio::co_spawn(impl.acceptor.get_executor(), impl.accept_loop(), [](std::exception_ptr e) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                log_event(LogLevel::error, "accept loop failed", {{"error", ex.what()}});
            }
        }
    });
    return port;
}

asio::awaitable<void> Server::Impl::accept_loop() {
    auto self = shared_from_this();
    while (!stopping) {
        // Each connection's strand publishes its current request's trace (TracedExecutor).
        auto trace = std::make_shared<RequestTrace>();
        RequestStrand strand(RequestExecutor(ioc.get_executor(), trace));
        auto [ec, socket] = co_await acceptor.async_accept(strand, nothrow);
        if (ec) {
            if (ec == asio::error::operation_aborted || stopping)
                break;
            // EMFILE and friends: back off briefly instead of spinning.
            asio::steady_timer pause(ioc, std::chrono::milliseconds(50));
            co_await pause.async_wait(nothrow);
            continue;
        }
        if (static_cast<std::size_t>(stats.connections_open.load()) >= options.max_connections) {
            ++stats.connections_rejected;
            boost::system::error_code ignored;
            socket.close(ignored);
            continue;
        }
        ++stats.connections_open;
        ++stats.connections_total;
        auto executor = socket.get_executor();
        // The whole session runs inside its own try (Beast issue #2637 for 1.81's example):
        // nothing escapes into the completion handler except truly unexpected failures.
        asio::co_spawn(
            executor, session(std::move(socket), std::move(trace)), [self](std::exception_ptr e) {
                --self->stats.connections_open;
                if (e) {
                    try {
                        std::rethrow_exception(e);
                    } catch (const std::exception& ex) {
                        log_event(LogLevel::error, "session failed", {{"error", ex.what()}});
                    }
                }
            });
    }
}

namespace {

constexpr const char* kCorsAllowHeaders =
    "Authorization, Content-Type, Idempotency-Key, If-Match, If-None-Match, X-Request-Id, "
    "traceparent";
// The Date header (RFC 9110 §6.6.1, IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"), formatted
// once per second per thread.
const std::string& http_date_now() {
    thread_local std::time_t cached_second = 0;
    thread_local std::string cached;
    const std::time_t now = std::time(nullptr);
    if (now != cached_second || cached.empty()) {
        std::tm tm{};
        gmtime_r(&now, &tm);
        char buf[40];
        const auto n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        cached.assign(buf, n);
        cached_second = now;
    }
    return cached;
}

constexpr const char* kCorsExposeHeaders = "ETag, Location, Retry-After, X-Request-Id, traceparent";

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
}

// The response head, byte for byte as Beast's serializer wrote it for the message the server
// used to build (version 1.1; Content-Type; the handler's headers; then set(X-Request-Id),
// set(Date), prepare_payload's Content-Length and keep_alive(false)'s Connection: close, each
// of which replaces a handler header of that name), into a buffer the connection reuses: no
// fields container, no allocation once the buffer has grown. The W3C traceparent follows
// X-Request-Id (also replacing a handler's).
void render_head(std::string& out, const Response& response, std::string_view request_id,
                 std::string_view traceparent, std::size_t content_length, bool close) {
    out.clear();
    out += "HTTP/1.1 ";
    char digits[16];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, response.status);
    (void)ec;
    out.append(digits, end);
    out += ' ';
    const auto reason =
        bhttp::obsolete_reason(bhttp::int_to_status(static_cast<unsigned>(response.status)));
    out.append(reason.data(), reason.size());
    out += "\r\n";
    const bool handler_sets_type =
        std::any_of(response.headers.begin(), response.headers.end(),
                    [](const Header& h) { return iequals(h.name, "Content-Type"); });
    if (!response.content_type.empty() && !handler_sets_type)
        append_field(out, "Content-Type", response.content_type);
    for (const auto& h : response.headers) {
        if (iequals(h.name, "X-Request-Id") || iequals(h.name, "traceparent") ||
            iequals(h.name, "Date") || iequals(h.name, "Content-Length") ||
            iequals(h.name, "Connection"))
            continue;
        append_field(out, h.name, h.value);
    }
    append_field(out, "X-Request-Id", request_id);
    append_field(out, "traceparent", traceparent);
    append_field(out, "Date", http_date_now());
    const auto [len_end, len_ec] = std::to_chars(digits, digits + sizeof digits, content_length);
    (void)len_ec;
    append_field(out, "Content-Length", std::string_view(digits, len_end - digits));
    if (close)
        append_field(out, "Connection", "close");
    out += "\r\n";
}

Response unauthorized(const std::string& detail, bool token_present) {
    auto r = Response::from(make_problem(401, "unauthorized", "Unauthorized", detail));
    r.set_header("WWW-Authenticate", token_present ? "Bearer error=\"invalid_token\"" : "Bearer");
    return r;
}

// "Bearer <token>", scheme case-insensitive (RFC 7235); anything else is no token at all.
std::optional<std::string_view> bearer_token(const Request& request) {
    auto h = request.header("authorization");
    if (!h)
        return std::nullopt;
    std::string_view v = *h;
    if (v.size() < 7)
        return std::nullopt;
    for (size_t i = 0; i < 6; ++i)
        if (std::tolower(static_cast<unsigned char>(v[i])) != "bearer"[i])
            return std::nullopt;
    if (v[6] != ' ')
        return std::nullopt;
    v.remove_prefix(7);
    while (!v.empty() && v.front() == ' ')
        v.remove_prefix(1);
    while (!v.empty() && v.back() == ' ')
        v.remove_suffix(1);
    if (v.empty())
        return std::nullopt;
    return v;
}

// "GET, HEAD, POST" -> "GET, POST".
std::string without_head(const std::string& allow) {
    std::string out;
    std::string_view rest = allow;
    while (!rest.empty()) {
        const auto comma = rest.find(", ");
        const auto method = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
        if (method == "HEAD")
            continue;
        if (!out.empty())
            out += ", ";
        out += method;
    }
    return out;
}

}  // namespace

asio::awaitable<Response> Server::Impl::dispatch(Request& request) {
    const auto origin = request.header("origin");
    const bool cors_allowed =
        origin && std::find(options.cors_origins.begin(), options.cors_origins.end(), *origin) !=
                      options.cors_origins.end();

    // CORS preflight: answered here, from the routing table, before any auth.
    if (request.method == "OPTIONS" && origin && request.header("access-control-request-method")) {
        auto match = router.match("OPTIONS", request.path);
        if (match.kind == Router::Match::Kind::not_found)
            co_return Response::from(
                make_problem(404, "not_found", "Not found", "No resource at this path."));
        if (!cors_allowed)
            co_return Response::from(
                make_problem(403, "forbidden", "Forbidden", "This origin may not call the API."));
        Response r;
        r.status = 204;
        r.content_type.clear();
        r.set_header("Access-Control-Allow-Origin", std::string(*origin));
        // HEAD is a CORS-safelisted method (never preflighted), so it is not listed here.
        r.set_header("Access-Control-Allow-Methods", without_head(match.allow));
        r.set_header("Access-Control-Allow-Headers", kCorsAllowHeaders);
        r.set_header("Access-Control-Max-Age", "600");
        r.set_header("Vary", "Origin");
        co_return r;
    }

    Response response = co_await route(request);
    if (cors_allowed) {
        response.set_header("Access-Control-Allow-Origin", std::string(*origin));
        response.set_header("Access-Control-Expose-Headers", kCorsExposeHeaders);
        response.set_header("Vary", "Origin");
    }
    co_return response;
}

asio::awaitable<Response> Server::Impl::route(Request& request) {
    // Text rules at the edge: whatever a handler reads from the path or the query is UTF-8 with
    // no NUL, so nothing reaches PostgreSQL that it would refuse (a 500) or cut short.
    if (auto errors = check_target_text(request.path, request.query); !errors.empty())
        co_return Response::from(make_problem(400, "validation_failed", "Validation failed",
                                              "The path and query must be UTF-8 text without NUL.",
                                              std::move(errors)));
    auto match = router.match(request.method, request.path);
    if (match.kind == Router::Match::Kind::not_found)
        co_return Response::from(
            make_problem(404, "not_found", "Not found", "No resource at this path."));
    if (match.kind == Router::Match::Kind::method_not_allowed) {
        auto r = Response::from(make_problem(405, "method_not_allowed", "Method not allowed",
                                             "Allowed: " + match.allow + "."));
        r.set_header("Allow", match.allow);
        co_return r;
    }
    request.route = match.route;  // from here the route's histogram counts it (401s too)
    if (match.access == Access::authenticated ||
        (match.access == Access::optional && request.header("authorization"))) {
        const auto token = bearer_token(request);
        if (!token)
            co_return unauthorized("Send an access token: Authorization: Bearer <token>.", false);
        std::optional<TokenClaims> claims;
        if (options.tokens)
            claims = options.tokens->verify(*token, std::chrono::system_clock::now());
        if (!claims)
            co_return unauthorized("The access token is invalid or expired.", true);
        request.principal = Principal{std::move(claims->sub), std::move(claims->role),
                                      std::move(claims->hotel_ids), claims->version};
        if (options.principal_check) {
            auto refusal = co_await options.principal_check(request);
            if (refusal)
                co_return std::move(*refusal);
        }
    }
    if (!request.body.empty()) {
        auto ct = request.header("content-type");
        if (!ct || !is_json_content_type(*ct))
            co_return Response::from(make_problem(415, "unsupported_media_type",
                                                  "Unsupported media type",
                                                  "Send the body as application/json."));
    }
    request.path_params = std::move(match.params);
    try {
        co_return co_await (*match.handler)(request);
    } catch (const std::exception& e) {
        log_event(LogLevel::error, "handler failed",
                  {{"error", e.what()}, {"request_id", request.request_id}});
    }
    co_return Response::from(make_problem(500, "internal", "Internal error",
                                          "The request failed; quote the request id."));
}

asio::awaitable<void> Server::Impl::close_gracefully(beast::tcp_stream& stream,
                                                     beast::flat_buffer& buffer) {
    // Half-close, then read and discard what the client still sends for a short while, so that
    // it receives our response instead of a reset caused by unread data.
    boost::system::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (!ec) {
        stream.expires_after(std::chrono::milliseconds(500));
        std::size_t drained = 0;
        while (drained < 1024 * 1024) {
            buffer.clear();
            auto [rec, n] = co_await stream.async_read_some(buffer.prepare(16 * 1024), nothrow);
            if (rec)
                break;
            drained += n;
        }
    }
    stream.socket().close(ec);
}

asio::awaitable<void> Server::Impl::session(tcp::socket socket,
                                            std::shared_ptr<RequestTrace> trace) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    auto conn = std::make_shared<Connection>();
    conn->executor = stream.get_executor();
    conn->stream = &stream;
    std::list<std::shared_ptr<Connection>>::iterator registration;
    {
        std::lock_guard lock(mutex);
        registration = connections.insert(connections.end(), conn);
    }
    std::string remote;
    {
        boost::system::error_code ec;
        auto ep = stream.socket().remote_endpoint(ec);
        if (!ec)
            remote = ep.address().to_string();
    }
    // The client address of a request that carries no X-Forwarded-For to believe: the same for
    // every request of the connection, so worked out once.
    const std::string peer_client = client_address(remote, {}, options.trusted_proxies);
    // The request is read into, and the response head rendered into, the same objects request
    // after request: their buffers are allocated once per connection, not per request.
    Request request;
    std::string head;

    try {
        unsigned served = 0;
        bool close_after = false;
        while (!close_after) {
            // Wait for the first byte of the next request; only this wait may be idle.
            if (buffer.size() == 0) {
                conn->idle = true;
                if (stopping)
                    break;
                stream.expires_after(options.idle_timeout);
                auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), nothrow);
                conn->idle = false;
                if (ec)
                    break;
                buffer.commit(n);
            }
            const auto started = std::chrono::steady_clock::now();
            // From here one absolute deadline covers the whole request, however it trickles in.
            stream.expires_after(options.request_timeout);
            RequestReader parser(request);
            const ReadLimits limits{options.header_limit, options.body_limit};
            parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
            parser.body_limit(limits.body_limit);

            Response response;
            bool keep_alive = false;
            auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, nothrow);
            (void)n;
            if (ec) {
                if (ec == beast::error::timeout || ec == asio::error::operation_aborted ||
                    ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
                    ec == asio::error::connection_reset)
                    break;  // nothing useful can be answered; just close
                keep_only_request_line(request, parser.is_header_done());
                generate_request_id(request.request_id);
                request.route = Request::kNoRoute;
                trace->start({});
                response = Response::from(read_problem(classify_read_error(ec), limits));
                close_after = true;
            } else {
                keep_alive = parser.keep_alive();
                std::vector<std::string_view> forwarded;
                if (!options.trusted_proxies.empty())
                    for (const auto& h : request.headers)
                        if (h.name == "x-forwarded-for")
                            forwarded.push_back(h.value);
                request.remote_address =
                    forwarded.empty() ? peer_client
                                      : client_address(remote, forwarded, options.trusted_proxies);
                auto rid = request.header("x-request-id");
                if (rid && is_valid_request_id(*rid))
                    request.request_id.assign(rid->data(), rid->size());
                else
                    generate_request_id(request.request_id);
                request.route = Request::kNoRoute;
                trace->start(request.header("traceparent").value_or(std::string_view()));
                stream.expires_never();
                response = co_await dispatch(request);
                ++served;
                if (!keep_alive || served >= options.keepalive_max_requests || stopping)
                    close_after = true;
            }
            ++stats.requests_total;

            std::string body = response.problem
                                   ? render_problem(*response.problem, request.request_id)
                                   : std::move(response.body);
            render_head(head, response, request.request_id, trace->traceparent(), body.size(),
                        close_after);
            // HEAD is answered as GET without the body; Content-Length stays the GET body's
            // (RFC 9110 §9.3.2).
            if (request.method == "HEAD")
                body.clear();

            // Counted before the write: a client that reads this response and then asks
            // /metrics must find it counted.
            const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                                    std::chrono::steady_clock::now() - started)
                                    .count();
            stats.observe(response.status, micros, request.route);
            stream.expires_after(options.write_timeout);
            const std::array<asio::const_buffer, 2> out{asio::buffer(head), asio::buffer(body)};
            auto [wec, written] = co_await asio::async_write(stream, out, nothrow);
            (void)written;
            log_access(request.method.empty() ? "-" : request.method,
                       request.path.empty() ? request.target : request.path, response.status,
                       micros, request.request_id, trace->id(), remote,
                       request.remote_address.empty() ? remote : request.remote_address);
            trace->clear();
            if (wec) {
                close_after = true;
                buffer.clear();
                break;
            }
            if (close_after && ec) {
                co_await close_gracefully(stream, buffer);
                break;
            }
        }
        boost::system::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream.socket().close(ignored);
    } catch (const std::exception& e) {
        log_event(LogLevel::error, "connection failed", {{"error", e.what()}});
    }
    conn->stream = nullptr;  // on the strand, so a queued shutdown action sees it gone
    {
        std::lock_guard lock(mutex);
        connections.erase(registration);
    }
}

void ServerStats::observe(int status, long long micros, std::size_t route) noexcept {
    const int cls = status / 100;
    if (cls >= 1 && cls <= 5)
        responses_by_class[cls].fetch_add(1, std::memory_order_relaxed);
    const double seconds = static_cast<double>(micros) / 1e6;
    std::size_t i = 0;
    while (i < std::size(kBuckets) && seconds > kBuckets[i])
        ++i;
    // One preallocated slot per route, the last for whatever matched none: no lock, no lookup.
    auto& slot = routes[route < route_count ? route : route_count - 1];
    slot.buckets[i].fetch_add(1, std::memory_order_relaxed);  // non-cumulative; /metrics sums
    slot.micros_sum.fetch_add(micros, std::memory_order_relaxed);
}

void ServerStats::init_routes(const Router& router) {
    route_count = router.size() + 1;
    routes = std::make_unique<RouteStats[]>(route_count);
    route_labels.clear();
    for (std::size_t i = 0; i < router.size(); ++i) {
        const auto [method, pattern] = router.name(i);
        route_labels.emplace_back(std::string(method), std::string(pattern));
    }
    route_labels.emplace_back("", "unmatched");
}

bool is_request_strand(const asio::any_io_executor& executor) noexcept {
    return executor.target<RequestStrand>() != nullptr;
}

Server::Server(asio::io_context& ioc, ServerOptions options, Router router)
    : impl_(std::make_shared<Impl>(ioc, std::move(options), std::move(router))) {}

Server::~Server() = default;

const ServerStats& Server::stats() const noexcept {
    return impl_->stats;
}

void Server::shutdown(std::chrono::milliseconds deadline, std::function<void(bool)> on_done) {
    auto impl = impl_;
    if (impl->stopping.exchange(true))
        return;
    {
        // Idle connections are closed now; busy ones notice `stopping` after their response.
        std::lock_guard lock(impl->mutex);
        for (auto& conn : impl->connections)
            asio::post(conn->executor, [c = conn] {
                if (c->stream && c->idle)
                    c->stream->cancel();
            });
    }
    auto timer = std::make_shared<asio::steady_timer>(impl->ioc);
    const auto until = std::chrono::steady_clock::now() + deadline;
    auto poll = std::make_shared<std::function<void()>>();
    *poll = [impl, timer, until, poll, on_done = std::move(on_done)]() mutable {
        const bool empty = impl->stats.connections_open.load() == 0;
        if (empty || std::chrono::steady_clock::now() >= until) {
            auto done = std::move(on_done);
            *poll = nullptr;  // break the self-reference
            done(empty);
            return;
        }
        timer->expires_after(std::chrono::milliseconds(20));
        timer->async_wait([poll](const boost::system::error_code&) {
            if (*poll)
                (*poll)();
        });
    };
    // The listener closes and the wait begins in one step: closed first and waited for in a
    // second step, the accept loop could end in between and leave the threads without work, so
    // run() returned and the second step never ran.
    asio::post(impl->acceptor.get_executor(), [impl, poll] {
        boost::system::error_code ignored;
        impl->acceptor.close(ignored);
        (*poll)();
    });
}

}  // namespace hotel::http
