#pragma once
// Which address a request comes from. Behind a reverse proxy every peer is the proxy, so the
// client is named by X-Forwarded-For, which anyone can also send. It is believed only when
// the peer is a trusted proxy (HOTEL_TRUSTED_PROXIES), and then only its rightmost entry that
// is not itself a trusted proxy: entries further left were written by the client.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/address.hpp>

namespace hotel::http {

// An address or a CIDR block: "10.0.0.0/8", "2001:db8::/32", "127.0.0.1".
struct AddressRange {
    boost::asio::ip::address base;
    unsigned prefix = 0;  // bits; 32 or 128 for a single address

    bool contains(const boost::asio::ip::address& address) const noexcept;
};

std::optional<AddressRange> parse_address_range(std::string_view text);
// A comma-separated list of ranges; std::nullopt names nothing, and `bad` gets the first
// entry that is not an address or a CIDR block.
std::optional<std::vector<AddressRange>> parse_address_ranges(std::string_view text,
                                                              std::string& bad);

// An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address it is.
boost::asio::ip::address unmapped(const boost::asio::ip::address& address);

// The client address of a request from `peer` with these X-Forwarded-For values (in header
// order; each may hold several comma-separated entries).
std::string client_address(const std::string& peer,
                           const std::vector<std::string_view>& forwarded_for,
                           const std::vector<AddressRange>& trusted);

}  // namespace hotel::http
