#pragma once
// The HTTP/1.1 server: Beast on Asio coroutines. It owns the transport rules (limits,
// deadlines, keep-alive cap, request ids, access log, problem rendering, graceful shutdown);
// everything a request means is decided by the router's handlers.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <iterator>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <optional>

#include <vector>

#include "http/client_address.hpp"
#include "http/jwt.hpp"
#include "http/router.hpp"

namespace hotel::http {

struct ServerOptions {
    std::string address = "127.0.0.1";
    unsigned short port = 8080;
    std::size_t body_limit = 64 * 1024;
    std::size_t header_limit = 16 * 1024;
    // Absolute deadline for reading one request, from its first byte to its last.
    std::chrono::milliseconds request_timeout{10'000};
    // How long an open connection may sit idle between requests.
    std::chrono::milliseconds idle_timeout{30'000};
    std::chrono::milliseconds write_timeout{10'000};
    unsigned keepalive_max_requests = 1000;
    std::size_t max_connections = 10'000;
    // Verifies bearer tokens for Access::authenticated routes; such routes answer 401 without it.
    std::shared_ptr<const JwtCodec> tokens;
    // Origins allowed to call the API from a browser (exact match); empty: CORS is off.
    std::vector<std::string> cors_origins;
    // Peers whose X-Forwarded-For is believed (client_address.hpp); empty: none.
    std::vector<AddressRange> trusted_proxies;
    // Called once a bearer token has verified and request.principal is set, before the handler:
    // the application's chance to refuse a token that is well signed but no longer speaks for
    // its account (revoked, account changed or gone). std::nullopt lets the request through;
    // a response is sent instead of calling the handler.
    std::function<boost::asio::awaitable<std::optional<Response>>(const Request&)> principal_check;
};

struct ServerStats {
    std::atomic<long long> connections_open{0};
    std::atomic<long long> connections_total{0};
    std::atomic<long long> connections_rejected{0};
    std::atomic<long long> requests_total{0};
    // Responses by status class: [1] = 1xx ... [5] = 5xx.
    std::atomic<long long> responses_by_class[6] = {};
    // Request duration histogram (seconds) per route: counts per upper bound, then +Inf (not
    // cumulative; /metrics accumulates).
    static constexpr double kBuckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                          0.1,   0.25,   0.5,   1.0,  2.5};
    struct RouteStats {
        std::atomic<long long> buckets[std::size(kBuckets) + 1] = {};
        std::atomic<long long> micros_sum{0};
    };
    // One slot per route of the router, in its order, then one for requests that matched none
    // (404, read errors, CORS preflights): the label set is bounded by the routing table.
    std::unique_ptr<RouteStats[]> routes;
    std::size_t route_count = 0;
    std::vector<std::pair<std::string, std::string>> route_labels;  // method, path template

    void init_routes(const Router& router);
    // route: Request::route (kNoRoute or any index past the table counts as unmatched).
    void observe(int status, long long micros, std::size_t route) noexcept;
};

// Whether `executor` is the strand of one of the server's connections (for the database pool's
// one-connection-per-request rule).
bool is_request_strand(const boost::asio::any_io_executor& executor) noexcept;

class Server {
  public:
    Server(boost::asio::io_context& ioc, ServerOptions options, Router router);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and starts accepting. Returns the bound port (useful with port 0). Throws
    // std::runtime_error with a one-line reason when the address cannot be bound.
    unsigned short start();

    // Stops accepting, closes idle connections, lets in-flight requests finish and answer
    // with Connection: close, then calls on_done (on an io_context thread) once every
    // connection is gone or the deadline passes. Safe to call from any thread, once.
    void shutdown(std::chrono::milliseconds deadline, std::function<void(bool clean)> on_done);

    const ServerStats& stats() const noexcept;

  private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace hotel::http
