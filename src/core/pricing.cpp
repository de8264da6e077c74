#include "core/pricing.hpp"

#include <map>

#include "core/names.hpp"

namespace hotel::core {

namespace {
constexpr std::pair<Restriction, const char*> kReasons[] = {
    {Restriction::missing_price, "not_for_sale"},
    {Restriction::stop_sell, "stop_sell"},
    {Restriction::min_stay, "min_stay"},
    {Restriction::max_stay, "max_stay"},
    {Restriction::closed_to_arrival, "closed_to_arrival"},
    {Restriction::closed_to_departure, "closed_to_departure"},
};
}  // namespace

const char* reason_of(Restriction r) {
    return name_in(kReasons, r, "not_for_sale");
}

std::string describe(const Violation& v) {
    const auto d = format_date(v.date);
    switch (v.restriction) {
        case Restriction::missing_price:
            return "no price for the night of " + d;
        case Restriction::stop_sell:
            return "sales are stopped for the night of " + d;
        case Restriction::min_stay:
            return "the stay is shorter than the minimum for arrival on " + d;
        case Restriction::max_stay:
            return "the stay is longer than the maximum for arrival on " + d;
        case Restriction::closed_to_arrival:
            return "arrival is closed on " + d;
        case Restriction::closed_to_departure:
            return "departure is closed on " + d;
    }
    return "restricted";
}

namespace {
// The rules of DOMAIN.md, in the order they are reported. rows.size() == nights + 1.
// (nights is read once: each call converts two calendar dates to day counts.)
std::optional<Violation> first_violation(const Stay& stay, StayRows rows) {
    const int nights = stay.nights();
    for (int i = 0; i < nights; ++i) {
        const auto* r = rows[static_cast<std::size_t>(i)];
        if (!r || !r->price_minor)
            return Violation{Restriction::missing_price, stay.night(i)};
    }
    for (int i = 0; i < nights; ++i)
        if (rows[static_cast<std::size_t>(i)]->stop_sell)
            return Violation{Restriction::stop_sell, stay.night(i)};
    const auto* arrival = rows[0];
    if (arrival->min_stay && nights < *arrival->min_stay)
        return Violation{Restriction::min_stay, stay.check_in()};
    if (arrival->max_stay && nights > *arrival->max_stay)
        return Violation{Restriction::max_stay, stay.check_in()};
    if (arrival->closed_to_arrival)
        return Violation{Restriction::closed_to_arrival, stay.check_in()};
    if (const auto* departure = rows[static_cast<std::size_t>(nights)];
        departure && departure->closed_to_departure)
        return Violation{Restriction::closed_to_departure, stay.check_out()};
    return std::nullopt;
}
}  // namespace

Result<Quote, Violation> price_stay(const Stay& stay, StayRows rows, Currency currency,
                                    std::int64_t extra_per_night) {
    if (rows.size() != static_cast<std::size_t>(stay.nights()) + 1)
        return fail(Violation{Restriction::missing_price, stay.check_in()});
    if (auto v = first_violation(stay, rows))
        return fail(*v);
    Quote quote{{}, Money{0, currency}};
    quote.nightly.reserve(static_cast<std::size_t>(stay.nights()));
    for (int i = 0; i < stay.nights(); ++i) {
        const Money night{*rows[static_cast<std::size_t>(i)]->price_minor + extra_per_night,
                          currency};
        quote.nightly.push_back(night);
        quote.total.minor += night.minor;
    }
    return quote;
}

Result<Money, Violation> stay_total(const Stay& stay, StayRows rows, Currency currency,
                                    std::int64_t extra_per_night) {
    const int nights = stay.nights();
    if (rows.size() != static_cast<std::size_t>(nights) + 1)
        return fail(Violation{Restriction::missing_price, stay.check_in()});
    if (auto v = first_violation(stay, rows))
        return fail(*v);
    Money total{extra_per_night * nights, currency};
    for (int i = 0; i < nights; ++i)
        total.minor += *rows[static_cast<std::size_t>(i)]->price_minor;
    return total;
}

Result<Quote, Violation> price_stay(const Stay& stay, const std::vector<DailyRate>& rates,
                                    Currency currency, std::int64_t extra_per_night) {
    // Later rows of the same day win, as the map this replaced did.
    std::vector<const DailyRate*> rows(static_cast<std::size_t>(stay.nights()) + 1, nullptr);
    for (const auto& r : rates) {
        const int offset = days_between(stay.check_in(), r.date);
        if (offset >= 0 && offset <= stay.nights())
            rows[static_cast<std::size_t>(offset)] = &r;
    }
    return price_stay(stay, StayRows{rows}, currency, extra_per_night);
}

DailyRate derived_rate(const DailyRate& parent, int adjustment_bp) {
    DailyRate r = parent;
    r.price_minor = derived_price(parent.price_minor, adjustment_bp);
    return r;
}

}  // namespace hotel::core
