#pragma once
// A stay: hotel-local business dates [check_in, check_out). Made only through Stay::make, so
// an existing Stay always holds: check_in < check_out, at most 30 nights, arrival not before
// the hotel's today and at most 730 days after it.

#include <string>

#include "core/calendar.hpp"
#include "core/result.hpp"

namespace hotel::core {

constexpr int kMaxNights = 30;
constexpr int kMaxDaysAhead = 730;

enum class StayError { not_after_check_in, too_long, arrival_in_past, arrival_too_far };
std::string describe(StayError error);
// The stable machine-readable reason of a problem (docs/DOMAIN.md): invalid_dates,
// stay_too_long, arrival_in_past, arrival_too_far.
const char* reason_of(StayError error);

class Stay {
  public:
    static Result<Stay, StayError> make(const Date& check_in, const Date& check_out,
                                        const Date& hotel_today);
    const Date& check_in() const noexcept { return check_in_; }
    const Date& check_out() const noexcept { return check_out_; }
    int nights() const noexcept { return days_between(check_in_, check_out_); }
    // The business date of night i (0-based).
    Date night(int i) const { return add_days(check_in_, i); }

  private:
    Stay(Date in, Date out) : check_in_(in), check_out_(out) {}
    Date check_in_;
    Date check_out_;
};

}  // namespace hotel::core
