#include "app/webhook_sender.hpp"

#include <exception>

#include "core/events.hpp"
#include "http/webhook_client.hpp"

namespace hotel::app {

boost::asio::awaitable<core::SendOutcome> HttpWebhookSender::send(
    const core::WebhookMessage& message) {
    core::SendOutcome outcome;
    const auto url = core::parse_webhook_url(message.url);
    if (!url) {
        outcome.error = "the subscription's URL cannot be parsed";
        co_return outcome;
    }
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const std::string timestamp = std::to_string(now.time_since_epoch().count());
    const std::string signed_text = core::webhook_signed_text(timestamp, message.body);
    const std::string signature = "v1=" + http::hmac_sha256_hex(message.secret, signed_text);

    http::OutboundPost post;
    post.tls = url->tls;
    post.host = url->host;
    post.port = url->port;
    post.target = url->target;
    post.timeout = timeout_;
    post.body = message.body;
    post.headers = {{"Content-Type", "application/json"},
                    {"User-Agent", "hoteld-webhooks/1"},
                    {"Event-Id", message.event_id},
                    {"Webhook-Timestamp", timestamp},
                    {"Webhook-Signature", signature}};
    if (!allow_private_)
        post.address_allowed = [](const std::string& address) {
            return core::is_public_address(address);
        };
    http::OutboundResult result;
    try {
        result = co_await http::post(post);
    } catch (const std::exception& e) {  // resource exhaustion and the like: a failed attempt
        result.error = e.what();
    }
    outcome.status = result.status;
    if (result.status && (*result.status < 200 || *result.status >= 300))
        outcome.error = "the receiver answered " + std::to_string(*result.status);
    else
        outcome.error = result.error;
    co_return outcome;
}

}  // namespace hotel::app
