#pragma once
// A stay in the house changes its departure (issue 13; docs/DOMAIN.md "In-house changes"): the
// front desk extends it, shortens it, or checks the guest out before the booked departure.
//   - The arrival, the room and the nights already booked keep their booked prices.
//   - Nights added after the old departure are priced from the plan's daily rates; a night
//     without a price cannot be added. The rules meant for arrivals (min and max stay, closed
//     to arrival or departure, stop-sell) do not apply to a guest already in the house.
//   - Nights released (a departure earlier than booked) cost the plan's cancellation penalty
//     over them, as if cancelled now: a guest in the house is past any free-cancellation window.
//     Non-refundable: all of them; first_night: the first released night; full_stay: all;
//     percent:P: P% of their sum (half-even). A fee once due stays due: a later extension does
//     not undo it, and the stay never costs less than what earlier changes made due.
//   - A stay keeps its first night and has at most kMaxNights.

#include <vector>

#include "core/booking.hpp"
#include "core/pricing.hpp"
#include "core/result.hpp"

namespace hotel::core {

struct DepartureChange {
    Date check_out;
    std::vector<NightPrice> nightly;  // the nights of the changed stay
    Money fee;                        // every early-departure fee due so far
    Money total;                      // the nights and the fee
};

enum class DepartureError {
    not_after_arrival,  // the stay would lose its first night
    too_long,           // more than kMaxNights
    missing_price       // an added night has no price
};

// `rates`: the plan's daily rates covering the added nights (others are ignored); `terms`: the
// booking's cancellation terms.
Result<DepartureChange, DepartureError> change_departure(const Booking& booking, Date check_out,
                                                         const std::vector<DailyRate>& rates,
                                                         const CancellationPolicy& terms);

}  // namespace hotel::core
