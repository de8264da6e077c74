#include <gtest/gtest.h>

#include "core/cancellation.hpp"
#include "core/pricing.hpp"
#include "core/stay.hpp"
#include "core/stay_change.hpp"

using namespace hotel::core;
using namespace std::chrono_literals;

namespace {
Date d(const char* s) {
    return *parse_date(s);
}
const Currency eur = *Currency::of("EUR");

Stay stay(const char* in, const char* out) {
    return Stay::make(d(in), d(out), d("2027-01-01")).value();
}

// Prices 100.00 a night from 2027-03-01 for 20 days, no restrictions.
std::vector<DailyRate> plain_rates() {
    std::vector<DailyRate> r;
    for (int i = 0; i < 20; ++i) {
        DailyRate rate;
        rate.date = add_days(d("2027-03-01"), i);
        rate.price_minor = 10000 + i * 100;
        r.push_back(rate);
    }
    return r;
}
DailyRate& day(std::vector<DailyRate>& rates, const char* date) {
    for (auto& r : rates)
        if (r.date == d(date))
            return r;
    throw std::logic_error("no such day");
}
}  // namespace

TEST(Stay, InvariantsHold) {
    const auto today = d("2027-01-01");
    EXPECT_TRUE(Stay::make(d("2027-01-01"), d("2027-01-02"), today));
    EXPECT_EQ(Stay::make(d("2027-01-02"), d("2027-01-02"), today).error(),
              StayError::not_after_check_in);
    EXPECT_EQ(Stay::make(d("2027-01-03"), d("2027-01-02"), today).error(),
              StayError::not_after_check_in);
    EXPECT_TRUE(Stay::make(d("2027-01-01"), d("2027-01-31"), today));  // 30 nights
    EXPECT_EQ(Stay::make(d("2027-01-01"), d("2027-02-01"), today).error(), StayError::too_long);
    EXPECT_EQ(Stay::make(d("2026-12-31"), d("2027-01-02"), today).error(),
              StayError::arrival_in_past);
    EXPECT_TRUE(Stay::make(add_days(today, 730), add_days(today, 731), today));
    EXPECT_EQ(Stay::make(add_days(today, 731), add_days(today, 732), today).error(),
              StayError::arrival_too_far);
}

TEST(Pricing, TotalIsTheSumOfTheNights) {
    auto q = price_stay(stay("2027-03-02", "2027-03-05"), plain_rates(), eur, 0);
    ASSERT_TRUE(q);
    ASSERT_EQ(q->nightly.size(), 3u);
    EXPECT_EQ(q->nightly[0].minor, 10100);
    EXPECT_EQ(q->nightly[2].minor, 10300);
    EXPECT_EQ(q->total.minor, 10100 + 10200 + 10300);
}

TEST(Pricing, EachRestrictionAlone) {
    const auto s = stay("2027-03-02", "2027-03-05");  // nights 2, 3, 4; departure 5
    {
        auto r = plain_rates();
        day(r, "2027-03-03").price_minor.reset();
        EXPECT_EQ(price_stay(s, r, eur, 0).error().restriction, Restriction::missing_price);
        EXPECT_EQ(price_stay(s, r, eur, 0).error().date, d("2027-03-03"));
    }
    {
        auto r = plain_rates();
        r.erase(r.begin() + 3);  // no row at all for 2027-03-04
        EXPECT_EQ(price_stay(s, r, eur, 0).error().restriction, Restriction::missing_price);
    }
    {
        auto r = plain_rates();
        day(r, "2027-03-04").stop_sell = true;
        EXPECT_EQ(price_stay(s, r, eur, 0).error().restriction, Restriction::stop_sell);
    }
    {
        auto r = plain_rates();
        day(r, "2027-03-05").stop_sell = true;  // the departure day is not a night
        EXPECT_TRUE(price_stay(s, r, eur, 0));
    }
    {
        auto r = plain_rates();
        day(r, "2027-03-02").min_stay = 4;
        EXPECT_EQ(price_stay(s, r, eur, 0).error().restriction, Restriction::min_stay);
        day(r, "2027-03-02").min_stay = 3;
        EXPECT_TRUE(price_stay(s, r, eur, 0));
        day(r, "2027-03-03").min_stay = 10;  // read from the arrival row only
        EXPECT_TRUE(price_stay(s, r, eur, 0));
    }
    {
        auto r = plain_rates();
        day(r, "2027-03-02").max_stay = 2;
        EXPECT_EQ(price_stay(s, r, eur, 0).error().restriction, Restriction::max_stay);
        day(r, "2027-03-02").max_stay = 3;
        EXPECT_TRUE(price_stay(s, r, eur, 0));
    }
    {
        auto r = plain_rates();
        day(r, "2027-03-02").closed_to_arrival = true;
        EXPECT_EQ(price_stay(s, r, eur, 0).error().restriction, Restriction::closed_to_arrival);
        auto r2 = plain_rates();
        day(r2, "2027-03-03").closed_to_arrival = true;  // mid-stay: irrelevant
        EXPECT_TRUE(price_stay(s, r2, eur, 0));
    }
    {
        auto r = plain_rates();
        day(r, "2027-03-05").closed_to_departure = true;
        EXPECT_EQ(price_stay(s, r, eur, 0).error().restriction, Restriction::closed_to_departure);
        auto r2 = plain_rates();
        day(r2, "2027-03-04").closed_to_departure = true;  // mid-stay: irrelevant
        EXPECT_TRUE(price_stay(s, r2, eur, 0));
    }
}

TEST(Pricing, RestrictionsCombined) {
    const auto s = stay("2027-03-02", "2027-03-05");
    auto r = plain_rates();
    day(r, "2027-03-02").closed_to_arrival = true;
    day(r, "2027-03-02").min_stay = 5;
    day(r, "2027-03-05").closed_to_departure = true;
    day(r, "2027-03-03").stop_sell = true;
    // Reported in a fixed order: price, stop-sell, min, max, arrival, departure.
    EXPECT_EQ(price_stay(s, r, eur, 0).error().restriction, Restriction::stop_sell);
    day(r, "2027-03-03").stop_sell = false;
    EXPECT_EQ(price_stay(s, r, eur, 0).error().restriction, Restriction::min_stay);
    day(r, "2027-03-02").min_stay.reset();
    EXPECT_EQ(price_stay(s, r, eur, 0).error().restriction, Restriction::closed_to_arrival);
    day(r, "2027-03-02").closed_to_arrival = false;
    EXPECT_EQ(price_stay(s, r, eur, 0).error().restriction, Restriction::closed_to_departure);
    day(r, "2027-03-05").closed_to_departure = false;
    EXPECT_TRUE(price_stay(s, r, eur, 0));
}

TEST(Cancellation, FeeTableAtTheBoundaryInstant) {
    const Instant check_in_at = std::chrono::sys_days{d("2027-03-10")} + 15h;
    const std::vector<Money> nightly{{10000, eur}, {12000, eur}, {12000, eur}};
    const Money total{34000, eur};
    const auto boundary = check_in_at - 48h;

    const auto penalty = [](const char* text) { return *Penalty::parse(text); };
    struct Row {
        const char* penalty;
        std::int64_t before, at, after;
    };
    const Row table[] = {
        {"first_night", 0, 0, 10000}, {"full_stay", 0, 0, 34000},   {"percent:25", 0, 0, 8500},
        {"percent:0", 0, 0, 0},       {"percent:100", 0, 0, 34000},
    };
    for (const auto& row : table) {
        CancellationPolicy p{true, 48, penalty(row.penalty)};
        EXPECT_EQ(p.free_until(check_in_at), boundary);
        EXPECT_EQ(p.fee_at(boundary - 1s, check_in_at, nightly, total).minor, row.before)
            << row.penalty;
        EXPECT_EQ(p.fee_at(boundary, check_in_at, nightly, total).minor, row.at) << row.penalty;
        EXPECT_EQ(p.fee_at(boundary + 1s, check_in_at, nightly, total).minor, row.after)
            << row.penalty;
    }
    // Non-refundable: the whole stay, even a year ahead; no free period.
    const auto nrf = CancellationPolicy::non_refundable();
    EXPECT_FALSE(nrf.free_until(check_in_at));
    EXPECT_EQ(nrf.fee_at(check_in_at - 8760h, check_in_at, nightly, total).minor, 34000);
    // Percent fees round half-even: 15% of 1.50 = 22.5 cents → 22.
    CancellationPolicy p15{true, 0, penalty("percent:15")};
    EXPECT_EQ(p15.fee_at(check_in_at + 1s, check_in_at, {{150, eur}}, Money{150, eur}).minor, 22);
}

TEST(Cancellation, PenaltiesParseStrictly) {
    EXPECT_TRUE(Penalty::parse("percent:100"));
    for (const char* bad : {"percent:101", "percent:-1", "percent:", "percent:05", "percent:1.5",
                            "half", "FIRST_NIGHT", ""})
        EXPECT_FALSE(Penalty::parse(bad)) << bad;
    EXPECT_EQ(Penalty::parse("percent:30")->to_string(), "percent:30");
}

// In-house changes (core/stay_change.hpp): kept nights keep their price, added ones take the
// rates', released ones cost the penalty over them, and a fee once due stays due.
namespace {
Booking in_house(const char* penalty) {
    Booking b;
    b.check_in = d("2027-03-01");
    b.check_out = d("2027-03-04");
    b.total = Money{33000, eur};
    b.fee_floor = Money{0, eur};
    b.penalty = penalty;
    for (int i = 0; i < 3; ++i)
        b.nightly.push_back({add_days(b.check_in, i), Money{10000 + i * 1000, eur}});
    return b;
}
CancellationPolicy flexible(Penalty p) {
    CancellationPolicy c;
    c.refundable = true;
    c.free_cancellation_hours = 48;
    c.penalty = p;
    return c;
}
}  // namespace

TEST(StayChange, ShorteningChargesThePenaltyOverTheReleasedNights) {
    const auto b = in_house("first_night");
    auto c = change_departure(b, d("2027-03-02"), {}, flexible({Penalty::Kind::first_night, 0}));
    ASSERT_TRUE(c);
    ASSERT_EQ(c->nightly.size(), 1u);
    EXPECT_EQ(c->fee.minor, 11000) << "the first released night";
    EXPECT_EQ(c->total.minor, 21000);
    c = change_departure(b, d("2027-03-02"), {}, CancellationPolicy::non_refundable());
    EXPECT_EQ(c->fee.minor, 23000) << "non-refundable: every released night";
    c = change_departure(b, d("2027-03-02"), {}, flexible({Penalty::Kind::percent, 25}));
    EXPECT_EQ(c->fee.minor, 5750);
    c = change_departure(b, d("2027-03-04"), {}, flexible({Penalty::Kind::full_stay, 0}));
    EXPECT_EQ(c->fee.minor, 0) << "nothing released";
    EXPECT_EQ(c->total.minor, 33000);
}

TEST(StayChange, AnExtensionPricesTheAddedNightsAndKeepsAFeeAlreadyDue) {
    auto b = in_house("first_night");
    b.cancellation_fee = Money{4000, eur};
    auto c = change_departure(b, d("2027-03-06"), plain_rates(), flexible({}));
    ASSERT_TRUE(c);
    ASSERT_EQ(c->nightly.size(), 5u);
    EXPECT_EQ(c->nightly[3].amount.minor, 10300) << "the rate of 2027-03-04";
    EXPECT_EQ(c->nightly[0].amount.minor, 10000) << "booked nights keep their price";
    EXPECT_EQ(c->fee.minor, 4000);
    EXPECT_EQ(c->total.minor, 33000 + 10300 + 10400 + 4000);
    // Never less than what earlier changes made due.
    b.cancellation_fee.reset();
    b.fee_floor = Money{30000, eur};
    c = change_departure(b, d("2027-03-02"), {}, flexible({}));
    EXPECT_EQ(c->total.minor, 30000);
}

TEST(StayChange, ImpossibleDeparturesAreRefused) {
    const auto b = in_house("first_night");
    EXPECT_EQ(change_departure(b, d("2027-03-01"), {}, flexible({})).error(),
              DepartureError::not_after_arrival);
    EXPECT_EQ(change_departure(b, d("2027-04-15"), plain_rates(), flexible({})).error(),
              DepartureError::too_long);
    EXPECT_EQ(change_departure(b, d("2027-03-25"), plain_rates(), flexible({})).error(),
              DepartureError::missing_price)
        << "the rates end on 2027-03-20";
}

// --- rate plans' terms (docs/DOMAIN.md "Rate plans: occupancy, inclusions, derived plans") ---

TEST(PlanTerms, EachGuestBeyondThoseIncludedAddsTheExtraToEveryNight) {
    const Occupancy per_room;  // the default: the rate is the room's, whatever the guests
    EXPECT_EQ(per_room.extra_per_night(4), 0);
    const Occupancy for_two{2, 2500};
    EXPECT_EQ(for_two.extra_per_night(1), 0);
    EXPECT_EQ(for_two.extra_per_night(2), 0);
    EXPECT_EQ(for_two.extra_per_night(4), 5000);

    const auto s = stay("2027-03-02", "2027-03-05");
    auto q = price_stay(s, plain_rates(), eur, for_two.extra_per_night(3));
    ASSERT_TRUE(q);
    EXPECT_EQ(q->nightly[0].minor, 10100 + 2500);
    EXPECT_EQ(q->total.minor, 10100 + 10200 + 10300 + 3 * 2500);
    // The search's total agrees with the quote's.
    const auto rates = plain_rates();
    std::vector<const DailyRate*> rows;
    for (int i = 0; i <= 3; ++i)
        rows.push_back(&rates[static_cast<std::size_t>(1 + i)]);
    EXPECT_EQ(stay_total(s, StayRows{rows}, eur, 2500)->minor, q->total.minor);
}

TEST(PlanTerms, AnAdjustmentIsAPercentageWithTwoDecimalsAboveMinusHundred) {
    EXPECT_EQ(parse_adjustment("-10"), -1000);
    EXPECT_EQ(parse_adjustment("+12.5"), 1250);
    EXPECT_EQ(parse_adjustment("7.25"), 725);
    EXPECT_EQ(parse_adjustment("0"), 0);
    EXPECT_EQ(parse_adjustment("-99.99"), -9999);
    EXPECT_EQ(parse_adjustment("1000"), 100000);
    for (const char* bad : {"-100", "1000.01", "", "-", "1.234", "1.", ".5", "ten", "1e2", "--1"})
        EXPECT_FALSE(parse_adjustment(bad)) << bad;
    EXPECT_EQ(format_adjustment(-1000), "-10.00");
    EXPECT_EQ(format_adjustment(1250), "12.50");
    EXPECT_EQ(format_adjustment(-5), "-0.05");
}

TEST(PlanTerms, ADerivedPriceIsRoundedHalfToEven) {
    EXPECT_EQ(derived_price(8000, -1000), 7200);
    EXPECT_EQ(derived_price(9995, -1000), 8996);  // 8995.5 → 8996
    EXPECT_EQ(derived_price(9985, -1000), 8986);  // 8986.5 → 8986
    EXPECT_EQ(derived_price(10000, 1250), 11250);
    EXPECT_EQ(derived_price(1, -9999), 0);
    EXPECT_FALSE(derived_price(std::nullopt, -1000));
    DailyRate parent;
    parent.date = d("2027-03-01");
    parent.price_minor = 10000;
    parent.min_stay = 2;
    parent.stop_sell = true;
    const auto r = derived_rate(parent, -1000);
    EXPECT_EQ(r.price_minor, 9000);
    EXPECT_EQ(r.min_stay, 2);
    EXPECT_TRUE(r.stop_sell);
}
