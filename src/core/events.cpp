#include "core/events.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace hotel::core {

namespace {

using Kind = EventError::Kind;

Failure<EventError> refuse(Kind kind, std::string field, std::string message) {
    return fail(EventError{kind, std::move(field), std::move(message)});
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool v4_public(const std::array<unsigned char, 4>& a) noexcept {
    const auto in = [&](unsigned char b0, unsigned char b1, int prefix) {
        const std::uint32_t addr = (std::uint32_t{a[0]} << 24) | (std::uint32_t{a[1]} << 16) |
                                   (std::uint32_t{a[2]} << 8) | a[3];
        const std::uint32_t net = (std::uint32_t{b0} << 24) | (std::uint32_t{b1} << 16);
        const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
        return (addr & mask) == (net & mask);
    };
    return !(in(0, 0, 8)                                 // "this network"
             || in(10, 0, 8)                             // private
             || in(100, 64, 10)                          // shared address space (CGNAT)
             || in(127, 0, 8)                            // loopback
             || in(169, 254, 16)                         // link-local (cloud metadata lives here)
             || in(172, 16, 12)                          // private
             || in(192, 0, 24)                           // IETF protocol assignments (192.0.0.0/24)
             || in(192, 168, 16)                         // private
             || in(198, 18, 15)                          // benchmarking
             || in(224, 0, 4)                            // multicast
             || in(240, 0, 4)                            // reserved, and the broadcast address
             || (a[0] == 192 && a[1] == 0 && a[2] == 2)  // TEST-NET-1
             || (a[0] == 198 && a[1] == 51 && a[2] == 100)   // TEST-NET-2
             || (a[0] == 203 && a[1] == 0 && a[2] == 113));  // TEST-NET-3
}

bool v6_public(const std::array<unsigned char, 16>& a) noexcept {
    const auto zeros = [&](int from, int to) {
        for (int i = from; i < to; ++i)
            if (a[static_cast<std::size_t>(i)] != 0)
                return false;
        return true;
    };
    const auto v4_at_end = [&] { return std::array<unsigned char, 4>{a[12], a[13], a[14], a[15]}; };
    if (zeros(0, 16))
        return false;  // unspecified
    if (zeros(0, 15) && a[15] == 1)
        return false;  // loopback
    if (zeros(0, 10) && a[10] == 0xff && a[11] == 0xff)
        return v4_public(v4_at_end());  // IPv4-mapped
    if (zeros(0, 12))
        return false;  // IPv4-compatible (deprecated)
    if (a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xff && a[3] == 0x9b && zeros(4, 12))
        return v4_public(v4_at_end());  // NAT64 64:ff9b::/96
    if ((a[0] & 0xfe) == 0xfc)
        return false;  // unique local fc00::/7
    if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
        return false;  // link-local fe80::/10
    if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0)
        return false;  // site-local (deprecated) fec0::/10
    if (a[0] == 0xff)
        return false;  // multicast
    if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8)
        return false;  // documentation 2001:db8::/32
    if (a[0] == 0x01 && zeros(1, 8))
        return false;  // discard-only 100::/64
    if (a[0] == 0x20 && a[1] == 0x02)
        return v4_public({a[2], a[3], a[4], a[5]});  // 6to4 carries an IPv4 address
    return true;
}

// A page of what follows cursor `after`, from `rows` read with one more than `limit`: that
// extra row only says there is more.
template <class Page, class Row>
Page page_after(std::vector<Row> rows, std::int64_t after, int limit) {
    Page page;
    page.has_more = static_cast<int>(rows.size()) > limit;
    if (page.has_more)
        rows.resize(static_cast<std::size_t>(limit));
    page.next_cursor = rows.empty() ? after : rows.back().seq;
    page.items = std::move(rows);
    return page;
}

}  // namespace

std::string_view to_string(DeliveryStatus s) noexcept {
    switch (s) {
        case DeliveryStatus::pending:
            return "pending";
        case DeliveryStatus::delivered:
            return "delivered";
        case DeliveryStatus::dead:
            return "dead";
    }
    return "pending";
}

std::optional<DeliveryStatus> parse_delivery_status(std::string_view text) noexcept {
    for (auto s : {DeliveryStatus::pending, DeliveryStatus::delivered, DeliveryStatus::dead})
        if (to_string(s) == text)
            return s;
    return std::nullopt;
}

std::optional<EventError::Kind> feed_access(const Caller& caller, std::string_view hotel_id) {
    if (may_operate_hotel(caller, hotel_id))  // an admin, staff or a manager of the hotel
        return std::nullopt;
    if (caller.role == Role::guest)
        return Kind::forbidden;
    return Kind::not_found;
}

std::optional<EventError::Kind> webhook_access(const Caller& caller, std::string_view hotel_id) {
    if (may_manage_catalogue(caller, hotel_id))  // an admin, or a manager of the hotel
        return std::nullopt;
    if (caller.role == Role::guest)
        return Kind::forbidden;
    if (caller.role == Role::staff && caller.works_for(hotel_id))
        return Kind::forbidden;  // the hotel's own staff: subscriptions are the manager's
    return Kind::not_found;
}

std::optional<std::int64_t> parse_cursor(std::string_view text) noexcept {
    if (text.empty() || text.size() > 19)
        return std::nullopt;
    std::int64_t v = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        const int d = c - '0';
        if (v > (INT64_MAX - d) / 10)
            return std::nullopt;
        v = v * 10 + d;
    }
    return v;
}

std::optional<WebhookUrl> parse_webhook_url(std::string_view url) {
    if (url.empty() || url.size() > kMaxUrlBytes)
        return std::nullopt;
    for (unsigned char c : url)
        if (c <= 0x20 || c >= 0x7f)
            return std::nullopt;  // printable ASCII, no spaces (hosts are given in IDNA form)
    WebhookUrl out;
    const std::string scheme_end = "://";
    const auto colon = url.find(scheme_end);
    if (colon == std::string_view::npos)
        return std::nullopt;
    const auto scheme = lower(url.substr(0, colon));
    if (scheme == "https")
        out.tls = true;
    else if (scheme != "http")
        return std::nullopt;
    std::string_view rest = url.substr(colon + scheme_end.size());
    if (rest.find('#') != std::string_view::npos)
        return std::nullopt;
    const auto path_at = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, path_at);
    std::string target =
        path_at == std::string_view::npos ? "/" : std::string(rest.substr(path_at));
    if (target.front() == '?')
        target.insert(target.begin(), '/');
    if (authority.empty() || authority.find('@') != std::string_view::npos)
        return std::nullopt;
    std::string_view port_text;
    if (authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos)
            return std::nullopt;
        out.host = std::string(authority.substr(1, close - 1));
        std::array<unsigned char, 16> buf{};
        if (::inet_pton(AF_INET6, out.host.c_str(), buf.data()) != 1)
            return std::nullopt;
        const auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':')
                return std::nullopt;
            port_text = after.substr(1);
            if (port_text.empty())
                return std::nullopt;
        }
    } else {
        const auto c = authority.find(':');
        out.host = lower(authority.substr(0, c));
        if (c != std::string_view::npos) {
            port_text = authority.substr(c + 1);
            if (port_text.empty())
                return std::nullopt;
        }
        if (out.host.empty() || out.host.size() > 253)
            return std::nullopt;
        for (char ch : out.host)
            if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.'))
                return std::nullopt;
        if (out.host.front() == '.' || out.host.front() == '-' ||
            out.host.find("..") != std::string::npos)
            return std::nullopt;
    }
    out.port = out.tls ? 443 : 80;
    if (!port_text.empty()) {
        if (port_text.size() > 5)
            return std::nullopt;
        int p = 0;
        for (char ch : port_text) {
            if (ch < '0' || ch > '9')
                return std::nullopt;
            p = p * 10 + (ch - '0');
        }
        if (p < 1 || p > 65535)
            return std::nullopt;
        out.port = static_cast<unsigned short>(p);
    }
    out.target = std::move(target);
    return out;
}

bool is_public_address(std::string_view address) noexcept {
    char text[INET6_ADDRSTRLEN + 1] = {};
    if (address.empty() || address.size() > INET6_ADDRSTRLEN)
        return false;
    std::memcpy(text, address.data(), address.size());
    std::array<unsigned char, 4> v4{};
    if (::inet_pton(AF_INET, text, v4.data()) == 1)
        return v4_public(v4);
    std::array<unsigned char, 16> v6{};
    if (::inet_pton(AF_INET6, text, v6.data()) == 1)
        return v6_public(v6);
    return false;
}

std::optional<std::string> check_webhook_url(std::string_view url, bool allow_private) {
    const auto parsed = parse_webhook_url(url);
    if (!parsed)
        return "must be an http or https URL (host, optional port, path; no user info or "
               "fragment)";
    if (allow_private)
        return std::nullopt;
    std::string host = parsed->host;
    while (!host.empty() && host.back() == '.')
        host.pop_back();
    if (host == "localhost" ||
        (host.size() > 10 && host.compare(host.size() - 10, 10, ".localhost") == 0))
        return "must not name this machine (localhost)";
    std::array<unsigned char, 16> buf{};
    const bool literal = ::inet_pton(AF_INET, parsed->host.c_str(), buf.data()) == 1 ||
                         ::inet_pton(AF_INET6, parsed->host.c_str(), buf.data()) == 1;
    if (literal && !is_public_address(parsed->host))
        return "must not point at a loopback, private or reserved address";
    if (!literal) {
        // Digits and dots only but not a dotted quad (e.g. "2130706433", "127.1"): resolvers
        // read these as addresses; refuse rather than guess.
        if (host.find_first_not_of("0123456789.") == std::string::npos)
            return "must not point at a loopback, private or reserved address";
    }
    return std::nullopt;
}

bool is_event_type_pattern(std::string_view type) noexcept {
    if (type == "*")
        return true;
    if (type.size() > 64)
        return false;
    const auto dot = type.find('.');
    if (dot == 0 || dot == std::string_view::npos || dot + 1 == type.size())
        return false;
    for (std::size_t i = 0; i < type.size(); ++i) {
        const char c = type[i];
        if (i == dot)
            continue;
        if (!((c >= 'a' && c <= 'z') || c == '_'))
            return false;
    }
    return true;
}

std::chrono::milliseconds retry_delay(int attempt, std::chrono::milliseconds base,
                                      std::chrono::milliseconds cap, double unit) noexcept {
    using std::chrono::milliseconds;
    long long d = std::max<long long>(base.count(), 1);
    for (int i = 1; i < attempt && d < cap.count(); ++i)
        d *= 2;
    d = std::min<long long>(d, cap.count());
    unit = std::clamp(unit, 0.0, 1.0);
    const long long half = d / 2;
    return milliseconds(half + static_cast<long long>(static_cast<double>(d - half) * unit));
}

bool dead_letter(std::chrono::milliseconds age, std::chrono::milliseconds delay,
                 std::chrono::milliseconds window) noexcept {
    return age + delay > window;
}

std::string webhook_signed_text(std::string_view timestamp, std::string_view body) {
    std::string out;
    out.reserve(timestamp.size() + 1 + body.size());
    out.append(timestamp);
    out.push_back('.');
    out.append(body);
    return out;
}

// --- use cases ------------------------------------------------------------------------------

EventService::Async<bool> EventService::hotel_exists(std::string_view hotel_id) {
    const std::string id(hotel_id);
    auto found = co_await catalogue_.find_hotel(id);
    if (!found)
        co_return refuse(Kind::not_found, "", "no such hotel");
    co_return true;
}

EventService::Async<EventPage> EventService::feed(const Caller& caller, std::string hotel_id,
                                                  std::int64_t after, int limit) {
    if (auto refused = feed_access(caller, hotel_id))
        co_return refuse(*refused, "",
                         *refused == Kind::forbidden ? "the event feed is for the hotel's staff"
                                                     : "no such hotel");
    if (limit < 1 || limit > kMaxFeedLimit)
        co_return refuse(Kind::invalid, "limit", "must be 1 to 500");
    auto exists = co_await hotel_exists(hotel_id);
    if (!exists)
        co_return fail(exists.error());
    auto rows = co_await events_.feed(hotel_id, after, limit + 1);
    co_return page_after<EventPage>(std::move(rows), after, limit);
}

EventService::Async<Subscription> EventService::subscribe(const Caller& caller,
                                                          std::string hotel_id, std::string url,
                                                          std::vector<std::string> events,
                                                          std::string secret) {
    if (auto refused = webhook_access(caller, hotel_id))
        co_return refuse(*refused, "",
                         *refused == Kind::forbidden ? "webhooks are for the hotel's managers"
                                                     : "no such hotel");
    if (!parse_webhook_url(url))
        co_return refuse(Kind::invalid, "url",
                         "must be an http or https URL (host, optional port, path; no user "
                         "info or fragment)");
    if (events.empty() || events.size() > kMaxEventTypes)
        co_return refuse(Kind::invalid, "events", "must list 1 to 32 event types");
    for (std::size_t i = 0; i < events.size(); ++i)
        if (!is_event_type_pattern(events[i]))
            co_return refuse(Kind::invalid, "events[" + std::to_string(i) + "]",
                             "must be an event type such as booking.created, or *");
    std::sort(events.begin(), events.end());
    events.erase(std::unique(events.begin(), events.end()), events.end());
    if (secret.size() < kMinSecretBytes || secret.size() > kMaxSecretBytes)
        co_return refuse(Kind::invalid, "secret", "must be 16 to 256 bytes");
    if (auto why = check_webhook_url(url, allow_private_))
        co_return refuse(Kind::unprocessable, "url", *why);
    auto exists = co_await hotel_exists(hotel_id);
    if (!exists)
        co_return fail(exists.error());
    auto created = co_await events_.create_subscription(hotel_id, url, events, secret,
                                                        caller.user_id, kMaxSubscriptionsPerHotel);
    if (!created)
        co_return refuse(Kind::limit_reached, "", "a hotel has at most 20 webhook subscriptions");
    co_return std::move(*created);
}

EventService::Async<std::vector<Subscription>> EventService::subscriptions(const Caller& caller,
                                                                           std::string hotel_id) {
    if (auto refused = webhook_access(caller, hotel_id))
        co_return refuse(*refused, "",
                         *refused == Kind::forbidden ? "webhooks are for the hotel's managers"
                                                     : "no such hotel");
    auto exists = co_await hotel_exists(hotel_id);
    if (!exists)
        co_return fail(exists.error());
    auto list = co_await events_.subscriptions(hotel_id);
    co_return list;
}

EventService::Async<Subscription> EventService::subscription(const Caller& caller,
                                                             std::string hotel_id, std::string id) {
    if (auto refused = webhook_access(caller, hotel_id))
        co_return refuse(*refused, "",
                         *refused == Kind::forbidden ? "webhooks are for the hotel's managers"
                                                     : "no such hotel");
    auto found = co_await events_.subscription(hotel_id, id);
    if (!found)
        co_return refuse(Kind::not_found, "", "no such webhook subscription");
    co_return std::move(*found);
}

EventService::Async<bool> EventService::unsubscribe(const Caller& caller, std::string hotel_id,
                                                    std::string id) {
    if (auto refused = webhook_access(caller, hotel_id))
        co_return refuse(*refused, "",
                         *refused == Kind::forbidden ? "webhooks are for the hotel's managers"
                                                     : "no such hotel");
    const bool gone = co_await events_.delete_subscription(hotel_id, id);
    if (!gone)
        co_return refuse(Kind::not_found, "", "no such webhook subscription");
    co_return true;
}

EventService::Async<DeliveryPage> EventService::deliveries(
    const Caller& caller, std::string hotel_id, std::string subscription_id, std::int64_t after,
    std::optional<DeliveryStatus> status, int limit) {
    auto sub = co_await subscription(caller, hotel_id, subscription_id);
    if (!sub)
        co_return fail(sub.error());
    if (limit < 1 || limit > kMaxFeedLimit)
        co_return refuse(Kind::invalid, "limit", "must be 1 to 500");
    auto rows = co_await events_.deliveries(hotel_id, subscription_id, after, status, limit + 1);
    co_return page_after<DeliveryPage>(std::move(rows), after, limit);
}

EventService::Async<Delivery> EventService::replay(const Caller& caller, std::string hotel_id,
                                                   std::string subscription_id, std::int64_t seq) {
    auto sub = co_await subscription(caller, hotel_id, subscription_id);
    if (!sub)
        co_return fail(sub.error());
    auto done = co_await events_.replay(hotel_id, subscription_id, seq);
    if (!done)
        co_return refuse(Kind::not_found, "", "no such delivery");
    co_return std::move(*done);
}

}  // namespace hotel::core
