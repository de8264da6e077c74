#include "core/stay.hpp"

#include "core/names.hpp"

namespace hotel::core {

namespace {
constexpr std::pair<StayError, const char*> kReasons[] = {
    {StayError::not_after_check_in, "invalid_dates"},
    {StayError::too_long, "stay_too_long"},
    {StayError::arrival_in_past, "arrival_in_past"},
    {StayError::arrival_too_far, "arrival_too_far"},
};
constexpr std::pair<StayError, const char*> kDescriptions[] = {
    {StayError::not_after_check_in, "check_out must be after check_in"},
    {StayError::too_long, "a stay has at most 30 nights"},
    {StayError::arrival_in_past, "check_in is in the past for this hotel"},
    {StayError::arrival_too_far, "check_in is more than 730 days ahead"},
};
}  // namespace

const char* reason_of(StayError e) {
    return name_in(kReasons, e, "invalid_dates");
}

std::string describe(StayError e) {
    return name_in(kDescriptions, e, "invalid stay");
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
