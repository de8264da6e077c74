#include "core/pricing.hpp"

#include <algorithm>
#include <array>
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

PackedRate::PackedRate(const DailyRate& r) noexcept
    : price_(r.price_minor.value_or(kNoPrice)),
      min_(static_cast<std::uint8_t>(r.min_stay.value_or(0))),
      max_(static_cast<std::uint8_t>(r.max_stay.value_or(0))),
      flags_(static_cast<std::uint8_t>((r.stop_sell ? kStopSell : 0) |
                                       (r.closed_to_arrival ? kClosedToArrival : 0) |
                                       (r.closed_to_departure ? kClosedToDeparture : 0))) {}

DailyRate PackedRate::unpack(Date date) const {
    DailyRate r;
    r.date = date;
    if (priced())
        r.price_minor = price_;
    if (min_)
        r.min_stay = min_;
    if (max_)
        r.max_stay = max_;
    r.stop_sell = stop_sell();
    r.closed_to_arrival = closed_to_arrival();
    r.closed_to_departure = closed_to_departure();
    return r;
}

namespace {
// The rules of DOMAIN.md, in the order they are reported, over packed rows: their one
// implementation (DailyRate rows are packed first, below). rows.size() == nights + 1.
// (nights is read once: each call converts two calendar dates to day counts.)
std::optional<Violation> first_violation(const Stay& stay, PackedStayRows rows) {
    const int nights = stay.nights();
    for (int i = 0; i < nights; ++i) {
        const auto* r = rows[static_cast<std::size_t>(i)];
        if (!r || !r->priced())
            return Violation{Restriction::missing_price, stay.night(i)};
    }
    for (int i = 0; i < nights; ++i)
        if (rows[static_cast<std::size_t>(i)]->stop_sell())
            return Violation{Restriction::stop_sell, stay.night(i)};
    const auto& arrival = *rows[0];
    if (arrival.min_stay() && nights < arrival.min_stay())
        return Violation{Restriction::min_stay, stay.check_in()};
    if (arrival.max_stay() && nights > arrival.max_stay())
        return Violation{Restriction::max_stay, stay.check_in()};
    if (arrival.closed_to_arrival())
        return Violation{Restriction::closed_to_arrival, stay.check_in()};
    if (const auto* departure = rows[static_cast<std::size_t>(nights)];
        departure && departure->closed_to_departure())
        return Violation{Restriction::closed_to_departure, stay.check_out()};
    return std::nullopt;
}

// A stay's DailyRate rows packed for the rules (at most kMaxNights + 1 of them; a missing row
// stays missing). Not copyable: the pointers point into it.
class PackedStay {
  public:
    explicit PackedStay(StayRows in) : size_(std::min(in.size(), rows_.size())) {
        for (std::size_t i = 0; i < size_; ++i)
            if (in[i]) {
                rows_[i] = PackedRate(*in[i]);
                pointers_[i] = &rows_[i];
            }
    }
    PackedStay(const PackedStay&) = delete;
    PackedStay& operator=(const PackedStay&) = delete;
    PackedStayRows rows() const { return {pointers_.data(), size_}; }

  private:
    std::array<PackedRate, kMaxNights + 1> rows_{};
    std::array<const PackedRate*, kMaxNights + 1> pointers_{};
    std::size_t size_;
};
}  // namespace

Result<Quote, Violation> price_stay(const Stay& stay, StayRows rows, Currency currency,
                                    std::int64_t extra_per_night) {
    if (rows.size() != static_cast<std::size_t>(stay.nights()) + 1)
        return fail(Violation{Restriction::missing_price, stay.check_in()});
    if (auto v = first_violation(stay, PackedStay(rows).rows()))
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
    return stay_total(stay, PackedStay(rows).rows(), currency, extra_per_night);
}

Result<Money, Violation> stay_total(const Stay& stay, PackedStayRows rows, Currency currency,
                                    std::int64_t extra_per_night) {
    const int nights = stay.nights();
    if (rows.size() != static_cast<std::size_t>(nights) + 1)
        return fail(Violation{Restriction::missing_price, stay.check_in()});
    if (auto v = first_violation(stay, rows))
        return fail(*v);
    Money total{extra_per_night * nights, currency};
    for (int i = 0; i < nights; ++i)
        total.minor += rows[static_cast<std::size_t>(i)]->price_minor();
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
