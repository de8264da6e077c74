#include <gtest/gtest.h>

#include "core/booking.hpp"
#include "core/payment.hpp"

using namespace hotel::core;

namespace {
Date d(const char* s) {
    return *parse_date(s);
}
}  // namespace

TEST(BookingState, TheLifecycleAndNothingElse) {
    const auto arrival = d("2027-03-10");
    auto confirmed = BookingState::confirmed();
    EXPECT_TRUE(confirmed.holds_room());

    // confirmed → cancelled, and a cancelled booking goes nowhere.
    auto cancelled = confirmed.cancel();
    ASSERT_TRUE(cancelled);
    EXPECT_EQ(cancelled->status(), BookingStatus::cancelled);
    EXPECT_FALSE(cancelled->holds_room());
    EXPECT_FALSE(cancelled->cancel());
    EXPECT_FALSE(cancelled->check_in(arrival, arrival));
    EXPECT_FALSE(cancelled->no_show(arrival, arrival));
    EXPECT_FALSE(cancelled->check_out());

    // Check-in opens on the arrival date in the hotel's zone.
    EXPECT_FALSE(confirmed.check_in(d("2027-03-09"), arrival));
    auto in = confirmed.check_in(arrival, arrival);
    ASSERT_TRUE(in);
    EXPECT_TRUE(in->holds_room());
    EXPECT_FALSE(in->cancel()) << "no cancelling after check-in";
    EXPECT_FALSE(in->no_show(arrival, arrival));
    auto out = in->check_out();
    ASSERT_TRUE(out);
    EXPECT_EQ(out->status(), BookingStatus::checked_out);
    EXPECT_TRUE(out->holds_room()) << "a checked-out stay still blocks its nights";
    EXPECT_FALSE(out->check_out());
    EXPECT_FALSE(confirmed.check_out()) << "no check-out without check-in";

    // No-show from the arrival date on, and it frees the room.
    EXPECT_FALSE(confirmed.no_show(d("2027-03-09"), arrival));
    auto no_show = confirmed.no_show(d("2027-03-11"), arrival);
    ASSERT_TRUE(no_show);
    EXPECT_FALSE(no_show->holds_room());
    EXPECT_FALSE(no_show->check_in(arrival, arrival));
}

TEST(BookingState, StatusNamesRoundTrip) {
    for (auto s : {BookingStatus::confirmed, BookingStatus::checked_in, BookingStatus::checked_out,
                   BookingStatus::cancelled, BookingStatus::no_show})
        EXPECT_EQ(parse_booking_status(to_string(s)), s);
    EXPECT_FALSE(parse_booking_status("deleted"));
}

TEST(TestGateway, TokenRules) {
    EXPECT_EQ(test_token_last4("tok_visa_4242").value(), "4242");
    EXPECT_EQ(test_token_last4("tok_anything_at_all_1234").value(), "1234");
    EXPECT_EQ(test_token_last4("tok_declined").error(), PaymentError::declined);
    for (const char* bad : {"4242424242424242", "tok_", "tok_visa_42", "tok_visa_42424",
                            "tok_visa_abcd", "tok visa 4242", "tok_visa_4242\n", "pm_visa_4242"})
        EXPECT_EQ(test_token_last4(bad).error(), PaymentError::invalid_token) << bad;
}

TEST(NightLines, InclusionsAreCarvedOutOfEachNightInOrder) {
    using namespace hotel::core;
    const auto eur = *Currency::of("EUR");
    const auto day = *parse_date("2027-03-02");
    const std::vector<NightPrice> nightly{{day, Money{8000, eur}},
                                          {add_days(day, 1), Money{1000, eur}}};
    const std::vector<Inclusion> inclusions{{"Breakfast", 1500}, {"Wi-Fi", 0}, {"Parking", 500}};
    const auto lines = night_lines(nightly, inclusions);
    std::vector<std::string> shown;
    for (const auto& l : lines)
        shown.push_back(l.description + "=" + std::to_string(l.amount.minor));
    // The second night (10.00) is smaller than breakfast: breakfast takes all of it, and
    // neither the room nor parking goes below zero.
    EXPECT_EQ(shown, (std::vector<std::string>{
                         "Night of 2027-03-02=6000", "Breakfast, night of 2027-03-02=1500",
                         "Parking, night of 2027-03-02=500", "Night of 2027-03-03=0",
                         "Breakfast, night of 2027-03-03=1000"}));
    std::int64_t sum = 0;
    for (const auto& l : lines)
        sum += l.amount.minor;
    EXPECT_EQ(sum, 9000);
    EXPECT_EQ(night_lines(nightly, {}).size(), 2u);
}
