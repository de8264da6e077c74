#include "core/plan_terms.hpp"

#include <cstdio>
#include <cstdlib>

namespace hotel::core {

std::optional<int> parse_adjustment(std::string_view t) noexcept {
    bool negative = false;
    if (!t.empty() && (t.front() == '-' || t.front() == '+')) {
        negative = t.front() == '-';
        t.remove_prefix(1);
    }
    const auto dot = t.find('.');
    const auto whole = t.substr(0, dot);
    const auto frac = dot == std::string_view::npos ? std::string_view() : t.substr(dot + 1);
    if (whole.empty() || whole.size() > 4 || (dot != std::string_view::npos && frac.empty()) ||
        frac.size() > 2)
        return std::nullopt;
    long bp = 0;
    for (char ch : whole) {
        if (ch < '0' || ch > '9')
            return std::nullopt;
        bp = bp * 10 + (ch - '0');
    }
    bp *= 100;
    int scale = 10;
    for (char ch : frac) {
        if (ch < '0' || ch > '9')
            return std::nullopt;
        bp += (ch - '0') * scale;
        scale /= 10;
    }
    if (negative)
        bp = -bp;
    if (bp <= -10000 || bp > 100000)
        return std::nullopt;
    return static_cast<int>(bp);
}

std::string format_adjustment(int bp) {
    char buf[16];
    const int magnitude = std::abs(bp);
    std::snprintf(buf, sizeof buf, "%s%d.%02d", bp < 0 ? "-" : "", magnitude / 100,
                  magnitude % 100);
    return buf;
}

std::optional<std::int64_t> derived_price(std::optional<std::int64_t> parent, int bp) noexcept {
    if (!parent)
        return std::nullopt;
    // parent * (10000 + bp) / 10000, exactly, then half to even; both factors are >= 0.
    const std::int64_t n = *parent * (10000 + bp);
    std::int64_t q = n / 10000;
    const std::int64_t r = n % 10000;
    if (r > 5000 || (r == 5000 && q % 2 != 0))
        ++q;
    return q;
}

}  // namespace hotel::core
