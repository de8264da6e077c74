#include <gtest/gtest.h>

#include <cstdio>

#include "core/hotel_time.hpp"

using namespace hotel::core;

namespace {
Date d(const char* s) {
    return *parse_date(s);
}
std::string at(const char* zone, const char* date, int h, int m) {
    return format_instant(HotelClock::for_zone(zone)->instant_of(d(date), {h, m}));
}
}  // namespace

TEST(HotelTime, NewYorkAroundItsDstChanges) {
    // EDT starts 2027-03-14: 15:00 that day is already EDT (UTC-4).
    EXPECT_EQ(at("America/New_York", "2027-03-14", 15, 0), "2027-03-14T19:00:00Z");
    // EDT ends 2027-11-07: 11:00 that day is EST (UTC-5).
    EXPECT_EQ(at("America/New_York", "2027-11-07", 11, 0), "2027-11-07T16:00:00Z");
}

TEST(HotelTime, TimeInTheSpringGapMovesForwardByTheGap) {
    // 02:30 does not exist on 2027-03-14 in New York: it becomes 03:30 EDT, 07:30Z.
    EXPECT_EQ(at("America/New_York", "2027-03-14", 2, 30), "2027-03-14T07:30:00Z");
    EXPECT_EQ(at("America/New_York", "2027-03-14", 2, 0), "2027-03-14T07:00:00Z");
    EXPECT_EQ(at("America/New_York", "2027-03-14", 3, 0), "2027-03-14T07:00:00Z");
}

TEST(HotelTime, TimeInTheAutumnOverlapTakesTheEarlierInstant) {
    // 01:30 happens twice on 2027-11-07: first in EDT (05:30Z), then in EST (06:30Z).
    EXPECT_EQ(at("America/New_York", "2027-11-07", 1, 30), "2027-11-07T05:30:00Z");
}

TEST(HotelTime, AucklandStayAcrossItsDstChange) {
    // NZDT (UTC+13) ends 2027-04-04 03:00 local → NZST (UTC+12).
    auto clock = *HotelClock::for_zone("Pacific/Auckland");
    const auto in = clock.instant_of(d("2027-04-02"), {15, 0});
    const auto out = clock.instant_of(d("2027-04-05"), {11, 0});
    EXPECT_EQ(format_instant(in), "2027-04-02T02:00:00Z");   // 15:00 NZDT
    EXPECT_EQ(format_instant(out), "2027-04-04T23:00:00Z");  // 11:00 NZST
    // 15:00 to 11:00 three days later is 68 hours; the night of the change adds one.
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::hours>(out - in).count(), 69);
    // Spring forward 2027-09-26 02:00 → 03:00: 02:30 becomes 03:30 NZDT = 14:30Z the day before.
    EXPECT_EQ(format_instant(clock.instant_of(d("2027-09-26"), {2, 30})), "2027-09-25T14:30:00Z");
}

TEST(HotelTime, TodayIsTheHotelsDateNotTheServers) {
    // 2027-01-01T09:30Z is still 31 December in Honolulu (23:30) and 1 January in Auckland.
    const Instant t =
        std::chrono::sys_days{d("2027-01-01")} + std::chrono::hours(9) + std::chrono::minutes(30);
    EXPECT_EQ(format_date(HotelClock::for_zone("Pacific/Honolulu")->date_at(t)), "2026-12-31");
    EXPECT_EQ(format_date(HotelClock::for_zone("Pacific/Auckland")->date_at(t)), "2027-01-01");
    EXPECT_EQ(format_date(HotelClock::for_zone("Europe/Lisbon")->date_at(t)), "2027-01-01");
}

TEST(HotelTime, UnknownZonesAreRefused) {
    EXPECT_FALSE(is_known_time_zone("Mars/Olympus"));
    EXPECT_FALSE(is_known_time_zone(""));
    EXPECT_FALSE(is_known_time_zone("../../etc/passwd"));
    EXPECT_TRUE(is_known_time_zone("Europe/Lisbon"));
    EXPECT_TRUE(is_known_time_zone("UTC"));
}

TEST(Calendar, DatesAndTimesParseStrictly) {
    EXPECT_TRUE(parse_date("2028-02-29"));
    EXPECT_FALSE(parse_date("2027-02-29"));
    EXPECT_FALSE(parse_date("2027-1-01"));
    EXPECT_FALSE(parse_date("2027-01-01T00:00"));
    EXPECT_FALSE(parse_date("abcd-ef-gh"));
    EXPECT_EQ(parse_time_of_day("15:00"), (TimeOfDay{15, 0}));
    EXPECT_FALSE(parse_time_of_day("24:00"));
    EXPECT_FALSE(parse_time_of_day("9:00"));
    EXPECT_FALSE(parse_time_of_day("09:60"));
    EXPECT_EQ(parse_weekday("fri"), 5u);
    EXPECT_FALSE(parse_weekday("friday"));
    EXPECT_EQ(iso_weekday(d("2027-03-14")), 7u);  // a Sunday
}

namespace hotel::core {
namespace {

// Dates and instants are written as ISO 8601 digit by digit: every day from 1900 to 2200 and
// times of day around it read as stdio would write them, and parse back.
TEST(Formats, DatesAndInstantsAreWrittenAsIso8601) {
    using namespace std::chrono;
    const sys_days first = sys_days{year{1900} / January / 1};
    const sys_days last = sys_days{year{2200} / December / 31};
    for (sys_days day = first; day <= last; day += days{1}) {
        const year_month_day ymd{day};
        char want[16];
        std::snprintf(want, sizeof want, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
        const auto text = format_date(ymd);
        ASSERT_EQ(text, want);
        ASSERT_EQ(parse_date(text), std::optional<Date>(ymd));
    }
    const Instant t = sys_days{year{2027} / March / 28} + hours{23} + minutes{5} + seconds{9};
    EXPECT_EQ(format_instant(t), "2027-03-28T23:05:09Z");
    EXPECT_EQ(format_instant(sys_days{year{1999} / December / 31}), "1999-12-31T00:00:00Z");
    EXPECT_EQ(format_date(year{10000} / January / 2), "10000-01-02") << "beyond four digits";
}

}  // namespace
}  // namespace hotel::core
