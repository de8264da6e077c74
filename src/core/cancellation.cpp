#include "core/cancellation.hpp"

#include <charconv>

namespace hotel::core {

std::optional<Penalty> Penalty::parse(std::string_view s) noexcept {
    if (s == "first_night")
        return Penalty{Kind::first_night, 0};
    if (s == "full_stay")
        return Penalty{Kind::full_stay, 0};
    constexpr std::string_view prefix = "percent:";
    if (s.substr(0, prefix.size()) != prefix)
        return std::nullopt;
    const auto digits = s.substr(prefix.size());
    if (digits.empty() || digits.size() > 3 || (digits.size() > 1 && digits[0] == '0'))
        return std::nullopt;
    int p = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), p);
    if (ec != std::errc() || ptr != digits.data() + digits.size() || p < 0 || p > 100)
        return std::nullopt;
    return Penalty{Kind::percent, p};
}

std::string Penalty::to_string() const {
    switch (kind) {
        case Kind::first_night:
            return "first_night";
        case Kind::full_stay:
            return "full_stay";
        case Kind::percent:
            return "percent:" + std::to_string(percent);
    }
    return "full_stay";
}

std::optional<Instant> CancellationPolicy::free_until(Instant check_in_at) const {
    if (!refundable)
        return std::nullopt;
    return check_in_at - std::chrono::hours(free_cancellation_hours);
}

Money CancellationPolicy::fee_at(Instant now, Instant check_in_at,
                                 const std::vector<Money>& nightly, const Money& total) const {
    if (!refundable)
        return total;
    if (now <= *free_until(check_in_at))
        return Money{0, total.currency};
    return penalty_on(nightly, total);
}

Money CancellationPolicy::penalty_on(const std::vector<Money>& nightly, const Money& total) const {
    if (!refundable)
        return total;
    switch (penalty.kind) {
        case Penalty::Kind::first_night:
            return nightly.empty() ? total : nightly.front();
        case Penalty::Kind::full_stay:
            return total;
        case Penalty::Kind::percent:
            return total.percent(penalty.percent);
    }
    return total;
}

}  // namespace hotel::core
