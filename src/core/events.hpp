#pragma once
// Events out (issue 15, part 1; docs/WEBHOOKS.md): a hotel's booking events as a pull feed
// resumable from a cursor, and webhook subscriptions whose deliveries go out from an outbox.
// The rules are here (who may do what, which URLs may be called, how long to wait between
// attempts, what is signed); the store keeps the rows, the sender makes the HTTP call.

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.hpp"
#include "core/catalogue_ports.hpp"
#include "core/identity.hpp"
#include "core/result.hpp"

namespace hotel::core {

struct EventError {
    // invalid: malformed input (400, naming `field`); forbidden: 403; not_found: 404;
    // unprocessable: a well-formed value a rule refuses (422, naming `field`);
    // limit_reached: too many subscriptions (409).
    enum class Kind { invalid, forbidden, not_found, unprocessable, limit_reached } kind;
    std::string field;
    std::string message;
};

// --- values ---------------------------------------------------------------------------------

// One booking event as the feed and the webhooks show it. `seq` is its place in the order
// events became visible (the cursor); `id` is its identity for de-duplication (Event-Id).
struct Event {
    std::int64_t id = 0;
    std::int64_t seq = 0;
    std::string hotel_id;
    std::string booking_id;
    std::string type;
    int version = 0;
    std::optional<std::string> actor_id;
    std::string payload_json;  // the event's data, a JSON object as stored
    Instant at{};
};

struct EventPage {
    std::vector<Event> items;
    std::int64_t next_cursor = 0;  // the last item's seq, or the cursor asked for when empty
    bool has_more = false;
};

struct Subscription {
    std::string id;
    std::string hotel_id;
    std::string url;
    std::vector<std::string> events;
    Instant created_at{};
};

enum class DeliveryStatus { pending, delivered, dead };
std::string_view to_string(DeliveryStatus s) noexcept;
std::optional<DeliveryStatus> parse_delivery_status(std::string_view text) noexcept;

struct Delivery {
    std::int64_t seq = 0;  // the event's seq: a delivery's id within its subscription
    std::int64_t event_id = 0;
    std::string event_type;
    DeliveryStatus status = DeliveryStatus::pending;
    int attempts = 0;
    Instant created_at{};
    std::optional<Instant> next_attempt_at;  // pending only
    std::optional<Instant> last_attempt_at;
    std::optional<int> last_status;  // the receiver's HTTP status, when it answered
    std::optional<std::string> last_error;
    std::optional<Instant> delivered_at;
};

struct DeliveryPage {
    std::vector<Delivery> items;
    std::int64_t next_cursor = 0;
    bool has_more = false;
};

// --- the rules, pure ------------------------------------------------------------------------

constexpr int kMaxFeedLimit = 500;
constexpr int kDefaultFeedLimit = 100;
constexpr int kMaxSubscriptionsPerHotel = 20;
constexpr std::size_t kMinSecretBytes = 16;
constexpr std::size_t kMaxSecretBytes = 256;
constexpr std::size_t kMaxEventTypes = 32;
constexpr std::size_t kMaxUrlBytes = 2048;

// The feed: staff or a manager of the hotel, or an admin (nullopt); a guest: forbidden;
// anyone else: not_found.
std::optional<EventError::Kind> feed_access(const Caller& caller, std::string_view hotel_id);
// Subscriptions: a manager of the hotel or an admin (nullopt); a guest or the hotel's staff:
// forbidden; anyone else: not_found.
std::optional<EventError::Kind> webhook_access(const Caller& caller, std::string_view hotel_id);

// A cursor as the API writes it: the decimal seq, 0 to 2^63-1. nullopt when malformed.
std::optional<std::int64_t> parse_cursor(std::string_view text) noexcept;

// A webhook target, split.
struct WebhookUrl {
    bool tls = false;  // https
    std::string host;  // a name, an IPv4 literal, or an IPv6 literal without brackets
    unsigned short port = 0;
    std::string target;  // path and query, at least "/"
};
// http(s)://host[:port][/path][?query]: no user info, no fragment, printable ASCII only.
std::optional<WebhookUrl> parse_webhook_url(std::string_view url);

// Whether an IP address (text, v4 or v6) may be called when private targets are not allowed:
// false for loopback, private (RFC 1918, unique local), link-local, shared (CGNAT), multicast,
// unspecified, documentation and reserved ranges, and IPv4 in IPv6 (mapped, NAT64) of those.
// Not an address at all: false.
bool is_public_address(std::string_view address) noexcept;

// Why a subscription's URL is refused (nullopt: accepted): malformed, or (unless
// allow_private) a host that is an IP literal that is not public, or `localhost` /
// `*.localhost`. Names are checked again on every delivery, once resolved (DNS can change).
std::optional<std::string> check_webhook_url(std::string_view url, bool allow_private);

// An event type a subscription may name: "*" (every type) or `word.word` (lower case, '_').
bool is_event_type_pattern(std::string_view type) noexcept;

// The wait before attempt number `attempt + 1` after `attempt` failed ones (attempt >= 1):
// base * 2^(attempt-1), at most `cap`, then jittered to [half, whole] by unit in [0, 1).
std::chrono::milliseconds retry_delay(int attempt, std::chrono::milliseconds base,
                                      std::chrono::milliseconds cap, double unit) noexcept;
// Whether a delivery first queued `age` ago goes to the dead letters instead of waiting
// `delay` for another attempt: when that attempt would fall beyond `window`.
bool dead_letter(std::chrono::milliseconds age, std::chrono::milliseconds delay,
                 std::chrono::milliseconds window) noexcept;

// What the signature covers: the timestamp (decimal Unix seconds), ".", the body as sent.
std::string webhook_signed_text(std::string_view timestamp, std::string_view body);

// --- ports ----------------------------------------------------------------------------------

class EventStore {
  public:
    template <class T>
    using Async = boost::asio::awaitable<T>;
    virtual ~EventStore() = default;
    // Numbered events of the hotel with seq > after, in seq order, at most `limit`.
    virtual Async<std::vector<Event>> feed(std::string hotel_id, std::int64_t after,
                                           int limit) = 0;
    // The hotel's live subscriptions, oldest first.
    virtual Async<std::vector<Subscription>> subscriptions(std::string hotel_id) = 0;
    virtual Async<std::optional<Subscription>> subscription(std::string hotel_id,
                                                            std::string id) = 0;
    // nullopt when the hotel already has `max` live subscriptions.
    virtual Async<std::optional<Subscription>> create_subscription(
        std::string hotel_id, std::string url, std::vector<std::string> events,
        std::string secret, std::string created_by, int max) = 0;
    // false when there was no such live subscription.
    virtual Async<bool> delete_subscription(std::string hotel_id, std::string id) = 0;
    // Deliveries of a subscription with seq > after, in seq order, at most `limit`.
    virtual Async<std::vector<Delivery>> deliveries(std::string hotel_id,
                                                    std::string subscription_id,
                                                    std::int64_t after,
                                                    std::optional<DeliveryStatus> status,
                                                    int limit) = 0;
    // Sets a delivery pending again, due now, with a new retry window; nullopt when there is
    // no such delivery.
    virtual Async<std::optional<Delivery>> replay(std::string hotel_id,
                                                  std::string subscription_id,
                                                  std::int64_t seq) = 0;
};

// --- use cases ------------------------------------------------------------------------------

class EventService {
  public:
    template <class T>
    using Async = boost::asio::awaitable<Result<T, EventError>>;

    EventService(EventStore& events, CatalogueStore& catalogue, bool allow_private)
        : events_(events), catalogue_(catalogue), allow_private_(allow_private) {}

    Async<EventPage> feed(const Caller& caller, std::string hotel_id, std::int64_t after,
                          int limit);
    Async<Subscription> subscribe(const Caller& caller, std::string hotel_id, std::string url,
                                  std::vector<std::string> events, std::string secret);
    Async<std::vector<Subscription>> subscriptions(const Caller& caller, std::string hotel_id);
    Async<Subscription> subscription(const Caller& caller, std::string hotel_id,
                                     std::string id);
    Async<bool> unsubscribe(const Caller& caller, std::string hotel_id, std::string id);
    Async<DeliveryPage> deliveries(const Caller& caller, std::string hotel_id,
                                   std::string subscription_id, std::int64_t after,
                                   std::optional<DeliveryStatus> status, int limit);
    Async<Delivery> replay(const Caller& caller, std::string hotel_id,
                           std::string subscription_id, std::int64_t seq);

  private:
    Async<bool> hotel_exists(std::string_view hotel_id);

    EventStore& events_;
    CatalogueStore& catalogue_;
    bool allow_private_;
};

}  // namespace hotel::core
