#pragma once
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/catalogue.hpp"
#include "core/housekeeping.hpp"
#include "core/result.hpp"

namespace hotel::core {

// What can go wrong in the store, in domain terms.
enum class StoreError {
    duplicate,          // a code or room number already used in this hotel
    unknown_room_type,  // not a room type of this hotel
    unknown_rate_plan,  // not a rate plan of this hotel
    unknown_room,       // not a room of this hotel
    occupied,           // the room is booked or already out of service then
    stay_bounds,        // min_stay would exceed max_stay on some day
    not_found,          // no such live item in this hotel
    in_use,             // stays hold it (ChangeRefusal::stays)
    derived_plan,       // a derived plan's rates follow its parent: they are not written
    bad_parent,         // a derived plan's parent is not a live, underived plan of the hotel
    has_derived,        // plans derive from this one (it cannot be retired or become derived)
};

// A refused retirement or room change, with the stays that hold the item when it is in use.
struct ChangeRefusal {
    StoreError error;
    std::vector<HoldingStay> stays = {};
};

// A room's change: each field kept when absent.
struct RoomChange {
    std::optional<std::string> number;
    bool set_floor = false;
    std::optional<int> floor;
    std::optional<std::string> room_type_id;
};

struct HotelPage {
    std::vector<Hotel> items;
    long long total = 0;
};

class CatalogueStore {
  public:
    virtual ~CatalogueStore() = default;
    template <class T>
    using Async = boost::asio::awaitable<T>;

    virtual Async<Hotel> create_hotel(Hotel hotel) = 0;
    virtual Async<std::optional<Hotel>> find_hotel(std::string id) = 0;
    // Every hotel by name, one page of them, and how many there are.
    virtual Async<HotelPage> hotels(long long offset, long long limit) = 0;
    virtual Async<Hotel> update_hotel(Hotel hotel) = 0;
    // Whether any price or stay exists in the hotel's currency (it then cannot change).
    virtual Async<bool> has_money(std::string hotel_id) = 0;

    virtual Async<Result<RoomType, StoreError>> create_room_type(RoomType type) = 0;
    virtual Async<std::vector<RoomType>> room_types(std::string hotel_id) = 0;
    virtual Async<Result<Room, StoreError>> create_room(Room room) = 0;
    virtual Async<std::vector<Room>> rooms(std::string hotel_id) = 0;
    virtual Async<Result<RatePlan, StoreError>> create_rate_plan(RatePlan plan) = 0;
    virtual Async<std::vector<RatePlan>> rate_plans(std::string hotel_id) = 0;

    // Rewrite a live room type or rate plan's own fields (not_found, duplicate).
    virtual Async<Result<RoomType, StoreError>> update_room_type(RoomType type) = 0;
    virtual Async<Result<RatePlan, StoreError>> update_rate_plan(RatePlan plan) = 0;
    // Retire (hide from selling, keep for history) unless stays hold it: a room type with its
    // rooms, a rate plan, a room. Bookings of it in flight finish first and are then seen.
    virtual Async<Result<Unit, ChangeRefusal>> retire_room_type(std::string hotel_id,
                                                                std::string id) = 0;
    virtual Async<Result<Unit, ChangeRefusal>> retire_rate_plan(std::string hotel_id,
                                                                std::string id) = 0;
    virtual Async<Result<Unit, ChangeRefusal>> retire_room(std::string hotel_id,
                                                           std::string id) = 0;
    // Change a room (a new type only while no stay holds it; unknown_room_type, duplicate).
    virtual Async<Result<Room, ChangeRefusal>> change_room(std::string hotel_id, std::string id,
                                                           RoomChange change) = 0;

    // One statement for the whole range, whatever its length. Returns the days written.
    virtual Async<Result<long long, StoreError>> write_rates(RatesWrite write) = 0;
    virtual Async<Result<std::vector<DailyRateRow>, StoreError>> rates(std::string hotel_id,
                                                                       std::string room_type_id,
                                                                       std::string rate_plan_id,
                                                                       Date from, Date to) = 0;

    // period: [from at check-in time, to at check-out time), computed by the caller.
    virtual Async<Result<OutOfService, StoreError>> add_out_of_service(OutOfService oos,
                                                                       Instant starts, Instant ends,
                                                                       std::string actor) = 0;
    // Periods out of service (not lifted) that overlap [from, to), of one room or all.
    virtual Async<std::vector<OutOfService>> out_of_service(std::string hotel_id, Date from,
                                                            Date to,
                                                            std::optional<std::string> room_id) = 0;
    // A period's new dates (not_found, occupied), or its lifting (false: none such).
    virtual Async<Result<OutOfService, StoreError>> change_out_of_service(OutOfService oos,
                                                                          Instant starts,
                                                                          Instant ends) = 0;
    virtual Async<std::optional<OutOfService>> find_out_of_service(std::string hotel_id,
                                                                   std::string id) = 0;
    virtual Async<bool> lift_out_of_service(std::string hotel_id, std::string id) = 0;
    // The hotel's tax settings (none set: both absent), and new ones.
    virtual Async<TaxSettings> taxes(std::string hotel_id) = 0;
    virtual Async<void> set_taxes(std::string hotel_id, TaxSettings taxes,
                                  std::string actor_id) = 0;
    // Every live room with its housekeeping state; and a new state for one (false: no such
    // live room).
    virtual Async<std::vector<RoomHousekeeping>> housekeeping(std::string hotel_id) = 0;
    virtual Async<bool> set_housekeeping(std::string hotel_id, std::string room_id,
                                         Housekeeping status, std::string actor_id) = 0;
    virtual Async<std::vector<AvailabilityRow>> availability(std::string hotel_id, Date from,
                                                             Date to) = 0;
};

}  // namespace hotel::core
