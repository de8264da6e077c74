#pragma once
// PostgreSQL implementation of the catalogue port.

#include <memory>

#include "core/catalogue_ports.hpp"
#include "core/pricing.hpp"
#include "core/shopping.hpp"
#include "pg/pool.hpp"

namespace hotel::storage {

// Rows as core values, read by column name: those of HOTEL_COLUMNS (sql::hotel_by_id and the
// like, sql::city_hotels), sql::room_types_of_hotel and sql::rate_plans_of_hotel; the search
// index's loader reads the same statements. hotel_from() reads the first row.
core::Hotel hotel_from(const pg::Rows& rows);
std::vector<core::Hotel> hotels_from(const pg::Rows& rows);
std::vector<core::RoomType> room_types_from(const pg::Rows& rows, const std::string& hotel_id);
std::vector<core::RatePlan> rate_plans_from(const pg::Rows& rows, const std::string& hotel_id);
// Rows of a day's rate (date, price_minor, min_stay, max_stay, closed_to_arrival,
// closed_to_departure, stop_sell): sql::booking_rates, sql::rates_in_range.
std::vector<core::DailyRate> daily_rates_from(const pg::Rows& rows);
// Rows of room_type_id, rate_plan_id and a day's rate (as above): sql::hotel_rates_for_stay,
// sql::index_rates.
std::vector<core::RateCell> rate_cells_from(const pg::Rows& rows);

// A plan's pricing terms (migration 0022), read by name: included_guests, extra_guest_minor,
// inclusion_names, inclusion_amounts, parent_plan_id, adjustment_bp. Part of every plan read
// (sql::rate_plans_of_hotel) and of the booking context.
struct RatePlanTermColumns {
    explicit RatePlanTermColumns(const pg::Rows& rows);
    void read(const pg::Rows& rows, int i, core::RatePlan& plan) const;
    int included_guests, extra_guest_minor, inclusion_names, inclusion_amounts, parent_plan_id,
        adjustment_bp;
};
// Inclusions kept as two parallel arrays (rate_plans and bookings, migration 0022): read back,
// and as written.
std::vector<core::Inclusion> inclusions_of(const std::vector<std::string>& names,
                                           const std::vector<std::int64_t>& amounts);
struct InclusionArrays {
    explicit InclusionArrays(const std::vector<core::Inclusion>& inclusions) {
        for (const auto& inc : inclusions) {
            names.push_back(inc.name);
            amounts.push_back(inc.amount_minor);
        }
    }
    std::vector<std::string> names;
    std::vector<std::int64_t> amounts;
};

class PgCatalogueStore final : public core::CatalogueStore {
  public:
    explicit PgCatalogueStore(std::shared_ptr<pg::Pool> pool) : pool_(std::move(pool)) {}

    Async<core::Hotel> create_hotel(core::Hotel hotel) override;
    Async<std::optional<core::Hotel>> find_hotel(std::string id) override;
    Async<core::HotelPage> hotels(long long offset, long long limit) override;
    Async<core::Hotel> update_hotel(core::Hotel hotel) override;
    Async<bool> has_money(std::string hotel_id) override;
    Async<core::Result<core::RoomType, core::StoreError>> create_room_type(
        core::RoomType type) override;
    Async<std::vector<core::RoomType>> room_types(std::string hotel_id) override;
    Async<core::Result<core::Room, core::StoreError>> create_room(core::Room room) override;
    Async<std::vector<core::Room>> rooms(std::string hotel_id) override;
    Async<core::Result<core::RatePlan, core::StoreError>> create_rate_plan(
        core::RatePlan plan) override;
    Async<std::vector<core::RatePlan>> rate_plans(std::string hotel_id) override;
    Async<core::Result<core::RoomType, core::StoreError>> update_room_type(
        core::RoomType type) override;
    Async<core::Result<core::RatePlan, core::StoreError>> update_rate_plan(
        core::RatePlan plan) override;
    Async<core::Result<core::Unit, core::ChangeRefusal>> retire_room_type(std::string hotel_id,
                                                                          std::string id) override;
    Async<core::Result<core::Unit, core::ChangeRefusal>> retire_rate_plan(std::string hotel_id,
                                                                          std::string id) override;
    Async<core::Result<core::Unit, core::ChangeRefusal>> retire_room(std::string hotel_id,
                                                                     std::string id) override;
    Async<core::Result<core::Room, core::ChangeRefusal>> change_room(
        std::string hotel_id, std::string id, core::RoomChange change) override;
    Async<core::Result<long long, core::StoreError>> write_rates(core::RatesWrite write) override;
    Async<core::Result<std::vector<core::DailyRateRow>, core::StoreError>> rates(
        std::string hotel_id, std::string room_type_id, std::string rate_plan_id, core::Date from,
        core::Date to) override;
    Async<core::Result<core::OutOfService, core::StoreError>> add_out_of_service(
        core::OutOfService oos, core::Instant starts, core::Instant ends,
        std::string actor) override;
    Async<std::vector<core::OutOfService>> out_of_service(
        std::string hotel_id, core::Date from, core::Date to,
        std::optional<std::string> room_id) override;
    Async<std::optional<core::OutOfService>> find_out_of_service(std::string hotel_id,
                                                                 std::string id) override;
    Async<core::Result<core::OutOfService, core::StoreError>> change_out_of_service(
        core::OutOfService oos, core::Instant starts, core::Instant ends) override;
    Async<bool> lift_out_of_service(std::string hotel_id, std::string id) override;
    Async<core::TaxSettings> taxes(std::string hotel_id) override;
    Async<void> set_taxes(std::string hotel_id, core::TaxSettings taxes,
                          std::string actor_id) override;
    Async<std::vector<core::RoomHousekeeping>> housekeeping(std::string hotel_id) override;
    Async<bool> set_housekeeping(std::string hotel_id, std::string room_id,
                                 core::Housekeeping status, std::string actor_id) override;
    Async<std::vector<core::AvailabilityRow>> availability(std::string hotel_id, core::Date from,
                                                           core::Date to) override;

  private:
    std::shared_ptr<pg::Pool> pool_;
};

}  // namespace hotel::storage
