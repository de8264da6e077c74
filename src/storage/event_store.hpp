#pragma once
// PostgreSQL implementation of the events-out ports (event_sql.hpp, migration 0023): the feed
// and subscriptions (core::EventStore) and the outbox worker's side (core::OutboxStore).

#include <memory>

#include "core/events.hpp"
#include "core/webhook_delivery.hpp"
#include "pg/pool.hpp"

namespace hotel::storage {

class PgEventStore final : public core::EventStore, public core::OutboxStore {
  public:
    template <class T>
    using Async = boost::asio::awaitable<T>;  // both ports name it; one meaning here

    explicit PgEventStore(std::shared_ptr<pg::Pool> pool) : pool_(std::move(pool)) {}

    // core::EventStore
    Async<std::vector<core::Event>> feed(std::string hotel_id, std::int64_t after,
                                         int limit) override;
    Async<std::vector<core::Subscription>> subscriptions(std::string hotel_id) override;
    Async<std::optional<core::Subscription>> subscription(std::string hotel_id,
                                                          std::string id) override;
    Async<std::optional<core::Subscription>> create_subscription(
        std::string hotel_id, std::string url, std::vector<std::string> events,
        std::string secret, std::string created_by, int max) override;
    Async<bool> delete_subscription(std::string hotel_id, std::string id) override;
    Async<std::vector<core::Delivery>> deliveries(std::string hotel_id,
                                                  std::string subscription_id,
                                                  std::int64_t after,
                                                  std::optional<core::DeliveryStatus> status,
                                                  int limit) override;
    Async<std::optional<core::Delivery>> replay(std::string hotel_id,
                                                std::string subscription_id,
                                                std::int64_t seq) override;

    // core::OutboxStore
    Async<int> number_events(int max) override;
    Async<std::vector<core::LeasedSubscription>> lease(std::chrono::milliseconds lease,
                                                       int max) override;
    Async<std::optional<core::QueueHead>> head(const core::LeasedSubscription& sub) override;
    Async<bool> record(const core::LeasedSubscription& sub, std::int64_t seq,
                       const core::SendOutcome& outcome, bool dead,
                       std::chrono::milliseconds retry,
                       std::chrono::milliseconds lease) override;
    Async<void> release(const core::LeasedSubscription& sub) override;

  private:
    std::shared_ptr<pg::Pool> pool_;
};

}  // namespace hotel::storage
