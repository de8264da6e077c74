#pragma once
// Pricing a stay from daily rates, with the restrictions of DOMAIN.md:
//   every night needs a price; stop_sell on any night closes the stay; min_stay and max_stay
//   are read from the arrival date's row; closed_to_arrival on the arrival date;
//   closed_to_departure on the departure date's row (when there is one).
// A night's price is its daily rate plus what the plan's occupancy terms charge for the
// guests beyond those the rate is for (`extra_per_night`, Occupancy::extra_per_night); the
// total is the sum of the nights.

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/calendar.hpp"
#include "core/money.hpp"
#include "core/plan_terms.hpp"
#include "core/result.hpp"
#include "core/stay.hpp"

namespace hotel::core {

struct DailyRate {
    Date date;
    std::optional<std::int64_t> price_minor;  // nullopt: no price, the night cannot be sold
    std::optional<int> min_stay;
    std::optional<int> max_stay;
    bool closed_to_arrival = false;
    bool closed_to_departure = false;
    bool stop_sell = false;
};

// One day's rate packed into 16 bytes (three DailyRate rows would take as many cache lines as
// eight of these): what the search index holds for every (room type, plan, day), where the date
// is the row's position. The same facts as DailyRate, read by the same rules below. min_stay
// and max_stay are 1 to 30 (kMaxNights) where set; 0 stands for none.
class PackedRate {
  public:
    PackedRate() = default;
    explicit PackedRate(const DailyRate& r) noexcept;
    DailyRate unpack(Date date) const;
    // A default row: no price and no restriction, as if the database held no row.
    bool empty() const noexcept { return price_ == kNoPrice && min_ == 0 && max_ == 0 && !flags_; }

    bool priced() const noexcept { return price_ != kNoPrice; }
    std::int64_t price_minor() const noexcept { return price_; }
    int min_stay() const noexcept { return min_; }  // 0: none
    int max_stay() const noexcept { return max_; }  // 0: none
    bool stop_sell() const noexcept { return flags_ & kStopSell; }
    bool closed_to_arrival() const noexcept { return flags_ & kClosedToArrival; }
    bool closed_to_departure() const noexcept { return flags_ & kClosedToDeparture; }

  private:
    static constexpr std::int64_t kNoPrice = std::numeric_limits<std::int64_t>::min();
    static constexpr std::uint8_t kStopSell = 1, kClosedToArrival = 2, kClosedToDeparture = 4;
    std::int64_t price_ = kNoPrice;
    std::uint8_t min_ = 0;
    std::uint8_t max_ = 0;
    std::uint8_t flags_ = 0;
};
static_assert(sizeof(PackedRate) == 16);

struct Quote {
    std::vector<Money> nightly;  // one per night, in order
    Money total;
};

enum class Restriction {
    missing_price,
    stop_sell,
    min_stay,
    max_stay,
    closed_to_arrival,
    closed_to_departure,
};

struct Violation {
    Restriction restriction;
    Date date;
};
std::string describe(const Violation& v);
// The stable reason of a violation: not_for_sale (a night without a price), stop_sell,
// min_stay, max_stay, closed_to_arrival, closed_to_departure.
const char* reason_of(Restriction r);

// `rates` may hold any days (missing ones count as unpriced); only the stay's nights and its
// departure date are read. The first violation found is reported, in the order above.
Result<Quote, Violation> price_stay(const Stay& stay, const std::vector<DailyRate>& rates,
                                    Currency currency, std::int64_t extra_per_night);

// The same rules over rows already laid out by day: rows[i] is the rate of the stay's night i
// (i < nights) and rows[nights] the departure day's, nullptr where there is no row. The search
// index reads its dense per-day arrays this way, without building a vector per quote.
using StayRows = std::span<const DailyRate* const>;
Result<Quote, Violation> price_stay(const Stay& stay, StayRows rows, Currency currency,
                                    std::int64_t extra_per_night);
// Only the total (no nightly breakdown, no allocation): what a search ranks hotels by.
Result<Money, Violation> stay_total(const Stay& stay, StayRows rows, Currency currency,
                                    std::int64_t extra_per_night);

// The same, over packed rows (the search index's).
using PackedStayRows = std::span<const PackedRate* const>;
Result<Money, Violation> stay_total(const Stay& stay, PackedStayRows rows, Currency currency,
                                    std::int64_t extra_per_night);

// A derived plan's day (DerivedFrom): the parent's row with its price adjusted; the
// restrictions are the parent's.
DailyRate derived_rate(const DailyRate& parent, int adjustment_bp);

}  // namespace hotel::core
