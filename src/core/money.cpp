#include "core/money.hpp"

#include <cstring>

namespace hotel::core {
namespace {

struct Entry {
    const char* code;
    int minor_unit;
};

// Active ISO 4217 codes. Minor units other than 2 are listed explicitly.
constexpr Entry kCurrencies[] = {
    {"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"ANG", 2}, {"AOA", 2}, {"ARS", 2}, {"AUD", 2},
    {"AWG", 2}, {"AZN", 2}, {"BAM", 2}, {"BBD", 2}, {"BDT", 2}, {"BGN", 2}, {"BHD", 3}, {"BIF", 0},
    {"BMD", 2}, {"BND", 2}, {"BOB", 2}, {"BRL", 2}, {"BSD", 2}, {"BTN", 2}, {"BWP", 2}, {"BYN", 2},
    {"BZD", 2}, {"CAD", 2}, {"CDF", 2}, {"CHF", 2}, {"CLF", 4}, {"CLP", 0}, {"CNY", 2}, {"COP", 2},
    {"CRC", 2}, {"CUP", 2}, {"CVE", 2}, {"CZK", 2}, {"DJF", 0}, {"DKK", 2}, {"DOP", 2}, {"DZD", 2},
    {"EGP", 2}, {"ERN", 2}, {"ETB", 2}, {"EUR", 2}, {"FJD", 2}, {"FKP", 2}, {"GBP", 2}, {"GEL", 2},
    {"GHS", 2}, {"GIP", 2}, {"GMD", 2}, {"GNF", 0}, {"GTQ", 2}, {"GYD", 2}, {"HKD", 2}, {"HNL", 2},
    {"HTG", 2}, {"HUF", 2}, {"IDR", 2}, {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"IRR", 2}, {"ISK", 0},
    {"JMD", 2}, {"JOD", 3}, {"JPY", 0}, {"KES", 2}, {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2},
    {"KRW", 0}, {"KWD", 3}, {"KYD", 2}, {"KZT", 2}, {"LAK", 2}, {"LBP", 2}, {"LKR", 2}, {"LRD", 2},
    {"LSL", 2}, {"LYD", 3}, {"MAD", 2}, {"MDL", 2}, {"MGA", 2}, {"MKD", 2}, {"MMK", 2}, {"MNT", 2},
    {"MOP", 2}, {"MRU", 2}, {"MUR", 2}, {"MVR", 2}, {"MWK", 2}, {"MXN", 2}, {"MYR", 2}, {"MZN", 2},
    {"NAD", 2}, {"NGN", 2}, {"NIO", 2}, {"NOK", 2}, {"NPR", 2}, {"NZD", 2}, {"OMR", 3}, {"PAB", 2},
    {"PEN", 2}, {"PGK", 2}, {"PHP", 2}, {"PKR", 2}, {"PLN", 2}, {"PYG", 0}, {"QAR", 2}, {"RON", 2},
    {"RSD", 2}, {"RUB", 2}, {"RWF", 0}, {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2}, {"SEK", 2},
    {"SGD", 2}, {"SHP", 2}, {"SLE", 2}, {"SOS", 2}, {"SRD", 2}, {"SSP", 2}, {"STN", 2}, {"SVC", 2},
    {"SYP", 2}, {"SZL", 2}, {"THB", 2}, {"TJS", 2}, {"TMT", 2}, {"TND", 3}, {"TOP", 2}, {"TRY", 2},
    {"TTD", 2}, {"TWD", 2}, {"TZS", 2}, {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"UYU", 2}, {"UYW", 4},
    {"UZS", 2}, {"VES", 2}, {"VND", 0}, {"VUV", 0}, {"WST", 2}, {"XAF", 0}, {"XCD", 2}, {"XOF", 0},
    {"XPF", 0}, {"YER", 2}, {"ZAR", 2}, {"ZMW", 2}, {"ZWL", 2},
};

constexpr std::int64_t kMaxMinor = 1'000'000'000'000'000;  // far beyond any hotel bill

std::int64_t pow10(int n) {
    std::int64_t v = 1;
    while (n-- > 0)
        v *= 10;
    return v;
}

}  // namespace

std::optional<Currency> Currency::of(std::string_view code) noexcept {
    if (code.size() != 3)
        return std::nullopt;
    for (const auto& e : kCurrencies)
        if (code == e.code)
            return Currency(e.code, e.minor_unit);
    return std::nullopt;
}

bool Currency::operator==(const Currency& o) const noexcept {
    return std::strcmp(code_, o.code_) == 0;
}

std::optional<AmountError> amount_problem(std::string_view s, Currency c) noexcept {
    if (s.empty())
        return AmountError::not_a_number;
    const auto dot = s.find('.');
    const auto whole = s.substr(0, dot);
    const auto frac = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
    if (whole.empty() || (dot != std::string_view::npos && frac.empty()))
        return AmountError::not_a_number;
    for (char ch : whole)
        if (ch < '0' || ch > '9')
            return AmountError::not_a_number;
    for (char ch : frac)
        if (ch < '0' || ch > '9')
            return AmountError::not_a_number;
    if (static_cast<int>(frac.size()) > c.minor_unit())
        return AmountError::too_many_decimals;
    if (whole.size() > 13)
        return AmountError::too_large;
    return std::nullopt;
}

std::optional<Money> Money::parse(std::string_view s, Currency c) noexcept {
    if (amount_problem(s, c))
        return std::nullopt;
    const auto dot = s.find('.');
    const auto whole = s.substr(0, dot);
    const auto frac = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
    std::int64_t minor = 0;
    for (char ch : whole)
        minor = minor * 10 + (ch - '0');
    std::int64_t f = 0;
    for (char ch : frac)
        f = f * 10 + (ch - '0');
    minor =
        minor * pow10(c.minor_unit()) + f * pow10(c.minor_unit() - static_cast<int>(frac.size()));
    if (minor > kMaxMinor)
        return std::nullopt;
    return Money{minor, c};
}

std::string Money::amount() const {
    const int digits = currency.minor_unit();
    const bool negative = minor < 0;
    const std::uint64_t v =
        negative ? static_cast<std::uint64_t>(-(minor + 1)) + 1 : static_cast<std::uint64_t>(minor);
    const auto scale = static_cast<std::uint64_t>(pow10(digits));
    std::string out = std::to_string(v / scale);
    if (digits > 0) {
        std::string frac = std::to_string(v % scale);
        out += '.' + std::string(static_cast<size_t>(digits) - frac.size(), '0') + frac;
    }
    return negative ? "-" + out : out;
}

Money Money::percent(int p) const noexcept {
    // minor * p / 100, rounded half to even.
    const std::int64_t n = minor * p;
    std::int64_t q = n / 100;
    const std::int64_t r = n % 100;
    if (r > 50 || (r == 50 && (q % 2) != 0))
        ++q;
    return Money{q, currency};
}

}  // namespace hotel::core
