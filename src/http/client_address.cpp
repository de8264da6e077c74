#include "http/client_address.hpp"

#include <algorithm>
#include <charconv>

namespace hotel::http {

namespace ip = boost::asio::ip;

namespace {

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

std::optional<ip::address> parse_ip(std::string_view text) {
    boost::system::error_code ec;
    auto a = ip::make_address(std::string(text), ec);
    if (ec)
        return std::nullopt;
    return unmapped(a);
}

}  // namespace

ip::address unmapped(const ip::address& a) {
    if (a.is_v6() && a.to_v6().is_v4_mapped())
        return ip::make_address_v4(ip::v4_mapped, a.to_v6());
    return a;
}

bool AddressRange::contains(const ip::address& candidate) const noexcept {
    const auto a = unmapped(candidate);
    if (a.is_v4() != base.is_v4())
        return false;
    if (a.is_v4()) {
        const auto x = a.to_v4().to_uint();
        const auto y = base.to_v4().to_uint();
        const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
        return (x & mask) == (y & mask);
    }
    const auto x = a.to_v6().to_bytes();
    const auto y = base.to_v6().to_bytes();
    unsigned bits = prefix;
    for (std::size_t i = 0; i < x.size() && bits > 0; ++i) {
        const unsigned take = std::min(bits, 8u);
        const auto mask = static_cast<unsigned char>(0xff << (8 - take));
        if ((x[i] & mask) != (y[i] & mask))
            return false;
        bits -= take;
    }
    return true;
}

std::optional<AddressRange> parse_address_range(std::string_view text) {
    text = trimmed(text);
    const auto slash = text.find('/');
    const auto address = parse_ip(text.substr(0, slash));
    if (!address)
        return std::nullopt;
    const unsigned max = address->is_v4() ? 32 : 128;
    unsigned prefix = max;
    if (slash != std::string_view::npos) {
        const auto digits = text.substr(slash + 1);
        auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
        if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size() ||
            prefix > max)
            return std::nullopt;
    }
    return AddressRange{*address, prefix};
}

std::optional<std::vector<AddressRange>> parse_address_ranges(std::string_view text,
                                                              std::string& bad) {
    std::vector<AddressRange> out;
    while (!text.empty()) {
        const auto comma = text.find(',');
        const auto item = trimmed(text.substr(0, comma));
        if (!item.empty()) {
            auto range = parse_address_range(item);
            if (!range) {
                bad = std::string(item);
                return std::nullopt;
            }
            out.push_back(*range);
        }
        if (comma == std::string_view::npos)
            break;
        text.remove_prefix(comma + 1);
    }
    return out;
}

std::string client_address(const std::string& peer,
                           const std::vector<std::string_view>& forwarded_for,
                           const std::vector<AddressRange>& trusted) {
    auto is_trusted = [&trusted](const ip::address& a) {
        return std::any_of(trusted.begin(), trusted.end(),
                           [&a](const AddressRange& r) { return r.contains(a); });
    };
    const auto peer_address = parse_ip(peer);
    if (!peer_address)
        return peer;
    std::string client = peer_address->to_string();
    if (trusted.empty() || !is_trusted(*peer_address))
        return client;
    // Entries in order, then walk from the right: each trusted hop vouches for the next one.
    std::vector<std::string_view> entries;
    for (auto value : forwarded_for) {
        while (!value.empty()) {
            const auto comma = value.find(',');
            entries.push_back(trimmed(value.substr(0, comma)));
            if (comma == std::string_view::npos)
                break;
            value.remove_prefix(comma + 1);
        }
    }
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        const auto hop = parse_ip(*it);
        if (!hop)
            break;  // garbage: believe nothing further left than the last good hop
        client = hop->to_string();
        if (!is_trusted(*hop))
            break;
    }
    return client;
}

}  // namespace hotel::http
