#include "core/stay_change.hpp"

#include <algorithm>
#include <map>

#include "core/stay.hpp"

namespace hotel::core {

Result<DepartureChange, DepartureError> change_departure(const Booking& b, Date check_out,
                                                         const std::vector<DailyRate>& rates,
                                                         const CancellationPolicy& terms) {
    if (!(b.check_in < check_out))
        return fail(DepartureError::not_after_arrival);
    if (days_between(b.check_in, check_out) > kMaxNights)
        return fail(DepartureError::too_long);
    const Currency currency = b.total.currency;
    DepartureChange c;
    c.check_out = check_out;
    std::vector<Money> released;
    Money released_total{0, currency};
    for (const auto& n : b.nightly) {
        if (n.date < check_out) {
            c.nightly.push_back(n);
        } else {
            released.push_back(n.amount);
            released_total.minor += n.amount.minor;
        }
    }
    std::map<Date, const DailyRate*> by_date;
    for (const auto& r : rates)
        by_date[r.date] = &r;
    for (Date night = b.check_out; night < check_out; night = add_days(night, 1)) {
        const auto found = by_date.find(night);
        if (found == by_date.end() || !found->second->price_minor)
            return fail(DepartureError::missing_price);
        c.nightly.push_back({night, Money{*found->second->price_minor, currency}});
    }
    Money nights{0, currency};
    for (const auto& n : c.nightly)
        nights.minor += n.amount.minor;
    c.fee = Money{b.cancellation_fee ? b.cancellation_fee->minor : 0, currency};
    if (!released.empty())
        c.fee.minor += terms.penalty_on(released, released_total).minor;
    c.fee.minor = std::max(c.fee.minor, b.fee_floor.minor - nights.minor);
    c.total = Money{nights.minor + c.fee.minor, currency};
    return c;
}

}  // namespace hotel::core
