#pragma once
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/catalogue.hpp"
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
    virtual Async<std::vector<AvailabilityRow>> availability(std::string hotel_id, Date from,
                                                             Date to) = 0;
};

}  // namespace hotel::core
