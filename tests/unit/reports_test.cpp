// The reports' rules (core/reports.hpp): access, the range, rounding, the figures of a night and
// of a range's totals, pickup, and how ?as_of is read.

#include <gtest/gtest.h>

#include "core/reports.hpp"

using namespace hotel::core;

namespace {

Date day(int d) {
    return Date{std::chrono::year{2027}, std::chrono::month{3},
                std::chrono::day{static_cast<unsigned>(d)}};
}

}  // namespace

TEST(Reports, OnlyTheHotelsManagersAndAdminsReadThem) {
    const std::string h = "11111111-1111-1111-1111-111111111111";
    const std::string other = "22222222-2222-2222-2222-222222222222";
    using K = ReportError::Kind;
    EXPECT_EQ(report_access(Caller{"a", Role::admin, {}}, h), std::nullopt);
    EXPECT_EQ(report_access(Caller{"m", Role::manager, {h}}, h), std::nullopt);
    EXPECT_EQ(report_access(Caller{"m", Role::manager, {other, h}}, h), std::nullopt);
    EXPECT_EQ(report_access(Caller{"g", Role::guest, {}}, h), K::forbidden);
    EXPECT_EQ(report_access(Caller{"s", Role::staff, {h}}, h), K::forbidden) << "the manager's";
    EXPECT_EQ(report_access(Caller{"s", Role::staff, {other}}, h), K::not_found);
    EXPECT_EQ(report_access(Caller{"m", Role::manager, {other}}, h), K::not_found);
    EXPECT_EQ(report_access(Caller{"m", Role::manager, {}}, h), K::not_found);
}

TEST(Reports, ARangeIsOneTo366Nights) {
    EXPECT_FALSE(check_report_range(day(1), day(2)));
    const Date from = day(1);
    EXPECT_FALSE(check_report_range(from, add_days(from, 366)));
    auto too_long = check_report_range(from, add_days(from, 367));
    ASSERT_TRUE(too_long);
    EXPECT_EQ(too_long->kind, ReportError::Kind::invalid);
    EXPECT_EQ(too_long->field, "to");
    ASSERT_TRUE(check_report_range(day(2), day(2)));
    ASSERT_TRUE(check_report_range(day(3), day(2)));
    EXPECT_EQ(check_report_range(day(3), day(2))->field, "to");
}

TEST(Reports, DivisionRoundsHalfToEven) {
    EXPECT_EQ(divide_half_even(10, 4), 2);  // 2.5 -> 2
    EXPECT_EQ(divide_half_even(14, 4), 4);  // 3.5 -> 4
    EXPECT_EQ(divide_half_even(11, 4), 3);  // 2.75 -> 3
    EXPECT_EQ(divide_half_even(9, 4), 2);   // 2.25 -> 2
    EXPECT_EQ(divide_half_even(0, 7), 0);
    EXPECT_EQ(divide_half_even(21, 7), 3);
    EXPECT_EQ(percent_text(1, 3), "33.33");
    EXPECT_EQ(percent_text(2, 3), "66.67");
    EXPECT_EQ(percent_text(3, 3), "100.00");
    EXPECT_EQ(percent_text(0, 5), "0.00");
    EXPECT_EQ(percent_text(1, 8), "12.50");
    EXPECT_EQ(percent_text(1, 16), "6.25");
    EXPECT_EQ(percent_text(1, 32), "3.12") << "3.125 -> 3.12 (even)";
    EXPECT_EQ(percent_text(3, 32), "9.38") << "9.375 -> 9.38 (even)";
}

TEST(Reports, ANightsFiguresAreRoundedToTheCurrencysMinorUnit) {
    const auto eur = *Currency::of("EUR");
    const auto jpy = *Currency::of("JPY");
    // Three rooms available, two sold for 80.00 + 80.01: ADR 80.005 -> 80.00 (half-even),
    // RevPAR 53.3366... -> 53.34.
    auto f = occupancy_figures(3, 2, 16001, eur);
    EXPECT_EQ(f.rooms_available, 3);
    EXPECT_EQ(f.rooms_sold, 2);
    EXPECT_EQ(f.occupancy_percent, "66.67");
    EXPECT_EQ(f.room_revenue.amount(), "160.01");
    ASSERT_TRUE(f.adr && f.revpar);
    EXPECT_EQ(f.adr->amount(), "80.00");
    EXPECT_EQ(f.revpar->amount(), "53.34");
    EXPECT_EQ(std::string(f.adr->currency.code()), "EUR");
    // 80.03 / 2 = 80.015 -> 80.02 (half-even: 8001.5 -> 8002).
    EXPECT_EQ(occupancy_figures(2, 2, 16003, eur).adr->amount(), "80.02");
    // Yen have no minor unit: 1001 / 2 = 500.5 -> 500.
    EXPECT_EQ(occupancy_figures(2, 2, 1001, jpy).adr->amount(), "500");
    // Nothing sold: no ADR, occupancy and RevPAR zero.
    f = occupancy_figures(4, 0, 0, eur);
    EXPECT_FALSE(f.adr);
    EXPECT_EQ(f.occupancy_percent, "0.00");
    EXPECT_EQ(f.revpar->amount(), "0.00");
    // Nothing available (every room out of service): no occupancy, no RevPAR.
    f = occupancy_figures(0, 0, 0, eur);
    EXPECT_FALSE(f.occupancy_percent);
    EXPECT_FALSE(f.revpar);
    EXPECT_FALSE(f.adr);
    EXPECT_EQ(occupancy_figures(-1, 0, 0, eur).rooms_available, 0);
}

TEST(Reports, TotalsComeFromTheSumsNotFromTheRoundedNights) {
    const auto eur = *Currency::of("EUR");
    std::vector<NightCount> nights = {
        {day(1), 3, 0, 2, 16001},  // ADR 80.005 -> 80.00
        {day(2), 3, 1, 2, 16001},  // ADR 80.00, 2 available
        {day(3), 3, 3, 0, 0},      // every room out of service
    };
    const auto r = occupancy_report(day(1), day(4), eur, nights);
    ASSERT_EQ(r.days.size(), 3u);
    EXPECT_EQ(r.days[0].date, day(1));
    EXPECT_EQ(r.days[1].figures.rooms_available, 2);
    EXPECT_EQ(r.days[1].figures.occupancy_percent, "100.00");
    EXPECT_FALSE(r.days[2].figures.occupancy_percent);
    EXPECT_EQ(r.totals.rooms_available, 5);
    EXPECT_EQ(r.totals.rooms_sold, 4);
    EXPECT_EQ(r.totals.room_revenue.amount(), "320.02");
    EXPECT_EQ(r.totals.occupancy_percent, "80.00");
    EXPECT_EQ(r.totals.adr->amount(), "80.00") << "32002 / 4 = 8000.5 -> 8000";
    EXPECT_EQ(r.totals.revpar->amount(), "64.00") << "32002 / 5 = 6400.4";
}

TEST(Reports, PickupIsNowMinusAsOf) {
    const auto eur = *Currency::of("EUR");
    const Instant at = std::chrono::sys_days{day(1)} + std::chrono::hours{12};
    std::vector<BooksCount> dates = {{day(5), 2, 16000, 3, 24000}, {day(6), 1, 8000, 0, 0}};
    const auto r = pickup_report(day(5), day(7), at, eur, dates);
    ASSERT_EQ(r.days.size(), 2u);
    EXPECT_EQ(r.days[0].pickup.room_nights, 1);
    EXPECT_EQ(r.days[0].pickup.room_revenue.amount(), "80.00");
    EXPECT_EQ(r.days[1].pickup.room_nights, -1) << "cancelled since";
    EXPECT_EQ(r.days[1].pickup.room_revenue.amount(), "-80.00");
    EXPECT_EQ(r.totals.as_of.room_nights, 3);
    EXPECT_EQ(r.totals.now.room_nights, 3);
    EXPECT_EQ(r.totals.pickup.room_nights, 0);
    EXPECT_EQ(r.totals.as_of.room_revenue.amount(), "240.00");
    EXPECT_EQ(r.totals.pickup.room_revenue.amount(), "0.00");
    EXPECT_EQ(r.as_of, at);
}

TEST(Reports, AsOfIsADateOrAnRfc3339Instant) {
    using std::chrono::hours;
    using std::chrono::minutes;
    using std::chrono::seconds;
    using std::chrono::sys_days;
    EXPECT_EQ(parse_as_of("2027-03-14"), AsOf{day(14)});
    const Instant noon = sys_days{day(14)} + hours{12};
    EXPECT_EQ(parse_as_of("2027-03-14T12:00:00Z"), AsOf{noon});
    EXPECT_EQ(parse_as_of("2027-03-14T12:00:00.999Z"), AsOf{noon}) << "the fraction is dropped";
    EXPECT_EQ(parse_as_of("2027-03-14T13:30:00+01:30"), AsOf{noon});
    EXPECT_EQ(parse_as_of("2027-03-14T10:00:05-02:00"), AsOf{noon + seconds{5}});
    EXPECT_EQ(parse_as_of("2027-03-14T23:59:59Z"),
              AsOf{sys_days{day(14)} + hours{23} + minutes{59} + seconds{59}});
    for (const char* bad :
         {"", "2027-3-14", "2027-02-30", "14-03-2027", "2027-03-14T12:00:00",
          "2027-03-14T24:00:00Z", "2027-03-14T12:60:00Z", "2027-03-14T12:00Z",
          "2027-03-14 12:00:00Z", "2027-03-14T12:00:00.Z", "2027-03-14T12:00:00+0100",
          "2027-03-14T12:00:00+24:00", "2027-03-14T12:00:00Zjunk", "yesterday", "1700000000"})
        EXPECT_FALSE(parse_as_of(bad)) << bad;
}
