#pragma once
// Money: exact integer minor units in an ISO 4217 currency, whose minor unit sets how many
// decimals the amount has (JPY 0, EUR 2, BHD 3). Never floating point.
//
// Rounding (percentage fees): half-even ("banker's rounding") to the currency's minor unit,
// so that rounding errors do not drift in one direction over many bookings.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hotel::core {

class Currency {
  public:
    // ISO 4217 "XXX", no currency: only a placeholder until a real one is assigned.
    Currency() : code_("XXX"), minor_unit_(0) {}
    // nullopt for a code that is not an active ISO 4217 currency.
    static std::optional<Currency> of(std::string_view code) noexcept;
    const char* code() const noexcept { return code_; }
    int minor_unit() const noexcept { return minor_unit_; }
    bool operator==(const Currency& o) const noexcept;

  private:
    Currency(const char* code, int minor_unit) : code_(code), minor_unit_(minor_unit) {}
    const char* code_;
    int minor_unit_;
};

struct Money {
    std::int64_t minor = 0;
    Currency currency;

    // "129.00" (at most the currency's decimals; fewer are padded; no sign, no exponent).
    static std::optional<Money> parse(std::string_view amount, Currency currency) noexcept;
    // Always exactly the currency's decimals: "129.00", "15000", "1.250".
    std::string amount() const;
    // P percent of this amount, rounded half-even to the minor unit. P in 0..100.
    Money percent(int p) const noexcept;
};

// Why an amount did not parse, for a helpful 422.
enum class AmountError { not_a_number, too_many_decimals, too_large };
std::optional<AmountError> amount_problem(std::string_view amount, Currency currency) noexcept;

}  // namespace hotel::core
