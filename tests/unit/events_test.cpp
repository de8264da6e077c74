// The rules of events out (core/events.hpp): access, cursors, webhook URLs and the addresses
// they may reach, event type patterns, the retry schedule and the signed text.

#include "core/events.hpp"

#include <gtest/gtest.h>

#include "http/webhook_client.hpp"

namespace hotel::core {
namespace {

using namespace std::chrono_literals;

Caller caller(Role role, std::vector<std::string> hotels = {}) {
    return Caller{"u", role, std::move(hotels)};
}

TEST(EventsRules, FeedForTheHotelsPeopleWebhooksForItsManagers) {
    using Kind = EventError::Kind;
    const auto admin = caller(Role::admin);
    const auto manager = caller(Role::manager, {"h"});
    const auto staff = caller(Role::staff, {"h"});
    const auto guest = caller(Role::guest);
    const auto elsewhere = caller(Role::manager, {"other"});
    EXPECT_FALSE(feed_access(admin, "h"));
    EXPECT_FALSE(feed_access(manager, "h"));
    EXPECT_FALSE(feed_access(staff, "h"));
    EXPECT_EQ(feed_access(guest, "h"), Kind::forbidden);
    EXPECT_EQ(feed_access(elsewhere, "h"), Kind::not_found);
    EXPECT_FALSE(webhook_access(admin, "h"));
    EXPECT_FALSE(webhook_access(manager, "h"));
    EXPECT_EQ(webhook_access(staff, "h"), Kind::forbidden);
    EXPECT_EQ(webhook_access(guest, "h"), Kind::forbidden);
    EXPECT_EQ(webhook_access(elsewhere, "h"), Kind::not_found);
    EXPECT_EQ(webhook_access(caller(Role::staff, {"other"}), "h"), Kind::not_found);
}

TEST(EventsRules, CursorsAreDecimalSequences) {
    EXPECT_EQ(parse_cursor("0"), 0);
    EXPECT_EQ(parse_cursor("42"), 42);
    EXPECT_EQ(parse_cursor("9223372036854775807"), INT64_MAX);
    for (const char* bad : {"", "-1", "+1", "1.0", "9223372036854775808", "12345678901234567890",
                            "0x10", " 1"})
        EXPECT_FALSE(parse_cursor(bad)) << bad;
}

TEST(EventsRules, WebhookUrlsAreSplitStrictly) {
    auto u = parse_webhook_url("https://Hooks.Example.com/in?x=1");
    ASSERT_TRUE(u);
    EXPECT_TRUE(u->tls);
    EXPECT_EQ(u->host, "hooks.example.com");
    EXPECT_EQ(u->port, 443);
    EXPECT_EQ(u->target, "/in?x=1");
    u = parse_webhook_url("http://127.0.0.1:8081");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->port, 8081);
    EXPECT_EQ(u->target, "/");
    u = parse_webhook_url("http://[2001:db8::1]:9000?q");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->host, "2001:db8::1");
    EXPECT_EQ(u->target, "/?q");
    for (const char* bad :
         {"", "example.com", "ftp://example.com/", "http://", "http:///x", "http://a@b/",
          "http://b/#f", "http://b:/", "http://b:0/", "http://b:70000/", "http://[::1/",
          "http://[zz::1]/", "http://exa mple.com/", "http://ex_ample.com/", "http://.a/",
          "http://a..b/", "http://caf\xc3\xa9.example/"})
        EXPECT_FALSE(parse_webhook_url(bad)) << bad;
}

TEST(EventsRules, OnlyPublicAddressesWithoutTheTestSwitch) {
    for (const char* ok : {"93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "2a00:1450::1",
                           "::ffff:8.8.8.8", "64:ff9b::808:808"})
        EXPECT_TRUE(is_public_address(ok)) << ok;
    for (const char* no :
         {"127.0.0.1", "127.255.0.9", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.0.1",
          "169.254.169.254", "100.64.0.1", "0.0.0.0", "255.255.255.255", "224.0.0.1",
          "198.18.0.1", "192.0.2.1", "::", "::1", "fe80::1", "fc00::1", "fd12::1", "ff02::1",
          "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a00:1", "2001:db8::1",
          "2002:7f00:1::1", "not an address", ""})
        EXPECT_FALSE(is_public_address(no)) << no;
    EXPECT_TRUE(is_public_address("172.32.0.1"));
    EXPECT_TRUE(is_public_address("100.128.0.1"));

    EXPECT_FALSE(check_webhook_url("http://127.0.0.1:9/x", true));
    EXPECT_FALSE(check_webhook_url("http://localhost/x", true));
    EXPECT_TRUE(check_webhook_url("http://127.0.0.1:9/x", false));
    EXPECT_TRUE(check_webhook_url("http://LOCALHOST./x", false));
    EXPECT_TRUE(check_webhook_url("http://a.localhost/x", false));
    EXPECT_TRUE(check_webhook_url("http://2130706433/", false));
    EXPECT_TRUE(check_webhook_url("http://127.1/", false));
    EXPECT_TRUE(check_webhook_url("http://[::ffff:7f00:1]/", false));
    EXPECT_FALSE(check_webhook_url("https://hooks.example.com/in", false));
    EXPECT_FALSE(check_webhook_url("https://8.8.8.8/in", false));
    EXPECT_TRUE(check_webhook_url("gopher://8.8.8.8/", true));  // malformed either way
}

TEST(EventsRules, EventTypePatterns) {
    for (const char* ok : {"*", "booking.created", "booking.checked_in", "a.b"})
        EXPECT_TRUE(is_event_type_pattern(ok)) << ok;
    for (const char* no : {"", "booking", "booking.", ".created", "Booking.created",
                           "booking.created.x", "booking.*", "**", "booking created"})
        EXPECT_FALSE(is_event_type_pattern(no)) << no;
}

TEST(EventsRules, RetriesBackOffExponentiallyWithJitterUntilTheWindowEnds) {
    EXPECT_EQ(retry_delay(1, 1000ms, 3600000ms, 0.0), 500ms);
    EXPECT_EQ(retry_delay(1, 1000ms, 3600000ms, 0.999999), 999ms);
    EXPECT_EQ(retry_delay(2, 1000ms, 3600000ms, 0.0), 1000ms);
    EXPECT_EQ(retry_delay(4, 1000ms, 3600000ms, 0.0), 4000ms);
    EXPECT_EQ(retry_delay(60, 1000ms, 3600000ms, 0.0), 1800000ms);  // capped, no overflow
    EXPECT_LE(retry_delay(1000, 1000ms, 3600000ms, 1.0), 3600000ms);
    for (int a = 1; a < 40; ++a) {
        const auto d = retry_delay(a, 5000ms, 3600000ms, 0.5);
        EXPECT_GT(d, 0ms);
        EXPECT_LE(d, 3600000ms);
    }
    // With the defaults (5 s doubling to 1 h), 24 h hold about 30 attempts.
    std::chrono::milliseconds age{0};
    int attempts = 0;
    for (;;) {
        ++attempts;
        const auto d = retry_delay(attempts, 5000ms, 3600000ms, 1.0);
        if (dead_letter(age, d, 24h))
            break;
        age += d;
        ASSERT_LT(attempts, 1000);
    }
    EXPECT_GT(attempts, 20);
    EXPECT_LT(attempts, 40);
    EXPECT_TRUE(dead_letter(23h, 2h, 24h));
    EXPECT_FALSE(dead_letter(1h, 1h, 24h));
}

TEST(EventsRules, TheSignatureCoversTimestampDotBody) {
    EXPECT_EQ(webhook_signed_text("1700000000", "{\"a\":1}"), "1700000000.{\"a\":1}");
    // RFC 4231, test case 2.
    EXPECT_EQ(http::hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    // The worked example of docs/WEBHOOKS.md, byte for byte.
    const std::string body =
        "{\"id\" : \"1042\", \"sequence\" : \"987\", \"type\" : \"booking.created\", "
        "\"hotel_id\" : \"6f1c2d3e-4a5b-4c6d-8e7f-901234567890\", "
        "\"booking_id\" : \"0b8e7f6a-5d4c-4b3a-9f8e-7d6c5b4a3928\", \"version\" : 1, "
        "\"actor_id\" : \"2a3b4c5d-6e7f-4081-9a2b-3c4d5e6f7081\", "
        "\"occurred_at\" : \"2026-01-01T00:00:00Z\", \"data\" : {\"total_minor\": 24000}}";
    EXPECT_EQ(http::hmac_sha256_hex("whsec-demo-0123456789abcdef",
                                    webhook_signed_text("1767225600", body)),
              "7b6c245a9b56914828f6a0a0401ede435b5aafdd3860c7be19aeec74236942ab");
}

}  // namespace
}  // namespace hotel::core
