#pragma once
// An enum's names as one table of (value, name) rows, read both ways, instead of a switch for
// each direction that says every name again.

#include <cstddef>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

namespace hotel::core {

// The name of `value` in `names`; `fallback` if the table lacks it.
template <class E, class Name, std::size_t N>
constexpr Name name_in(const std::pair<E, Name> (&names)[N], E value,
                       std::type_identity_t<Name> fallback) noexcept {
    for (const auto& [v, name] : names)
        if (v == value)
            return name;
    return fallback;
}

// The value named `text` in `names`, if any.
template <class E, class Name, std::size_t N>
constexpr std::optional<E> value_named(const std::pair<E, Name> (&names)[N],
                                       std::string_view text) noexcept {
    for (const auto& [v, name] : names)
        if (name == text)
            return v;
    return std::nullopt;
}

}  // namespace hotel::core
