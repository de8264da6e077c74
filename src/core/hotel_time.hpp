#pragma once
// A hotel's clock: its IANA zone turns business dates and local wall-clock times into UTC
// instants, and the current instant into the hotel's "today".
//
// DST rule (DOMAIN.md): a local time inside a spring-forward gap moves forward by the gap's
// length (02:30 in New York on 2027-03-14 is 03:30 EDT = 07:30Z, as java.time does); a local
// time that occurs twice on the fall-back day takes the earlier instant. Both come to the same
// thing: read the wall time with the UTC offset in force just before the transition.
// (date/tz's `choose` returns the transition instant for a gap, 07:00Z, so it is not used.)

#include <optional>
#include <string>
#include <string_view>

#include "core/calendar.hpp"

namespace date {
class time_zone;
}

namespace hotel::core {

class HotelClock {
  public:
    // nullopt when the zone is not in the tz database.
    static std::optional<HotelClock> for_zone(std::string_view iana_name);

    // The UTC instant of a local date and wall-clock time in this zone.
    Instant instant_of(const Date& date, TimeOfDay time) const;
    // The local calendar date at an instant.
    Date date_at(Instant instant) const;
    const std::string& zone_name() const noexcept { return name_; }

  private:
    HotelClock(const date::time_zone* zone, std::string name)
        : zone_(zone), name_(std::move(name)) {}
    const date::time_zone* zone_;
    std::string name_;
};

bool is_known_time_zone(std::string_view iana_name);

}  // namespace hotel::core
