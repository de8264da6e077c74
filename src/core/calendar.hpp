#pragma once
// Business dates (hotel-local calendar days) as std::chrono::year_month_day, parsed and
// printed as YYYY-MM-DD only.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace hotel::core {

using Date = std::chrono::year_month_day;
using Instant = std::chrono::sys_seconds;

// Strict YYYY-MM-DD (a real calendar date, years 1900-9999); nullopt otherwise.
std::optional<Date> parse_date(std::string_view text) noexcept;
std::string format_date(const Date& date);
// RFC 3339 in UTC: 2027-03-14T19:00:00Z.
std::string format_instant(Instant instant);

inline Date add_days(const Date& d, int days) {
    return Date{std::chrono::sys_days{d} + std::chrono::days{days}};
}
inline int days_between(const Date& from, const Date& to) {
    return static_cast<int>((std::chrono::sys_days{to} - std::chrono::sys_days{from}).count());
}
// ISO weekday: Monday 1 ... Sunday 7.
inline unsigned iso_weekday(const Date& d) {
    return std::chrono::weekday{std::chrono::sys_days{d}}.iso_encoding();
}
// "mon".."sun" → 1..7.
std::optional<unsigned> parse_weekday(std::string_view name) noexcept;

// A wall-clock time of day, HH:MM (00:00-23:59).
struct TimeOfDay {
    int hour = 0;
    int minute = 0;
    bool operator==(const TimeOfDay&) const = default;
};
std::optional<TimeOfDay> parse_time_of_day(std::string_view text) noexcept;
std::string format_time_of_day(TimeOfDay t);

}  // namespace hotel::core
