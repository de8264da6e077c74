#pragma once
// Reports for a hotel's managers (issue 13, part 5; DOMAIN.md "Reports"): occupancy per night of
// a range (rooms available, rooms sold, occupancy, ADR, RevPAR, room revenue) and pickup (room
// nights and room revenue on the books per stay date as of a past instant, beside now). The
// figures, their rounding and their totals are worked out here from counts the store reads.
// Managers of the hotel and admins only.

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/calendar.hpp"
#include "core/catalogue_ports.hpp"
#include "core/identity.hpp"
#include "core/money.hpp"
#include "core/result.hpp"

namespace hotel::core {

struct ReportError {
    // invalid: malformed input (400, naming `field`); forbidden: 403; not_found: 404.
    enum class Kind { invalid, forbidden, not_found } kind;
    std::string field;
    std::string message;
};

// A report covers [from, to), at most this many nights.
constexpr int kMaxReportDays = 366;

// --- the rules, pure ------------------------------------------------------------------------

// Who may read a hotel's reports: nullopt when allowed (an admin, a manager of the hotel);
// forbidden for a guest and for staff of the hotel; not_found for anyone working for another
// hotel only (they learn nothing about this one).
std::optional<ReportError::Kind> report_access(const Caller& caller, std::string_view hotel_id);

// The range's rule: from < to, at most kMaxReportDays nights.
std::optional<ReportError> check_report_range(Date from, Date to);

// numerator / denominator rounded half-even to an integer; denominator > 0, numerator >= 0.
std::int64_t divide_half_even(std::int64_t numerator, std::int64_t denominator);

// part / whole as a percentage with two decimals, rounded half-even ("75.00", "33.33"); whole
// must be > 0.
std::string percent_text(std::int64_t part, std::int64_t whole);

// The figures of one night, or of a range's totals.
struct OccupancyFigures {
    std::int64_t rooms_available = 0;
    std::int64_t rooms_sold = 0;
    std::optional<std::string> occupancy_percent;  // nullopt when no room was available
    Money room_revenue;
    std::optional<Money> adr;     // room revenue / rooms sold; nullopt when none was sold
    std::optional<Money> revpar;  // room revenue / rooms available; nullopt when none was
};

// The figures of `available` rooms of which `sold` were sold for `revenue_minor` (in minor
// units of `currency`): money rounded half-even to the currency's minor unit, the percentage to
// two decimals. A negative count of available rooms counts as zero.
OccupancyFigures occupancy_figures(std::int64_t available, std::int64_t sold,
                                   std::int64_t revenue_minor, Currency currency);

// What the store counts for one night of the hotel.
struct NightCount {
    Date date;
    std::int64_t live_rooms = 0;      // rooms in use that night
    std::int64_t out_of_service = 0;  // of those, rooms out of service that night
    std::int64_t sold = 0;            // nights of stays confirmed, in house or checked out
    std::int64_t revenue_minor = 0;   // the nightly prices of those nights
};

struct OccupancyDay {
    Date date;
    OccupancyFigures figures;
};

struct OccupancyReport {
    Date from, to;
    Currency currency;
    std::vector<OccupancyDay> days;  // one per night of [from, to), in order
    OccupancyFigures totals;         // from the range's sums, not from the rounded nights
};

// The report from the store's counts (one per night, in order).
OccupancyReport occupancy_report(Date from, Date to, Currency currency,
                                 const std::vector<NightCount>& nights);

// ?as_of: a date (YYYY-MM-DD, meaning the end of that day in the hotel's time zone) or an
// RFC 3339 instant (2027-03-14T19:00:00Z, or with an offset such as +01:00; a fraction of a
// second is accepted and dropped). nullopt when it is neither.
using AsOf = std::variant<Date, Instant>;
std::optional<AsOf> parse_as_of(std::string_view text);

// On the books for one stay date, as of the instant asked for and now.
struct BooksCount {
    Date date;
    std::int64_t then_nights = 0;
    std::int64_t then_revenue_minor = 0;
    std::int64_t now_nights = 0;
    std::int64_t now_revenue_minor = 0;
};

struct OnTheBooks {
    std::int64_t room_nights = 0;
    Money room_revenue;
};

struct PickupDay {
    Date date;
    OnTheBooks as_of;
    OnTheBooks now;
    OnTheBooks pickup;  // now - as_of (negative when more was cancelled than booked since)
};

struct PickupReport {
    Date from, to;
    Instant as_of;
    Currency currency;
    std::vector<PickupDay> days;  // one per stay date of [from, to), in order
    PickupDay totals;             // `date` is `from`
};

PickupReport pickup_report(Date from, Date to, Instant as_of, Currency currency,
                           const std::vector<BooksCount>& dates);

// --- the port -------------------------------------------------------------------------------

struct BooksCounts {
    std::vector<BooksCount> dates;  // one per stay date of [from, to), in order
};

class ReportStore {
  public:
    template <class T>
    using Async = boost::asio::awaitable<T>;
    virtual ~ReportStore() = default;
    // One count per night of [from, to), in order.
    virtual Async<std::vector<NightCount>> occupancy(std::string hotel_id, Date from, Date to) = 0;
    // One count per stay date of [from, to), in order: as of `as_of` (stays created by then and
    // not cancelled or marked no-show by then) and now.
    virtual Async<BooksCounts> on_the_books(std::string hotel_id, Date from, Date to,
                                            Instant as_of) = 0;
};

// --- the use case ---------------------------------------------------------------------------

class ReportService {
  public:
    template <class T>
    using Async = boost::asio::awaitable<Result<T, ReportError>>;
    using Clock = std::function<Instant()>;

    ReportService(ReportStore& reports, CatalogueStore& catalogue, Clock clock)
        : reports_(reports), catalogue_(catalogue), clock_(std::move(clock)) {}

    Async<OccupancyReport> occupancy(const Caller& caller, std::string hotel_id, Date from,
                                     Date to);
    // An instant as_of must not be after now; a date not after the hotel's today.
    Async<PickupReport> pickup(const Caller& caller, std::string hotel_id, Date from, Date to,
                               AsOf as_of);

  private:
    Async<Hotel> hotel_for(const Caller& caller, const std::string& hotel_id);

    ReportStore& reports_;
    CatalogueStore& catalogue_;
    Clock clock_;
};

}  // namespace hotel::core
