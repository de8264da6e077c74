#include "core/housekeeping.hpp"

#include "core/names.hpp"

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
    return name_in(kNames, status, "clean");
}

std::optional<Housekeeping> parse_housekeeping(std::string_view text) noexcept {
    return value_named(kNames, text);
}

bool ready_for_arrival(Housekeeping status) noexcept {
    return status == Housekeeping::clean || status == Housekeeping::inspected;
}

}  // namespace hotel::core
