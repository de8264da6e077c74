#include <gtest/gtest.h>

#include "core/money.hpp"

using namespace hotel::core;

TEST(Money, MinorUnitsFollowIso4217) {
    EXPECT_EQ(Currency::of("JPY")->minor_unit(), 0);
    EXPECT_EQ(Currency::of("EUR")->minor_unit(), 2);
    EXPECT_EQ(Currency::of("BHD")->minor_unit(), 3);
    EXPECT_FALSE(Currency::of("XYZ"));
    EXPECT_FALSE(Currency::of("eur"));
}

TEST(Money, ParsesAndFormatsExactly) {
    const auto eur = *Currency::of("EUR");
    const auto jpy = *Currency::of("JPY");
    const auto bhd = *Currency::of("BHD");
    EXPECT_EQ(Money::parse("129.00", eur)->minor, 12900);
    EXPECT_EQ(Money::parse("129.5", eur)->minor, 12950);
    EXPECT_EQ(Money::parse("129", eur)->amount(), "129.00");
    EXPECT_EQ(Money::parse("15000", jpy)->amount(), "15000");
    EXPECT_EQ(Money::parse("1.250", bhd)->minor, 1250);
    EXPECT_EQ((Money{5, bhd}).amount(), "0.005");
    EXPECT_EQ((Money{7, eur}).amount(), "0.07");
    // Too many decimals for the currency, or not a plain decimal.
    EXPECT_FALSE(Money::parse("12.345", eur));
    EXPECT_EQ(amount_problem("12.345", eur), AmountError::too_many_decimals);
    EXPECT_FALSE(Money::parse("15000.5", jpy));
    EXPECT_FALSE(Money::parse("1.2345", bhd));
    for (const char* bad : {"", "-1.00", "+1", "1e3", "1,00", ".5", "5.", " 5", "0x10", "1.2.3"})
        EXPECT_FALSE(Money::parse(bad, eur)) << bad;
    EXPECT_FALSE(Money::parse("99999999999999999", eur));
}

TEST(Money, PercentRoundsHalfToEven) {
    const auto eur = *Currency::of("EUR");
    const auto jpy = *Currency::of("JPY");
    const auto bhd = *Currency::of("BHD");
    // 10% of 0.25 EUR = 2.5 cents → 2 (even); of 0.35 = 3.5 → 4 (even).
    EXPECT_EQ((Money{25, eur}).percent(10).minor, 2);
    EXPECT_EQ((Money{35, eur}).percent(10).minor, 4);
    EXPECT_EQ((Money{36, eur}).percent(10).minor, 4);  // 3.6 → 4
    EXPECT_EQ((Money{34, eur}).percent(10).minor, 3);  // 3.4 → 3
    // 50% of 15 yen = 7.5 → 8; of 13 yen = 6.5 → 6.
    EXPECT_EQ((Money{15, jpy}).percent(50).minor, 8);
    EXPECT_EQ((Money{13, jpy}).percent(50).minor, 6);
    // 25% of 0.010 BHD = 2.5 fils → 2.
    EXPECT_EQ((Money{10, bhd}).percent(25).minor, 2);
    EXPECT_EQ((Money{12345, eur}).percent(100).minor, 12345);
    EXPECT_EQ((Money{12345, eur}).percent(0).minor, 0);
}
