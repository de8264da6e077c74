#include "pg/types.hpp"

#include <charconv>
#include <cstdio>

#include "core/infrastructure.hpp"

namespace hotel::pg {
namespace {

[[noreturn]] void bad_value(const char* type, std::string_view s) {
    throw Error(ErrorKind::type_mismatch,
                std::string("cannot read '") + std::string(s.substr(0, 40)) + "' as " + type);
}

template <class Int>
Int parse_int(std::string_view s, const char* type) {
    Int v{};
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size())
        bad_value(type, s);
    return v;
}

}  // namespace

bool Uuid::valid(std::string_view s) noexcept {
    return core::is_uuid(s);
}

std::optional<std::string> param_traits<Numeric>::to_text(const Numeric& v) {
    // Digits with at most one '.', optional leading '-': nothing else reaches the server.
    const auto& s = v.text;
    std::size_t i = (!s.empty() && s[0] == '-') ? 1 : 0;
    bool digit = false, dot = false;
    for (; i < s.size(); ++i) {
        if (s[i] >= '0' && s[i] <= '9')
            digit = true;
        else if (s[i] == '.' && !dot)
            dot = true;
        else
            throw Error(ErrorKind::type_mismatch,
                        "not a decimal number: '" + s.substr(0, 40) + "'");
    }
    if (!digit)
        throw Error(ErrorKind::type_mismatch, "not a decimal number: '" + s + "'");
    return s;
}

std::optional<std::string> param_traits<Uuid>::to_text(const Uuid& v) {
    if (!Uuid::valid(v.text))
        throw Error(ErrorKind::type_mismatch, "not a UUID: '" + v.text.substr(0, 40) + "'");
    return v.text;
}

std::optional<std::string> param_traits<std::chrono::year_month_day>::to_text(
    const std::chrono::year_month_day& d) {
    if (!d.ok())
        throw Error(ErrorKind::type_mismatch, "invalid calendar date");
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                  static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
    return std::string(buf);
}

std::optional<std::string> param_traits<Timestamp>::to_text(const Timestamp& t) {
    using namespace std::chrono;
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss<microseconds> tod{t - day};
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d:%02d.%06ld+00",
                  static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), static_cast<int>(tod.hours().count()),
                  static_cast<int>(tod.minutes().count()), static_cast<int>(tod.seconds().count()),
                  static_cast<long>(tod.subseconds().count()));
    return std::string(buf);
}

std::string quote_array_element(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    out += '"';
    return out;
}

bool result_traits<bool>::from_text(std::string_view s, Oid) {
    if (s == "t")
        return true;
    if (s == "f")
        return false;
    bad_value("bool", s);
}

std::int32_t result_traits<std::int32_t>::from_text(std::string_view s, Oid) {
    return parse_int<std::int32_t>(s, "int4");
}

std::int64_t result_traits<std::int64_t>::from_text(std::string_view s, Oid) {
    return parse_int<std::int64_t>(s, "int8");
}

std::chrono::year_month_day result_traits<std::chrono::year_month_day>::from_text(
    std::string_view s, Oid) {
    // DateStyle ISO (the server default and what connections set): YYYY-MM-DD.
    if (s.size() != 10 || s[4] != '-' || s[7] != '-')
        bad_value("date", s);
    const auto y = parse_int<int>(s.substr(0, 4), "date");
    const auto m = parse_int<unsigned>(s.substr(5, 2), "date");
    const auto d = parse_int<unsigned>(s.substr(8, 2), "date");
    std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m},
                                    std::chrono::day{d}};
    if (!ymd.ok())
        bad_value("date", s);
    return ymd;
}

Timestamp result_traits<Timestamp>::from_text(std::string_view s, Oid) {
    // Connections run with TimeZone=UTC, DateStyle=ISO: "2027-03-14 19:00:00+00" with optional
    // fractional seconds ".123456".
    using namespace std::chrono;
    if (s.size() < 22 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':')
        bad_value("timestamptz", s);
    const auto ymd = result_traits<year_month_day>::from_text(s.substr(0, 10), oid::date);
    const auto hh = parse_int<int>(s.substr(11, 2), "timestamptz");
    const auto mi = parse_int<int>(s.substr(14, 2), "timestamptz");
    const auto ss = parse_int<int>(s.substr(17, 2), "timestamptz");
    std::size_t pos = 19;
    long micros = 0;
    if (pos < s.size() && s[pos] == '.') {
        std::size_t end = pos + 1;
        while (end < s.size() && s[end] >= '0' && s[end] <= '9')
            ++end;
        auto frac = std::string(s.substr(pos + 1, end - pos - 1));
        if (frac.empty() || frac.size() > 6)
            bad_value("timestamptz", s);
        frac.resize(6, '0');
        micros = parse_int<long>(frac, "timestamptz");
        pos = end;
    }
    if (s.substr(pos) != "+00")
        bad_value("timestamptz (expected UTC)", s);
    return sys_days{ymd} + hours{hh} + minutes{mi} + seconds{ss} + microseconds{micros};
}

Oid array_element_oid(Oid array_oid) noexcept {
    switch (array_oid) {
        case oid::bool_array:
            return oid::boolean;
        case oid::int4_array:
            return oid::int4;
        case oid::int8_array:
            return oid::int8;
        case oid::text_array:
            return oid::text;
        case oid::uuid_array:
            return oid::uuid;
        case oid::date_array:
            return oid::date;
        default:
            return 0;
    }
}

std::vector<std::optional<std::string>> parse_array(std::string_view s) {
    if (s.size() < 2 || s.front() != '{' || s.back() != '}')
        throw Error(ErrorKind::type_mismatch, "not a one-dimensional array literal");
    std::vector<std::optional<std::string>> out;
    std::size_t i = 1;
    const std::size_t end = s.size() - 1;
    if (i == end)
        return out;
    while (i <= end) {
        std::string item;
        bool quoted = false;
        if (s[i] == '"') {
            quoted = true;
            ++i;
            while (i < end && s[i] != '"') {
                if (s[i] == '\\' && i + 1 < end)
                    ++i;
                item += s[i++];
            }
            ++i;  // closing quote
        } else {
            while (i < end && s[i] != ',')
                item += s[i++];
            if (!item.empty() && item.front() == '{')
                throw Error(ErrorKind::type_mismatch, "multi-dimensional arrays are not supported");
        }
        if (!quoted && item == "NULL")
            out.emplace_back(std::nullopt);
        else
            out.emplace_back(std::move(item));
        if (i < end && s[i] != ',')
            throw Error(ErrorKind::type_mismatch, "malformed array literal");
        ++i;  // the comma, or past the end
    }
    return out;
}

}  // namespace hotel::pg
