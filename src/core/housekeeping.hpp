#pragma once
// Housekeeping (issue 13): the state of each room between guests. Check-out makes a room dirty;
// housekeepers clean it and a supervisor may inspect it; out of order is a room that cannot be
// given to a guest (unlike out of service, it blocks no nights: it says the room is not ready
// now). A guest is checked in to a room that is not clean or inspected only on purpose (force).

#include <optional>
#include <string>
#include <string_view>

#include "core/calendar.hpp"

namespace hotel::core {

enum class Housekeeping { clean, dirty, inspected, out_of_order };

std::string_view to_string(Housekeeping status) noexcept;
std::optional<Housekeeping> parse_housekeeping(std::string_view text) noexcept;
// Whether a guest may be checked in to a room in this state without forcing it.
bool ready_for_arrival(Housekeeping status) noexcept;

struct RoomHousekeeping {
    std::string room_id;
    std::string number;
    std::optional<int> floor;
    std::string room_type_id;
    Housekeeping status = Housekeeping::clean;
    std::optional<Instant> updated_at;  // never changed: none
    bool occupied = false;              // a guest is checked in
};

}  // namespace hotel::core
