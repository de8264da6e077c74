#include "core/hotel_time.hpp"

#include <date/tz.h>

namespace hotel::core {

std::optional<HotelClock> HotelClock::for_zone(std::string_view name) {
    if (name.empty() || name.size() > 64)
        return std::nullopt;
    try {
        const auto* zone = date::locate_zone(std::string(name));
        return HotelClock(zone, std::string(name));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

bool is_known_time_zone(std::string_view name) {
    return HotelClock::for_zone(name).has_value();
}

Instant HotelClock::instant_of(const Date& d, TimeOfDay t) const {
    using namespace std::chrono;
    const date::local_seconds local{
        (sys_days{d} + hours{t.hour} + minutes{t.minute}).time_since_epoch()};
    const auto info = zone_->get_info(local);
    // unique: its offset. nonexistent (gap) and ambiguous (overlap): the offset in force before
    // the transition, `first` — moving a gap time forward by the gap, and taking the earlier of
    // two instants.
    return Instant{local.time_since_epoch() - info.first.offset};
}

Date HotelClock::date_at(Instant instant) const {
    using namespace std::chrono;
    const auto local = zone_->to_local(instant);
    return Date{floor<days>(sys_days{floor<days>(local).time_since_epoch()})};
}

}  // namespace hotel::core
