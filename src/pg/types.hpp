#pragma once
// Parameter and result type mapping (text format), through two customisation points:
//   param_traits<T>::to_text(const T&) -> std::optional<std::string>   (nullopt: NULL)
//   result_traits<T>::from_text(std::string_view, Oid) -> T            (never sees NULL)
//   result_traits<T>::accepts(Oid) -> bool                             (column type check)
// std::optional<T> maps to NULL both ways. Reading NULL into a non-optional, or a column whose
// type does not fit, throws pg::Error (unexpected_null / type_mismatch), never UB.
// Outer layers specialise these traits for their own value types.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pg/error.hpp"

namespace hotel::pg {

using Oid = unsigned int;

namespace oid {
constexpr Oid boolean = 16, int8 = 20, int2 = 21, int4 = 23, text = 25, varchar = 1043,
              bpchar = 1042, name = 19, date = 1082, timestamptz = 1184, timestamp = 1114,
              numeric = 1700, uuid = 2950, bool_array = 1000, int4_array = 1007, int8_array = 1016,
              text_array = 1009, uuid_array = 2951, date_array = 1182, unknown = 705, void_ = 2278;
}

// An exact decimal as text ("129.00"): NUMERIC in, NUMERIC out, never a double.
struct Numeric {
    std::string text;
    bool operator==(const Numeric&) const = default;
};

// A UUID as its canonical lower-case text form; validated on the way in.
struct Uuid {
    std::string text;
    bool operator==(const Uuid&) const = default;
    static bool valid(std::string_view s) noexcept;
};

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

template <class T>
struct param_traits;
template <class T>
struct result_traits;

// --- parameters -------------------------------------------------------------------------------
template <>
struct param_traits<bool> {
    static std::optional<std::string> to_text(bool v) { return v ? "t" : "f"; }
};
template <>
struct param_traits<std::int32_t> {
    static std::optional<std::string> to_text(std::int32_t v) { return std::to_string(v); }
};
template <>
struct param_traits<std::int64_t> {
    static std::optional<std::string> to_text(std::int64_t v) { return std::to_string(v); }
};
template <>
struct param_traits<std::string> {
    static std::optional<std::string> to_text(const std::string& v) { return v; }
};
template <>
struct param_traits<std::string_view> {
    static std::optional<std::string> to_text(std::string_view v) { return std::string(v); }
};
template <>
struct param_traits<const char*> {
    static std::optional<std::string> to_text(const char* v) {
        return v ? std::optional<std::string>(v) : std::nullopt;
    }
};
template <std::size_t N>
struct param_traits<char[N]> {
    static std::optional<std::string> to_text(const char (&v)[N]) { return std::string(v); }
};
template <>
struct param_traits<Numeric> {
    static std::optional<std::string> to_text(const Numeric& v);
};
template <>
struct param_traits<Uuid> {
    static std::optional<std::string> to_text(const Uuid& v);
};
template <>
struct param_traits<std::chrono::year_month_day> {
    static std::optional<std::string> to_text(const std::chrono::year_month_day& v);
};
template <>
struct param_traits<Timestamp> {
    static std::optional<std::string> to_text(const Timestamp& v);
};
template <class T>
struct param_traits<std::optional<T>> {
    static std::optional<std::string> to_text(const std::optional<T>& v) {
        if (!v)
            return std::nullopt;
        return param_traits<T>::to_text(*v);
    }
};
// Arrays as PostgreSQL array literals; every element is quoted and escaped.
std::string quote_array_element(std::string_view text);
template <class T>
struct param_traits<std::vector<T>> {
    static std::optional<std::string> to_text(const std::vector<T>& v) {
        std::string out = "{";
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (i)
                out += ',';
            auto e = param_traits<T>::to_text(v[i]);
            out += e ? quote_array_element(*e) : "NULL";
        }
        out += '}';
        return out;
    }
};

template <class T>
std::optional<std::string> to_param(const T& value) {
    return param_traits<std::remove_cvref_t<T>>::to_text(value);
}
inline std::optional<std::string> to_param(const char* value) {
    return param_traits<const char*>::to_text(value);
}
inline std::optional<std::string> to_param(std::nullopt_t) {
    return std::nullopt;
}

// --- results ----------------------------------------------------------------------------------
template <>
struct result_traits<bool> {
    static bool accepts(Oid t) { return t == oid::boolean; }
    static bool from_text(std::string_view s, Oid);
};
template <>
struct result_traits<std::int32_t> {
    static bool accepts(Oid t) { return t == oid::int4 || t == oid::int2; }
    static std::int32_t from_text(std::string_view s, Oid);
};
template <>
struct result_traits<std::int64_t> {
    static bool accepts(Oid t) { return t == oid::int8 || t == oid::int4 || t == oid::int2; }
    static std::int64_t from_text(std::string_view s, Oid);
};
template <>
struct result_traits<std::string> {
    static bool accepts(Oid t) {
        return t == oid::text || t == oid::varchar || t == oid::bpchar || t == oid::name ||
               t == oid::unknown;
    }
    static std::string from_text(std::string_view s, Oid) { return std::string(s); }
};
template <>
struct result_traits<Numeric> {
    static bool accepts(Oid t) { return t == oid::numeric; }
    static Numeric from_text(std::string_view s, Oid) { return Numeric{std::string(s)}; }
};
template <>
struct result_traits<Uuid> {
    static bool accepts(Oid t) { return t == oid::uuid; }
    static Uuid from_text(std::string_view s, Oid) { return Uuid{std::string(s)}; }
};
template <>
struct result_traits<std::chrono::year_month_day> {
    static bool accepts(Oid t) { return t == oid::date; }
    static std::chrono::year_month_day from_text(std::string_view s, Oid);
};
template <>
struct result_traits<Timestamp> {
    static bool accepts(Oid t) { return t == oid::timestamptz; }
    static Timestamp from_text(std::string_view s, Oid);
};
// One-dimensional arrays of the scalar types above.
std::vector<std::optional<std::string>> parse_array(std::string_view text);
Oid array_element_oid(Oid array_oid) noexcept;
template <class T>
struct result_traits<std::vector<T>> {
    static bool accepts(Oid t) {
        const Oid e = array_element_oid(t);
        return e != 0 && result_traits<T>::accepts(e);
    }
    static std::vector<T> from_text(std::string_view s, Oid t) {
        std::vector<T> out;
        for (auto& e : parse_array(s)) {
            if (!e)
                throw Error(ErrorKind::unexpected_null, "NULL element in an array column");
            out.push_back(result_traits<T>::from_text(*e, array_element_oid(t)));
        }
        return out;
    }
};

}  // namespace hotel::pg
