// Which address a request comes from: X-Forwarded-For only from trusted proxies, rightmost
// untrusted entry first.

#include <gtest/gtest.h>

#include "http/client_address.hpp"

using namespace hotel::http;

namespace {
std::vector<AddressRange> ranges(const std::string& text) {
    std::string bad;
    auto r = parse_address_ranges(text, bad);
    EXPECT_TRUE(r) << bad;
    return r.value_or(std::vector<AddressRange>{});
}
}  // namespace

TEST(ClientAddress, RangesParseAndMatch) {
    auto r = ranges("10.0.0.0/8, 127.0.0.1 ,2001:db8::/32");
    ASSERT_EQ(r.size(), 3u);
    auto a = [](const char* s) { return boost::asio::ip::make_address(s); };
    EXPECT_TRUE(r[0].contains(a("10.200.3.4")));
    EXPECT_FALSE(r[0].contains(a("11.0.0.1")));
    EXPECT_TRUE(r[1].contains(a("127.0.0.1")));
    EXPECT_TRUE(r[1].contains(a("::ffff:127.0.0.1")));  // IPv4-mapped peer
    EXPECT_FALSE(r[1].contains(a("127.0.0.2")));
    EXPECT_TRUE(r[2].contains(a("2001:db8:1::5")));
    EXPECT_FALSE(r[2].contains(a("2001:db9::1")));
    EXPECT_FALSE(r[2].contains(a("10.0.0.1")));
    EXPECT_TRUE(parse_address_range("0.0.0.0/0")->contains(a("8.8.8.8")));
    for (const char* bad : {"10.0.0.0/33", "nonsense", "10.0.0.0/", "1.2.3.4/x", "::/129"})
        EXPECT_FALSE(parse_address_range(bad)) << bad;
    std::string which;
    EXPECT_FALSE(parse_address_ranges("10.0.0.1, proxy.example.com", which));
    EXPECT_EQ(which, "proxy.example.com");
    EXPECT_TRUE(parse_address_ranges("", which)->empty());
}

TEST(ClientAddress, ForwardedForIsIgnoredUnlessThePeerIsTrusted) {
    const std::vector<std::string_view> xff{"203.0.113.7"};
    EXPECT_EQ(client_address("127.0.0.1", xff, {}), "127.0.0.1");
    EXPECT_EQ(client_address("192.0.2.1", xff, ranges("127.0.0.1")), "192.0.2.1");
    EXPECT_EQ(client_address("127.0.0.1", xff, ranges("127.0.0.1")), "203.0.113.7");
    EXPECT_EQ(client_address("::ffff:127.0.0.1", xff, ranges("127.0.0.1")), "203.0.113.7");
}

TEST(ClientAddress, TheRightmostUntrustedEntryIsTheClient) {
    const auto trusted = ranges("127.0.0.1, 10.0.0.0/8");
    // The client sent a made-up X-Forwarded-For; the proxy appended the real peer.
    EXPECT_EQ(client_address("127.0.0.1", {"9.9.9.9, 198.51.100.20"}, trusted), "198.51.100.20");
    // Two trusted hops: the inner proxy's entry is skipped.
    EXPECT_EQ(client_address("127.0.0.1", {"198.51.100.20, 10.1.2.3"}, trusted), "198.51.100.20");
    // Several header lines count as one list, in order.
    EXPECT_EQ(client_address("127.0.0.1", {"9.9.9.9", "198.51.100.20, 10.1.2.3"}, trusted),
              "198.51.100.20");
    // Only trusted hops: the leftmost of them.
    EXPECT_EQ(client_address("127.0.0.1", {"10.0.0.9, 10.1.2.3"}, trusted), "10.0.0.9");
    // Garbage stops the walk at the last good hop.
    EXPECT_EQ(client_address("127.0.0.1", {"198.51.100.20, garbage"}, trusted), "127.0.0.1");
    EXPECT_EQ(client_address("127.0.0.1", {"garbage, 10.1.2.3"}, trusted), "10.1.2.3");
    // No header: the peer.
    EXPECT_EQ(client_address("127.0.0.1", {}, trusted), "127.0.0.1");
}
