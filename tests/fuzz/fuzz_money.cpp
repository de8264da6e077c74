// Money parsing and arithmetic: an amount parses exactly when amount_problem finds nothing,
// prints back to itself (padded to the minor unit), and percentages stay in range.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/money.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace hotel::core;
    if (size < 4)
        return 0;
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    const auto currency = Currency::of(in.substr(0, 3));
    const int p = data[3] % 101;
    const auto amount = in.substr(4);
    if (!currency) {
        FUZZ_REQUIRE(!Currency::of(in.substr(0, 3)));
        return 0;
    }
    const auto problem = amount_problem(amount, *currency);
    const auto money = Money::parse(amount, *currency);
    if (problem)
        FUZZ_REQUIRE(!money);
    if (!money)
        return 0;
    FUZZ_REQUIRE(money->minor >= 0);
    const auto printed = money->amount();
    const auto again = Money::parse(printed, *currency);
    FUZZ_REQUIRE(again && again->minor == money->minor);
    // The printed amount has exactly the currency's decimals.
    const auto dot = printed.find('.');
    FUZZ_REQUIRE(currency->minor_unit() == 0
                     ? dot == std::string::npos
                     : printed.size() - dot - 1 ==
                           static_cast<std::size_t>(currency->minor_unit()));
    const auto part = money->percent(p);
    FUZZ_REQUIRE(part.minor >= 0 && part.minor <= money->minor);
    FUZZ_REQUIRE(money->percent(100).minor == money->minor && money->percent(0).minor == 0);
    // A stay of 30 nights at this price still prices and rounds without overflow.
    Money stay{money->minor * 30, *currency};
    FUZZ_REQUIRE(stay.percent(p).minor <= stay.minor);
    return 0;
}
