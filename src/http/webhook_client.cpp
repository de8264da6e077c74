#include "http/webhook_client.hpp"

#include <openssl/ssl.h>
#include <sodium.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <variant>

namespace hotel::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kResponseLimit = 64 * 1024;

// One client context for every https delivery: the system's trust store, peers verified.
asio::ssl::context& tls_context() {
    static asio::ssl::context ctx = [] {
        asio::ssl::context c(asio::ssl::context::tls_client);
        c.set_default_verify_paths();
        c.set_verify_mode(asio::ssl::verify_peer);
        c.set_options(asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                      asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
        return c;
    }();
    return ctx;
}

bhttp::request<bhttp::string_body> make_request(const OutboundPost& r) {
    bhttp::request<bhttp::string_body> req{bhttp::verb::post, r.target, 11};
    const bool v6 = r.host.find(':') != std::string::npos;
    std::string host = v6 ? "[" + r.host + "]" : r.host;
    if (r.port != (r.tls ? 443 : 80))
        host += ":" + std::to_string(r.port);
    req.set(bhttp::field::host, host);
    req.set(bhttp::field::connection, "close");
    for (const auto& [name, value] : r.headers)
        req.set(name, value);
    req.body() = r.body;
    req.prepare_payload();
    return req;
}

// Writes the request and reads the status line and headers (and up to 64 KiB of body).
template <class Stream>
asio::awaitable<OutboundResult> exchange(Stream& stream, const OutboundPost& r) {
    OutboundResult out;
    auto req = make_request(r);
    auto [wec, written] = co_await bhttp::async_write(stream, req, use_tuple);
    (void)written;
    if (wec) {
        out.error = "write failed: " + wec.message();
        co_return out;
    }
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(kResponseLimit);
    auto [rec, read] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
    (void)read;
    if (parser.is_header_done())
        out.status = static_cast<int>(parser.get().result_int());
    else
        out.error = "no response: " + rec.message();
    co_return out;
}

}  // namespace

asio::awaitable<OutboundResult> post(const OutboundPost& r) {
    OutboundResult out;
    auto executor = co_await asio::this_coro::executor;
    const auto deadline = std::chrono::steady_clock::now() + r.timeout;

    // The resolver under the deadline too: whichever ends first cancels the other.
    tcp::resolver resolver(executor);
    asio::steady_timer timer(executor);
    timer.expires_at(deadline);
    const std::string port = std::to_string(r.port);
    auto racing = resolver.async_resolve(r.host, port, use_tuple) || timer.async_wait(use_tuple);
    auto raced = co_await std::move(racing);
    if (raced.index() == 1) {
        out.error = "timed out resolving " + r.host;
        co_return out;
    }
    auto [rec, results] = std::get<0>(std::move(raced));
    if (rec) {
        out.error = "cannot resolve " + r.host + ": " + rec.message();
        co_return out;
    }
    std::vector<tcp::endpoint> endpoints;
    for (const auto& entry : results) {
        const auto address = entry.endpoint().address();
        // An IPv4-mapped IPv6 address is judged as the IPv4 address it carries.
        const std::string text = address.is_v6() && address.to_v6().is_v4_mapped()
                                     ? asio::ip::make_address_v4(asio::ip::v4_mapped,
                                                                 address.to_v6())
                                           .to_string()
                                     : address.to_string();
        if (!r.address_allowed || r.address_allowed(text))
            endpoints.push_back(entry.endpoint());
    }
    if (endpoints.empty()) {
        out.error = "refused: " + r.host + " resolves only to loopback, private or reserved "
                    "addresses";
        co_return out;
    }

    if (!r.tls) {
        beast::tcp_stream stream(executor);
        stream.expires_at(deadline);
        auto [cec, ep] = co_await stream.async_connect(endpoints, use_tuple);
        (void)ep;
        if (cec) {
            out.error = "cannot connect: " + cec.message();
            co_return out;
        }
        out = co_await exchange(stream, r);
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        co_return out;
    }

    beast::ssl_stream<beast::tcp_stream> stream(executor, tls_context());
    beast::get_lowest_layer(stream).expires_at(deadline);
    // SNI, and the certificate must name the host.
    if (!SSL_set_tlsext_host_name(stream.native_handle(), r.host.c_str())) {
        out.error = "cannot set the TLS server name";
        co_return out;
    }
    stream.set_verify_callback(asio::ssl::host_name_verification(r.host));
    auto [cec, ep] = co_await beast::get_lowest_layer(stream).async_connect(endpoints, use_tuple);
    (void)ep;
    if (cec) {
        out.error = "cannot connect: " + cec.message();
        co_return out;
    }
    auto [hec] = co_await stream.async_handshake(asio::ssl::stream_base::client, use_tuple);
    if (hec) {
        out.error = "TLS handshake failed: " + hec.message();
        co_return out;
    }
    out = co_await exchange(stream, r);
    auto [sec] = co_await stream.async_shutdown(use_tuple);
    (void)sec;
    co_return out;
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                                key.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                  message.size());
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_final(&state, mac);
    char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    return std::string(hex, crypto_auth_hmacsha256_BYTES * 2);
}

}  // namespace hotel::http
