#pragma once
// The catalogue: hotels, room types, rooms, rate plans, daily rates, out-of-service periods.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.hpp"
#include "core/cancellation.hpp"
#include "core/plan_terms.hpp"

namespace hotel::core {

struct Hotel {
    std::string id;
    std::string name;
    std::string city;
    std::string country;
    std::string timezone;
    std::string currency;
    TimeOfDay check_in_time{15, 0};
    TimeOfDay check_out_time{11, 0};
};

// A hotel's taxes on its stay invoices (docs/DOMAIN.md "Taxes"): the VAT its prices include
// (a percentage with up to two decimals, as text, e.g. "10.00"), and a city tax per person per
// night added on top. Absent: none.
struct TaxSettings {
    std::optional<std::string> vat_percent;
    std::optional<std::int64_t> city_tax_minor;
};

// "10", "7.5" or "10.00": a percentage from 0 to below 100 with at most two decimals.
bool is_percentage(std::string_view text) noexcept;

struct RoomType {
    std::string id;
    std::string hotel_id;
    std::string code;
    std::string name;
    int max_occupancy = 1;
    std::optional<std::string> description;
};

struct Room {
    std::string id;
    std::string hotel_id;
    std::string room_type_id;
    std::string number;
    std::optional<int> floor;
};

struct RatePlan {
    std::string id;
    std::string hotel_id;
    std::string code;
    std::string name;
    CancellationPolicy policy;
    Occupancy occupancy = {};
    std::vector<Inclusion> inclusions = {};
    std::optional<DerivedFrom> derived_from = {};
    std::string currency = {};  // the hotel's, for the amounts above (set where a plan is shown)
};

struct OutOfService {
    std::string id;
    std::string hotel_id;
    std::string room_id;
    Date from;
    Date to;
    std::string reason;
};

// A stay that holds a room type, rate plan or room (confirmed or in the house, not over), so
// that it cannot be retired or moved to another type.
struct HoldingStay {
    std::string booking_id;
    Date check_in;
    Date check_out;
};

// A field of a partial update: absent (keep), present with a value (set), or present as null
// (clear).
template <class T>
struct Patch {
    bool present = false;
    std::optional<T> value;
    static Patch keep() { return {}; }
    static Patch set(T v) { return {true, std::move(v)}; }
    static Patch clear() { return {true, std::nullopt}; }
};

struct RatesUpdate {
    std::string room_type_id;
    std::string rate_plan_id;
    Date from;
    Date to;                         // exclusive
    std::vector<unsigned> weekdays;  // ISO 1..7; empty: every day
    Patch<std::string> price;        // decimal text in the hotel's currency
    Patch<int> min_stay;
    Patch<int> max_stay;
    std::optional<bool> closed_to_arrival;
    std::optional<bool> closed_to_departure;
    std::optional<bool> stop_sell;
};

// The same, with the price resolved to minor units, as the store applies it.
struct RatesWrite {
    std::string hotel_id;
    RatesUpdate update;
    Patch<std::int64_t> price_minor;
};

struct DailyRateRow {
    Date date;
    std::optional<std::int64_t> price_minor;
    std::optional<int> min_stay;
    std::optional<int> max_stay;
    bool closed_to_arrival = false;
    bool closed_to_departure = false;
    bool stop_sell = false;
};

struct AvailabilityRow {
    std::string room_type_id;
    Date date;
    int total = 0;
    int booked = 0;
    int out_of_service = 0;
    int available = 0;
};

constexpr int kMaxRateRangeDays = 731;
constexpr int kMaxAvailabilityDays = 366;

}  // namespace hotel::core
