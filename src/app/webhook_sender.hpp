#pragma once
// The webhook sender the app wires into core::WebhookDelivery: the subscription's URL split by
// core's rule, the request signed (docs/WEBHOOKS.md, "Verifying a delivery") and posted with
// http::post, private addresses refused after resolution unless HOTEL_WEBHOOK_ALLOW_PRIVATE.

#include <chrono>

#include "core/webhook_delivery.hpp"

namespace hotel::app {

class HttpWebhookSender final : public core::WebhookSender {
  public:
    HttpWebhookSender(bool allow_private, std::chrono::milliseconds timeout)
        : allow_private_(allow_private), timeout_(timeout) {}
    boost::asio::awaitable<core::SendOutcome> send(const core::WebhookMessage& message) override;

  private:
    bool allow_private_;
    std::chrono::milliseconds timeout_;
};

}  // namespace hotel::app
