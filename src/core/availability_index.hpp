#pragma once
// AvailabilityIndex: the read model that answers shopping (city search and offers) from memory.
// Each node holds one, loaded from PostgreSQL and kept current by a change feed
// (storage/index_feed.hpp). It only shortlists: a booking is still allocated in the database,
// under the exclusion constraint, so a stale index can show an offer that then answers 409
// sold_out, never sell a room twice.
//
// Per hotel it keeps the catalogue (room types, rate plans, rooms), the daily rates as one dense
// array per (type, plan) indexed by day, and per room the occupied periods (stays and
// out-of-service, as in the bookings table) sorted by start. Pricing and restrictions are
// core/pricing.hpp's, the same code the SQL path and the booking use.
//
// Concurrency: readers and the feed meet on one mutex per hotel, held for microseconds; the
// directory (hotels by id and by city) is an immutable snapshot replaced as a whole when hotels
// come, go, or change name or city.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/booking_ports.hpp"
#include "core/catalogue.hpp"
#include "core/shopping.hpp"

namespace hotel::core {

// A UUID as 128 bits (the index keeps hundreds of thousands; 36-character strings would be the
// biggest part of it). Ordered as PostgreSQL orders uuid values.
struct Uuid128 {
    std::uint64_t hi = 0;
    std::uint64_t lo = 0;
    auto operator<=>(const Uuid128&) const = default;
};
std::optional<Uuid128> parse_uuid128(std::string_view text) noexcept;  // 8-4-4-4-12 hex
std::string format_uuid128(const Uuid128& id);
struct Uuid128Hash {
    std::size_t operator()(const Uuid128& u) const noexcept {
        return static_cast<std::size_t>(u.hi * 0x9E3779B97F4A7C15ull ^ u.lo);
    }
};

// Microseconds since the Unix epoch (a timestamptz, exactly).
using Micros = std::int64_t;
inline Micros micros_of(Instant t) {
    return static_cast<Micros>(t.time_since_epoch().count()) * 1'000'000;
}

// One row of the bookings table as the index keeps it: a stay or an out-of-service period.
struct OccupancyRow {
    Uuid128 booking;
    Uuid128 hotel;
    Uuid128 room;
    Micros starts = 0;
    Micros ends = 0;
    bool active = false;  // status confirmed, checked_in or checked_out
};

// One hotel as loaded from the database.
struct HotelSnapshot {
    Hotel hotel;
    std::vector<RoomType> types;
    std::vector<RatePlan> plans;
    std::vector<Room> rooms;
    std::vector<RateCell> rates;
    std::vector<OccupancyRow> stays;
    long long catalogue_version = 0;  // hotels.catalogue_version, read before the rows above
};

// The city as the index matches it: Unicode lower case (the C.UTF-8 rules PostgreSQL's lower()
// follows on these machines).
std::string city_key(std::string_view city);

struct IndexCounts {
    long long hotels = 0;
    long long rooms = 0;
    long long periods = 0;
    long long rate_days = 0;
};

class AvailabilityIndex {
    struct Slot;
    struct Directory;

  public:
    AvailabilityIndex();
    ~AvailabilityIndex();
    AvailabilityIndex(const AvailabilityIndex&) = delete;
    AvailabilityIndex& operator=(const AvailabilityIndex&) = delete;

    // Writers (the feed). A full load replaces everything; hotels it does not hold disappear.
    // It is built hotel by hotel (each snapshot becomes the compact state at once, so a load
    // never holds more than one hotel's rows), and nothing shows until it is finished.
    class Loading {
      public:
        void add(HotelSnapshot hotel);

      private:
        friend class AvailabilityIndex;
        explicit Loading(std::shared_ptr<Directory> next) : next_(std::move(next)) {}
        std::shared_ptr<Directory> next_;
    };
    Loading start_loading() const;
    void finish_loading(Loading loading);
    void replace_all(std::vector<HotelSnapshot> hotels);
    // One hotel reloaded after a catalogue or rate change; nullopt: it no longer exists.
    void replace_hotel(const Uuid128& id, std::optional<HotelSnapshot> hotel);
    // One committed bookings row: its previous period (in whatever room) goes, and the new one
    // comes if the row is active. Unknown hotels and rooms are ignored (their reload follows).
    // Periods of the room that ended more than three days before `now` are dropped meanwhile,
    // so a node that runs for months does not accumulate the past.
    void apply(const OccupancyRow& row, Micros now);
    void remove_booking(const Uuid128& hotel, const Uuid128& booking);
    bool has_hotel(const Uuid128& id) const;

    // Whether the index answers shopping: set by the feed once its first load is applied and
    // while it follows the database; cleared when the feed is lost.
    bool live() const noexcept { return live_.load(std::memory_order_acquire); }
    void set_live(bool live) noexcept { live_.store(live, std::memory_order_release); }

    // Readers: the ShoppingStore questions, answered from memory with the SQL path's semantics.
    std::vector<Hotel> hotels_in_city(std::string_view city) const;
    HotelHits search(const std::vector<StayWindow>& stays, Date check_in, Date check_out,
                     int guests, long long offset, long long limit) const;
    // The city search in one pass over the city's hotels (ShoppingStore::search_city).
    HotelHits search_city(std::string_view city, Date check_in, Date check_out, int guests,
                          Instant now, long long offset, long long limit) const;
    std::vector<TypeAvailability> free_rooms(std::string_view hotel_id, Instant starts,
                                             Instant ends) const;
    std::vector<RateCell> rates_for_stay(std::string_view hotel_id, Date check_in,
                                         Date check_out) const;
    std::optional<Hotel> find_hotel(std::string_view hotel_id) const;
    std::vector<RatePlan> rate_plans(std::string_view hotel_id) const;
    // What placing a booking reads (the hotel, the type and the plan when they are the hotel's,
    // the rates of the nights and the departure day), with the catalogue version they were
    // loaded at: the booking's transaction checks it. nullopt when the hotel is not held.
    std::optional<BookingContext> booking_context(std::string_view hotel_id,
                                                  std::string_view room_type_id,
                                                  std::string_view rate_plan_id, Date first_night,
                                                  Date departure) const;

    IndexCounts counts() const;

  private:
    std::shared_ptr<const Directory> directory() const;
    void publish(std::shared_ptr<const Directory> next);
    std::shared_ptr<Slot> slot_of(const Uuid128& id) const;
    std::shared_ptr<Slot> slot_named(std::string_view hotel_id) const;  // null: malformed or absent

    mutable std::mutex directory_mutex_;  // guards the pointer only
    std::shared_ptr<const Directory> directory_;
    std::mutex writer_mutex_;  // one writer at a time rebuilds the directory
    std::atomic<bool> live_{false};
};

// ShoppingStore answered by the index while it is live, and by `fallback` (the SQL path)
// otherwise: while the first load runs, and after the feed is lost until it is back.
class IndexedShoppingStore final : public ShoppingStore {
  public:
    IndexedShoppingStore(const AvailabilityIndex& index, ShoppingStore& fallback)
        : index_(index), fallback_(fallback) {}
    Async<std::vector<Hotel>> hotels_in_city(std::string city) override;
    Async<HotelHits> search(std::vector<StayWindow> stays, Date check_in, Date check_out,
                            int guests, long long offset, long long limit) override;
    Async<HotelHits> search_city(std::string city, Date check_in, Date check_out, int guests,
                                 Instant now, long long offset, long long limit) override;
    Async<std::vector<TypeAvailability>> free_rooms(std::string hotel_id, Instant starts,
                                                    Instant ends) override;
    Async<std::vector<RateCell>> rates_for_stay(std::string hotel_id, Date check_in,
                                                Date check_out) override;
    Async<std::optional<Hotel>> find_hotel(std::string hotel_id) override;
    Async<std::vector<RatePlan>> rate_plans(std::string hotel_id) override;
    // Folding accents the way PostgreSQL's unaccent does is the database's job: always SQL.
    Async<std::vector<Destination>> destinations(std::string prefix, int limit) override {
        return fallback_.destinations(std::move(prefix), limit);
    }

  private:
    const AvailabilityIndex& index_;
    ShoppingStore& fallback_;
};

}  // namespace hotel::core
