#include "core/housekeeping.hpp"

namespace hotel::core {

namespace {
constexpr std::pair<Housekeeping, std::string_view> kNames[] = {
    {Housekeeping::clean, "clean"},
    {Housekeeping::dirty, "dirty"},
    {Housekeeping::inspected, "inspected"},
    {Housekeeping::out_of_order, "out_of_order"},
};
}  // namespace

std::string_view to_string(Housekeeping status) noexcept {
    for (const auto& [s, name] : kNames)
        if (s == status)
            return name;
    return "clean";
}

std::optional<Housekeeping> parse_housekeeping(std::string_view text) noexcept {
    for (const auto& [s, name] : kNames)
        if (name == text)
            return s;
    return std::nullopt;
}

bool ready_for_arrival(Housekeeping status) noexcept {
    return status == Housekeeping::clean || status == Housekeeping::inspected;
}

}  // namespace hotel::core
