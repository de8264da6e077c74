#include "core/webhook_delivery.hpp"

#include <algorithm>
#include <exception>

#include "core/events.hpp"

namespace hotel::core {

boost::asio::awaitable<RoundCounts> WebhookDelivery::round() {
    RoundCounts counts;
    counts.numbered = std::max(0, co_await outbox_.number_events(1000));
    auto leased = co_await outbox_.lease(policy_.lease, policy_.subscriptions_per_round);
    for (const auto& sub : leased) {
        std::exception_ptr failure;
        try {
            co_await drain(sub, counts);
        } catch (...) {
            failure = std::current_exception();
        }
        if (failure) {
            // The lease lapses by itself if this fails too.
            try {
                co_await outbox_.release(sub);
            } catch (...) {
            }
            std::rethrow_exception(failure);
        }
        co_await outbox_.release(sub);
    }
    co_return counts;
}

boost::asio::awaitable<void> WebhookDelivery::drain(const LeasedSubscription& sub,
                                                    RoundCounts& counts) {
    for (int i = 0; i < policy_.deliveries_per_subscription; ++i) {
        auto head = co_await outbox_.head(sub);
        if (!head || !head->due)
            co_return;
        WebhookMessage message;
        message.url = sub.url;
        message.secret = sub.secret;
        message.event_id = std::to_string(head->event_id);
        message.body = head->body;
        auto outcome = co_await sender_.send(message);
        const bool ok = outcome.ok();
        std::chrono::milliseconds retry{0};
        bool dead = false;
        if (!ok) {
            retry = retry_delay(head->attempts + 1, policy_.retry_base, policy_.retry_cap,
                                random_ ? random_() : 0.5);
            dead = dead_letter(head->age, retry, policy_.retry_window);
        }
        const bool held =
            co_await outbox_.record(sub, head->seq, outcome, dead, retry, policy_.lease);
        if (!held)
            co_return;
        if (ok)
            ++counts.delivered;
        else if (dead)
            ++counts.dead;
        else
            ++counts.failed;
        if (!ok && !dead)
            co_return;  // the head waits for its next attempt; the rest of the queue with it
    }
}

}  // namespace hotel::core
