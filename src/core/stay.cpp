#include "core/stay.hpp"

namespace hotel::core {

const char* reason_of(StayError e) {
    switch (e) {
        case StayError::not_after_check_in:
            return "invalid_dates";
        case StayError::too_long:
            return "stay_too_long";
        case StayError::arrival_in_past:
            return "arrival_in_past";
        case StayError::arrival_too_far:
            return "arrival_too_far";
    }
    return "invalid_dates";
}

std::string describe(StayError e) {
    switch (e) {
        case StayError::not_after_check_in:
            return "check_out must be after check_in";
        case StayError::too_long:
            return "a stay has at most 30 nights";
        case StayError::arrival_in_past:
            return "check_in is in the past for this hotel";
        case StayError::arrival_too_far:
            return "check_in is more than 730 days ahead";
    }
    return "invalid stay";
}

Result<Stay, StayError> Stay::make(const Date& in, const Date& out, const Date& today) {
    const int nights = days_between(in, out);
    if (nights <= 0)
        return fail(StayError::not_after_check_in);
    if (nights > kMaxNights)
        return fail(StayError::too_long);
    const int ahead = days_between(today, in);
    if (ahead < 0)
        return fail(StayError::arrival_in_past);
    if (ahead > kMaxDaysAhead)
        return fail(StayError::arrival_too_far);
    return Stay(in, out);
}

}  // namespace hotel::core
