#pragma once
// Catalogue use cases: who may change what, and which values are acceptable. Inputs arrive
// syntactically checked (types, dates, UUIDs); everything here is a rule.

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/catalogue.hpp"
#include "core/catalogue_ports.hpp"
#include "core/identity.hpp"
#include "core/money.hpp"
#include "core/result.hpp"

namespace hotel::core {

struct CatalogueError {
    // in_use: stays hold the item (listed in `stays`), so it cannot be retired or moved.
    enum class Kind { forbidden, not_found, conflict, unprocessable, in_use } kind;
    std::string field;
    std::string message;
    std::vector<HoldingStay> stays = {};
};

template <class T>
using CatalogueResult = Result<T, CatalogueError>;

struct HotelInput {
    std::string name, city, country, timezone, currency;
    std::optional<TimeOfDay> check_in_time, check_out_time;
};

struct HotelPatch {
    std::optional<std::string> name, city, country, timezone, currency;
    std::optional<TimeOfDay> check_in_time, check_out_time;
};

struct RoomTypeInput {
    std::string code, name;
    long long max_occupancy = 0;
    std::optional<std::string> description;
};

struct RoomInput {
    std::string number, room_type_id;
    std::optional<long long> floor;
};

// A plan's pricing terms as sent (docs/DOMAIN.md "Rate plans: occupancy, inclusions, derived
// plans"): each absent field keeps the plan's (a new plan's default: 1 guest, nothing extra, no
// inclusions, not derived); derived_from may also be cleared (the plan keeps its rows as its
// own from then on).
struct MoneyInput {
    std::string amount, currency;
};
struct InclusionInput {
    std::string name;
    std::optional<MoneyInput> amount;  // per night; none: only named
};
struct DerivedFromInput {
    std::string rate_plan_id;
    std::string adjustment_percent;  // "-10", "12.5"
};
struct RatePlanTermsInput {
    std::optional<long long> included_guests;
    std::optional<MoneyInput> extra_guest;
    std::optional<std::vector<InclusionInput>> inclusions;
    Patch<DerivedFromInput> derived_from;
};

struct RatePlanInput {
    std::string code, name;
    bool refundable = false;
    std::optional<long long> free_cancellation_hours;
    std::optional<std::string> penalty;
    RatePlanTermsInput terms = {};
};

// Partial updates: an absent field keeps its value; Patch fields may also be cleared (null).
struct RoomTypePatch {
    std::optional<std::string> code, name;
    std::optional<long long> max_occupancy;
    Patch<std::string> description;
};

struct RoomPatch {
    std::optional<std::string> number, room_type_id;
    Patch<long long> floor;
};

struct RatePlanPatch {
    std::optional<std::string> code, name;
    std::optional<bool> refundable;
    Patch<long long> free_cancellation_hours;
    Patch<std::string> penalty;
    RatePlanTermsInput terms = {};
};

struct OutOfServicePatch {
    std::optional<Date> from, to;
    std::optional<std::string> reason;
};

struct RatesView {
    std::string currency;
    std::vector<DailyRateRow> rows;
};

class CatalogueService {
  public:
    template <class T>
    using Async = boost::asio::awaitable<CatalogueResult<T>>;

    explicit CatalogueService(CatalogueStore& store) : store_(store) {}

    Async<Hotel> create_hotel(const Caller& caller, HotelInput input);
    Async<Hotel> update_hotel(const Caller& caller, std::string hotel_id, HotelPatch patch);
    Async<Hotel> hotel(std::string hotel_id);

    // A hotel's taxes (docs/DOMAIN.md "Taxes"): its staff read them, its managers and admins set
    // them; a guest gets 403, anyone else 404. A city tax is an amount in the hotel's currency.
    struct HotelTaxes {
        std::optional<std::string> vat_percent;  // "10.00"
        std::optional<Money> city_tax;           // per person per night
    };
    struct TaxInput {
        std::optional<std::string> vat_percent;
        std::optional<std::string> city_tax_amount, city_tax_currency;
    };
    Async<HotelTaxes> taxes(const Caller& caller, std::string hotel_id);
    Async<HotelTaxes> set_taxes(const Caller& caller, std::string hotel_id, TaxInput input);
    // Every hotel, by name (public, like a hotel's own page).
    Async<HotelPage> hotels(long long page, long long per_page);

    Async<RoomType> create_room_type(const Caller& caller, std::string hotel_id,
                                     RoomTypeInput input);
    Async<std::vector<RoomType>> room_types(std::string hotel_id);
    Async<Room> create_room(const Caller& caller, std::string hotel_id, RoomInput input);
    Async<std::vector<Room>> rooms(const Caller& caller, std::string hotel_id);
    Async<RatePlan> create_rate_plan(const Caller& caller, std::string hotel_id,
                                     RatePlanInput input);
    Async<std::vector<RatePlan>> rate_plans(std::string hotel_id);

    // Catalogue maintenance (manager of the hotel, or admin). Retiring hides an item from
    // selling and keeps it for history; it is refused (in_use) while stays hold it.
    Async<RoomType> update_room_type(const Caller& caller, std::string hotel_id, std::string id,
                                     RoomTypePatch patch);
    Async<Unit> retire_room_type(const Caller& caller, std::string hotel_id, std::string id);
    Async<Room> update_room(const Caller& caller, std::string hotel_id, std::string id,
                            RoomPatch patch);
    Async<Unit> retire_room(const Caller& caller, std::string hotel_id, std::string id);
    Async<RatePlan> update_rate_plan(const Caller& caller, std::string hotel_id, std::string id,
                                     RatePlanPatch patch);
    Async<Unit> retire_rate_plan(const Caller& caller, std::string hotel_id, std::string id);

    Async<long long> set_rates(const Caller& caller, std::string hotel_id, RatesUpdate update);
    Async<RatesView> rates(const Caller& caller, std::string hotel_id, std::string room_type_id,
                           std::string rate_plan_id, Date from, Date to);

    Async<OutOfService> take_out_of_service(const Caller& caller, std::string hotel_id,
                                            std::string room_id, Date from, Date to,
                                            std::string reason);
    // Periods out of service overlapping [from, to) (staff of the hotel), changed or lifted
    // (manager).
    Async<std::vector<OutOfService>> out_of_service(const Caller& caller, std::string hotel_id,
                                                    Date from, Date to,
                                                    std::optional<std::string> room_id);
    Async<OutOfService> change_out_of_service(const Caller& caller, std::string hotel_id,
                                              std::string id, OutOfServicePatch patch);
    Async<Unit> lift_out_of_service(const Caller& caller, std::string hotel_id, std::string id);
    Async<std::vector<AvailabilityRow>> availability(const Caller& caller, std::string hotel_id,
                                                     Date from, Date to);

  private:
    using Retirement = CatalogueStore::Async<Result<Unit, ChangeRefusal>> (CatalogueStore::*)(
        std::string, std::string);
    // The live item `id` of one kind, for a manager of the hotel to change (403, 404).
    // The hotel when the caller works there (a guest: forbidden; anyone else: not_found); with
    // `to_manage`, only its managers and admins (its staff: forbidden).
    Async<Hotel> worked_at(const Caller& caller, const std::string& hotel_id, bool to_manage);
    // A plan as sent (created, or the current one with a patch over it): its code, name,
    // cancellation and pricing terms checked against the rules and the hotel's currency.
    Async<RatePlan> drafted(const std::string& hotel_id, RatePlan base, const RatePlanInput& in);
    template <class T>
    Async<T> managed(const Caller& caller, const std::string& hotel_id, const std::string& id,
                     CatalogueStore::Async<std::vector<T>> (CatalogueStore::*list)(std::string),
                     const char* what);
    // A hotel's live items of one kind (404 when there is no such hotel).
    template <class T>
    Async<std::vector<T>> of_hotel(std::string hotel_id, CatalogueStore::Async<std::vector<T>> (
                                                             CatalogueStore::*list)(std::string));
    // Retires an item (a manager's act) through one of the store's retirements.
    Async<Unit> retire(const Caller& caller, std::string hotel_id, std::string id, const char* what,
                       Retirement retirement);

    CatalogueStore& store_;
};

}  // namespace hotel::core
