#pragma once
// A rate plan's cancellation policy and the fee it implies at a given moment.
//   non-refundable: the whole stay, whenever the guest cancels;
//   refundable, H hours, penalty: free while now <= check_in_at - H hours (the boundary instant
//   itself is still free: "at least H hours before"), then the penalty: the first night, the
//   full stay, or P percent of the stay (rounded half-even).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.hpp"
#include "core/money.hpp"

namespace hotel::core {

struct Penalty {
    enum class Kind { first_night, full_stay, percent } kind = Kind::first_night;
    int percent = 0;  // for Kind::percent, 0..100

    static std::optional<Penalty> parse(std::string_view text) noexcept;  // "percent:25"
    std::string to_string() const;
};

struct CancellationPolicy {
    bool refundable = false;
    int free_cancellation_hours = 0;  // refundable only
    Penalty penalty;                  // refundable only

    static CancellationPolicy non_refundable() { return {}; }
    // The last free instant, or nullopt for a non-refundable plan.
    std::optional<Instant> free_until(Instant check_in_at) const;
    // The fee for cancelling at `now`; nightly holds the stay's nightly prices in order.
    Money fee_at(Instant now, Instant check_in_at, const std::vector<Money>& nightly,
                 const Money& total) const;
    // The fee once the free window has passed (non-refundable: the whole of it).
    Money penalty_on(const std::vector<Money>& nightly, const Money& total) const;
};

}  // namespace hotel::core
