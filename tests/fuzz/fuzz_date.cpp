// Date and time-of-day parsing: strict formats that print back to the same text, and day
// arithmetic that agrees with itself.

#include <cstdint>
#include <string_view>

#include "core/calendar.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace hotel::core;
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    if (auto d = parse_date(in)) {
        FUZZ_REQUIRE(d->ok());
        FUZZ_REQUIRE(format_date(*d) == in);
        const int y = static_cast<int>(d->year());
        FUZZ_REQUIRE(y >= 1900 && y <= 9999);
        const auto later = add_days(*d, 731);
        FUZZ_REQUIRE(days_between(*d, later) == 731);
        const auto w = iso_weekday(*d);
        FUZZ_REQUIRE(w >= 1 && w <= 7);
    }
    if (auto t = parse_time_of_day(in)) {
        FUZZ_REQUIRE(t->hour >= 0 && t->hour <= 23 && t->minute >= 0 && t->minute <= 59);
        FUZZ_REQUIRE(format_time_of_day(*t) == in);
    }
    if (auto w = parse_weekday(in))
        FUZZ_REQUIRE(*w >= 1 && *w <= 7 && in.size() == 3);
    return 0;
}
