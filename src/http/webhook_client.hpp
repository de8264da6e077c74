#pragma once
// An outgoing HTTP POST for webhook deliveries (docs/WEBHOOKS.md): one request per
// connection, http or https (certificate and host name verified against the system's CAs),
// under one deadline for resolving, connecting, writing and reading. The resolved addresses
// pass through a filter before any is connected to (against SSRF through DNS). Redirects are
// not followed. Plus the HMAC-SHA256 the signature header carries.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hotel::http {

struct OutboundPost {
    bool tls = false;
    std::string host;  // a name or an IP literal (IPv6 without brackets)
    unsigned short port = 80;
    std::string target = "/";
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::chrono::milliseconds timeout{10000};
    // Whether a resolved address (text form) may be connected to; unset allows every one.
    std::function<bool(const std::string& address)> address_allowed;
};

struct OutboundResult {
    std::optional<int> status;  // the response's status, when one was read
    std::string error;          // empty on a response; else why there was none
};

// Never throws for network failures: they come back as `error`.
boost::asio::awaitable<OutboundResult> post(const OutboundPost& request);

// HMAC-SHA256 of `message` under `key` (any length), lower-case hex.
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

}  // namespace hotel::http
