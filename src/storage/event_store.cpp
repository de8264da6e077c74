#include "storage/event_store.hpp"

#include "storage/event_sql.hpp"

namespace hotel::storage {

// Statement arguments are named locals throughout: GCC 12 destroys temporaries of a co_await
// full-expression twice (docs/ARCHITECTURE.md).

namespace {

core::Instant instant(pg::Timestamp t) {
    return std::chrono::floor<std::chrono::seconds>(t);
}

std::optional<core::Instant> instant(const std::optional<pg::Timestamp>& t) {
    if (!t)
        return std::nullopt;
    return instant(*t);
}

struct SubscriptionColumns {
    int id, hotel_id, url, events, created_at;
    explicit SubscriptionColumns(const pg::Rows& rows)
        : id(rows.column("id")),
          hotel_id(rows.column("hotel_id")),
          url(rows.column("url")),
          events(rows.column("events")),
          created_at(rows.column("created_at")) {}
};

std::vector<core::Subscription> subscriptions_of(const pg::Rows& rows) {
    std::vector<core::Subscription> out;
    if (rows.empty())
        return out;
    const SubscriptionColumns c(rows);
    for (int i = 0; i < rows.size(); ++i) {
        core::Subscription s;
        s.id = rows.get_as<pg::Uuid>(i, c.id).text;
        s.hotel_id = rows.get_as<pg::Uuid>(i, c.hotel_id).text;
        s.url = rows.get_as<std::string>(i, c.url);
        s.events = rows.get_as<std::vector<std::string>>(i, c.events);
        s.created_at = instant(rows.get_as<pg::Timestamp>(i, c.created_at));
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<core::Delivery> deliveries_of(const pg::Rows& rows) {
    std::vector<core::Delivery> out;
    if (rows.empty())
        return out;
    const int seq = rows.column("seq"), event_id = rows.column("event_id"),
              type = rows.column("event_type"), status = rows.column("status"),
              attempts = rows.column("attempts"), created = rows.column("created_at"),
              next = rows.column("next_attempt_at"), last = rows.column("last_attempt_at"),
              last_status = rows.column("last_status"), last_error = rows.column("last_error"),
              delivered = rows.column("delivered_at");
    for (int i = 0; i < rows.size(); ++i) {
        core::Delivery d;
        d.seq = rows.get_as<std::int64_t>(i, seq);
        d.event_id = rows.get_as<std::int64_t>(i, event_id);
        d.event_type = rows.get_as<std::string>(i, type);
        d.status = core::parse_delivery_status(rows.get_as<std::string>(i, status))
                       .value_or(core::DeliveryStatus::pending);
        d.attempts = rows.get_as<std::int32_t>(i, attempts);
        d.created_at = instant(rows.get_as<pg::Timestamp>(i, created));
        if (d.status == core::DeliveryStatus::pending)
            d.next_attempt_at = instant(rows.get_as<pg::Timestamp>(i, next));
        d.last_attempt_at = instant(rows.get_as<std::optional<pg::Timestamp>>(i, last));
        d.last_status = rows.get_as<std::optional<std::int32_t>>(i, last_status);
        d.last_error = rows.get_as<std::optional<std::string>>(i, last_error);
        d.delivered_at = instant(rows.get_as<std::optional<pg::Timestamp>>(i, delivered));
        out.push_back(std::move(d));
    }
    return out;
}

}  // namespace

PgEventStore::Async<std::vector<core::Event>> PgEventStore::feed(std::string hotel_id,
                                                                 std::int64_t after, int limit) {
    const pg::Uuid hotel{hotel_id};
    const std::int32_t n = limit;
    auto rows = co_await pool_->query(sql::events_feed, hotel, after, n);
    std::vector<core::Event> out;
    if (rows.empty())
        co_return out;
    const int id = rows.column("id"), seq = rows.column("seq"), hid = rows.column("hotel_id"),
              booking = rows.column("booking_id"), type = rows.column("type"),
              version = rows.column("version"), actor = rows.column("actor_id"),
              payload = rows.column("payload"), at = rows.column("at");
    out.reserve(static_cast<std::size_t>(rows.size()));
    for (int i = 0; i < rows.size(); ++i) {
        core::Event e;
        e.id = rows.get_as<std::int64_t>(i, id);
        e.seq = rows.get_as<std::int64_t>(i, seq);
        e.hotel_id = rows.get_as<pg::Uuid>(i, hid).text;
        e.booking_id = rows.get_as<pg::Uuid>(i, booking).text;
        e.type = rows.get_as<std::string>(i, type);
        e.version = rows.get_as<std::int32_t>(i, version);
        if (auto a = rows.get_as<std::optional<pg::Uuid>>(i, actor))
            e.actor_id = a->text;
        e.payload_json = rows.get_as<std::string>(i, payload);
        e.at = instant(rows.get_as<pg::Timestamp>(i, at));
        out.push_back(std::move(e));
    }
    co_return out;
}

PgEventStore::Async<std::vector<core::Subscription>> PgEventStore::subscriptions(
    std::string hotel_id) {
    const pg::Uuid hotel{hotel_id};
    auto rows = co_await pool_->query(sql::webhook_list, hotel);
    co_return subscriptions_of(rows);
}

PgEventStore::Async<std::optional<core::Subscription>> PgEventStore::subscription(
    std::string hotel_id, std::string id) {
    const pg::Uuid hotel{hotel_id};
    const pg::Uuid sub{id};
    auto rows = co_await pool_->query(sql::webhook_find, hotel, sub);
    auto list = subscriptions_of(rows);
    if (list.empty())
        co_return std::nullopt;
    co_return std::move(list.front());
}

PgEventStore::Async<std::optional<core::Subscription>> PgEventStore::create_subscription(
    std::string hotel_id, std::string url, std::vector<std::string> events, std::string secret,
    std::string created_by, int max) {
    const pg::Uuid hotel{hotel_id};
    const pg::Uuid by{created_by};
    const std::int32_t limit = max;
    auto rows = co_await pool_->query(sql::webhook_create, hotel, url, events, secret, by, limit);
    auto list = subscriptions_of(rows);
    if (list.empty())
        co_return std::nullopt;
    co_return std::move(list.front());
}

PgEventStore::Async<bool> PgEventStore::delete_subscription(std::string hotel_id,
                                                            std::string id) {
    const pg::Uuid hotel{hotel_id};
    const pg::Uuid sub{id};
    auto rows = co_await pool_->query(sql::webhook_delete, hotel, sub);
    co_return !rows.empty();
}

PgEventStore::Async<std::vector<core::Delivery>> PgEventStore::deliveries(
    std::string hotel_id, std::string subscription_id, std::int64_t after,
    std::optional<core::DeliveryStatus> status, int limit) {
    const pg::Uuid hotel{hotel_id};
    const pg::Uuid sub{subscription_id};
    std::optional<std::string> status_text;
    if (status)
        status_text = std::string(core::to_string(*status));
    const std::int32_t n = limit;
    auto rows =
        co_await pool_->query(sql::webhook_deliveries_page, hotel, sub, after, status_text, n);
    co_return deliveries_of(rows);
}

PgEventStore::Async<std::optional<core::Delivery>> PgEventStore::replay(
    std::string hotel_id, std::string subscription_id, std::int64_t seq) {
    const pg::Uuid hotel{hotel_id};
    const pg::Uuid sub{subscription_id};
    auto rows = co_await pool_->query(sql::webhook_replay, hotel, sub, seq);
    auto list = deliveries_of(rows);
    if (list.empty())
        co_return std::nullopt;
    co_return std::move(list.front());
}

PgEventStore::Async<int> PgEventStore::number_events(int max) {
    const std::int32_t n = max;
    auto rows = co_await pool_->query(sql::events_number, n);
    co_return rows.get_as<std::int32_t>(0, 0);
}

PgEventStore::Async<std::vector<core::LeasedSubscription>> PgEventStore::lease(
    std::chrono::milliseconds lease, int max) {
    const std::int64_t ms = lease.count();
    const std::int32_t n = max;
    auto rows = co_await pool_->query(sql::webhook_lease, ms, n);
    std::vector<core::LeasedSubscription> out;
    for (int i = 0; i < rows.size(); ++i) {
        core::LeasedSubscription s;
        s.hotel_id = rows.get_as<pg::Uuid>(i, 0).text;
        s.id = rows.get_as<pg::Uuid>(i, 1).text;
        s.url = rows.get_as<std::string>(i, 2);
        s.secret = rows.get_as<std::string>(i, 3);
        s.lease_token = rows.get_as<pg::Uuid>(i, 4).text;
        out.push_back(std::move(s));
    }
    co_return out;
}

PgEventStore::Async<std::optional<core::QueueHead>> PgEventStore::head(
    const core::LeasedSubscription& sub) {
    const pg::Uuid hotel{sub.hotel_id};
    const pg::Uuid id{sub.id};
    const pg::Uuid token{sub.lease_token};
    auto rows = co_await pool_->query(sql::webhook_head, hotel, id, token);
    if (rows.empty())
        co_return std::nullopt;
    core::QueueHead h;
    h.seq = rows.get_as<std::int64_t>(0, rows.column("seq"));
    h.event_id = rows.get_as<std::int64_t>(0, rows.column("event_id"));
    h.attempts = rows.get_as<std::int32_t>(0, rows.column("attempts"));
    h.age = std::chrono::milliseconds(rows.get_as<std::int64_t>(0, rows.column("age_ms")));
    h.due = rows.get_as<bool>(0, rows.column("due"));
    h.body = rows.get_as<std::string>(0, rows.column("body"));
    co_return h;
}

PgEventStore::Async<bool> PgEventStore::record(const core::LeasedSubscription& sub,
                                               std::int64_t seq,
                                               const core::SendOutcome& outcome, bool dead,
                                               std::chrono::milliseconds retry,
                                               std::chrono::milliseconds lease) {
    const pg::Uuid hotel{sub.hotel_id};
    const pg::Uuid id{sub.id};
    const pg::Uuid token{sub.lease_token};
    std::optional<std::int32_t> status;
    if (outcome.status)
        status = *outcome.status;
    std::optional<std::string> error;
    if (!outcome.ok())
        error = outcome.error.substr(0, 500);
    const bool delivered = outcome.ok();
    const std::int64_t retry_ms = retry.count();
    const std::int64_t lease_ms = lease.count();
    auto rows = co_await pool_->query(sql::webhook_record, hotel, id, token, seq, status, error,
                                      delivered, dead, retry_ms, lease_ms);
    co_return !rows.empty();
}

PgEventStore::Async<void> PgEventStore::release(const core::LeasedSubscription& sub) {
    const pg::Uuid hotel{sub.hotel_id};
    const pg::Uuid id{sub.id};
    const pg::Uuid token{sub.lease_token};
    co_await pool_->query(sql::webhook_release, hotel, id, token);
}

}  // namespace hotel::storage
