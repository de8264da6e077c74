#pragma once
// Webhook delivery (issue 15, part 1; docs/WEBHOOKS.md): one round of work of a node over the
// outbox. The outbox holds one row per (subscription, event); a node leases a subscription,
// sends its queue's head, records the outcome and goes on with the next, so one subscription's
// events go out one at a time in seq order, never two at once. A node that dies holding a
// lease leaves it to lapse; the head is then sent again (at least once, never skipped).

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace hotel::core {

struct LeasedSubscription {
    std::string hotel_id;
    std::string id;
    std::string url;
    std::string secret;
    std::string lease_token;
};

// The head of a subscription's queue: its lowest pending delivery.
struct QueueHead {
    std::int64_t seq = 0;
    std::int64_t event_id = 0;
    int attempts = 0;                // failed so far
    std::chrono::milliseconds age{};  // since it was queued (or last replayed)
    bool due = false;                // its next attempt is now or past
    std::string body;                // the JSON sent (docs/WEBHOOKS.md)
};

struct SendOutcome {
    std::optional<int> status;  // the receiver's HTTP status, when it answered
    std::string error;          // why it failed, when it did (no answer, or a non-2xx)
    bool ok() const noexcept { return status && *status >= 200 && *status < 300; }
};

class OutboxStore {
  public:
    template <class T>
    using Async = boost::asio::awaitable<T>;
    virtual ~OutboxStore() = default;
    // Numbers committed events and queues their deliveries (one step; -1 when another node's
    // step was running). Returns how many events it numbered.
    virtual Async<int> number_events(int max) = 0;
    // Leases up to `max` subscriptions whose head is due and that no live lease holds.
    virtual Async<std::vector<LeasedSubscription>> lease(std::chrono::milliseconds lease,
                                                         int max) = 0;
    virtual Async<std::optional<QueueHead>> head(const LeasedSubscription& sub) = 0;
    // Records an attempt of the delivery `seq` and extends the lease: delivered; or failed,
    // next attempt after `retry` (or dead when `dead`). False when the lease was lost (it
    // lapsed and another node took it): nothing recorded, the caller stops.
    virtual Async<bool> record(const LeasedSubscription& sub, std::int64_t seq,
                               const SendOutcome& outcome, bool dead,
                               std::chrono::milliseconds retry,
                               std::chrono::milliseconds lease) = 0;
    virtual Async<void> release(const LeasedSubscription& sub) = 0;
};

struct WebhookMessage {
    std::string url;
    std::string secret;
    std::string event_id;
    std::string body;
};

class WebhookSender {
  public:
    virtual ~WebhookSender() = default;
    // POSTs the message, signed; never throws for the receiver's failures (they are outcomes).
    virtual boost::asio::awaitable<SendOutcome> send(const WebhookMessage& message) = 0;
};

struct DeliveryPolicy {
    std::chrono::milliseconds retry_base{5000};
    std::chrono::milliseconds retry_cap{std::chrono::hours(1)};
    std::chrono::milliseconds retry_window{std::chrono::hours(24)};
    std::chrono::milliseconds lease{std::chrono::seconds(30)};  // > one send's timeout
    int subscriptions_per_round = 1;  // run several rounds side by side instead
    int deliveries_per_subscription = 100;  // per round, so one busy queue cannot hold a node
};

struct RoundCounts {
    int numbered = 0;
    int delivered = 0;
    int failed = 0;
    int dead = 0;
};

class WebhookDelivery {
  public:
    // `unit_random` gives the jitter, uniform in [0, 1).
    WebhookDelivery(OutboxStore& outbox, WebhookSender& sender, DeliveryPolicy policy,
                    std::function<double()> unit_random)
        : outbox_(outbox), sender_(sender), policy_(policy), random_(std::move(unit_random)) {}

    // One round: a numbering step, then the leased subscriptions' due deliveries in order, one
    // subscription after the other. Rounds may run side by side (leases keep them apart).
    // Store failures propagate (the caller logs and waits).
    boost::asio::awaitable<RoundCounts> round();

  private:
    boost::asio::awaitable<void> drain(const LeasedSubscription& sub, RoundCounts& counts);

    OutboxStore& outbox_;
    WebhookSender& sender_;
    DeliveryPolicy policy_;
    std::function<double()> random_;
};

}  // namespace hotel::core
