#include "core/calendar.hpp"

#include <cstdio>

namespace hotel::core {
namespace {
bool digits(std::string_view s) {
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return !s.empty();
}
int to_int(std::string_view s) {
    int v = 0;
    for (char c : s)
        v = v * 10 + (c - '0');
    return v;
}
}  // namespace

std::optional<Date> parse_date(std::string_view s) noexcept {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-')
        return std::nullopt;
    if (!digits(s.substr(0, 4)) || !digits(s.substr(5, 2)) || !digits(s.substr(8, 2)))
        return std::nullopt;
    const int y = to_int(s.substr(0, 4));
    if (y < 1900)
        return std::nullopt;
    Date d{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(to_int(s.substr(5, 2)))},
           std::chrono::day{static_cast<unsigned>(to_int(s.substr(8, 2)))}};
    if (!d.ok())
        return std::nullopt;
    return d;
}

namespace {

// Two digits of v (0..99) at out.
void put2(char* out, unsigned v) noexcept {
    out[0] = static_cast<char>('0' + v / 10);
    out[1] = static_cast<char>('0' + v % 10);
}

// YYYY-MM-DD at out (10 characters) for years 0..9999; false for others.
bool put_date(char* out, int year, unsigned month, unsigned day) noexcept {
    if (year < 0 || year > 9999)
        return false;
    put2(out, static_cast<unsigned>(year) / 100);
    put2(out + 2, static_cast<unsigned>(year) % 100);
    out[4] = '-';
    put2(out + 5, month);
    out[7] = '-';
    put2(out + 8, day);
    return true;
}

}  // namespace

// Written digit by digit (these are in every answer: stdio's formatting showed in profiles).
std::string format_date(const Date& d) {
    char buf[16];
    if (put_date(buf, static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                 static_cast<unsigned>(d.day())))
        return std::string(buf, 10);
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                  static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
    return buf;
}

std::string format_instant(Instant t) {
    using namespace std::chrono;
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss<seconds> tod{t - day};
    char buf[32];
    if (put_date(buf, static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                 static_cast<unsigned>(ymd.day()))) {
        buf[10] = 'T';
        put2(buf + 11, static_cast<unsigned>(tod.hours().count()));
        buf[13] = ':';
        put2(buf + 14, static_cast<unsigned>(tod.minutes().count()));
        buf[16] = ':';
        put2(buf + 17, static_cast<unsigned>(tod.seconds().count()));
        buf[19] = 'Z';
        return std::string(buf, 20);
    }
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                  static_cast<int>(tod.seconds().count()));
    return buf;
}

std::optional<unsigned> parse_weekday(std::string_view name) noexcept {
    static constexpr std::string_view names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    for (unsigned i = 0; i < 7; ++i)
        if (names[i] == name)
            return i + 1;
    return std::nullopt;
}

std::optional<TimeOfDay> parse_time_of_day(std::string_view s) noexcept {
    if (s.size() != 5 || s[2] != ':' || !digits(s.substr(0, 2)) || !digits(s.substr(3, 2)))
        return std::nullopt;
    TimeOfDay t{to_int(s.substr(0, 2)), to_int(s.substr(3, 2))};
    if (t.hour > 23 || t.minute > 59)
        return std::nullopt;
    return t;
}

std::string format_time_of_day(TimeOfDay t) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", t.hour, t.minute);
    return buf;
}

}  // namespace hotel::core
