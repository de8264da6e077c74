#pragma once
// The front desk's day (issue 13, part 3): who arrives, who leaves and who is in the house on a
// date of the hotel, and the room chart (every room with its stays and periods out of service
// over a range). Staff of the hotel and admins; reads only, from the booking and catalogue ports.

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/booking_ports.hpp"
#include "core/catalogue_ports.hpp"
#include "core/identity.hpp"
#include "core/result.hpp"

namespace hotel::core {

struct FrontDeskError {
    enum class Kind { forbidden, not_found, unprocessable } kind;
    std::string field;
    std::string message;
};

// Arrivals: stays arriving on the date that are not cancelled or no-show (confirmed, or already
// checked in, or even out again).
// Departures: stays leaving on the date that arrived (checked in, or already checked out).
// In house: stays checked in whose nights include the date.
enum class FrontDeskList { arrivals, departures, in_house };

struct FrontDeskPage {
    Date date;  // the date asked for, or the hotel's today
    BookingPage page;
};

// The part of a stay spent in a room before the guest moved to another: [from, to) in the
// hotel's dates (its arrival, and the day of the move).
struct MovedOut {
    std::string booking_id;
    Date from, to;
};

struct RoomChartRow {
    Room room;
    std::vector<Booking> stays;        // confirmed, in house or checked out, overlapping
    std::vector<ChartStay> bars;       // the same stays as bars (RoomChartDetail::bars)
    std::vector<OutOfService> blocks;  // out of service, overlapping
    std::vector<MovedOut> moved_out;   // parts of stays before a move, overlapping
};

struct RoomChart {
    Date from, to;  // [from, to)
    std::vector<RoomChartRow> rooms;
};

constexpr int kMaxRoomChartDays = 62;

// What a room chart carries of each stay: the whole booking, or what a bar shows.
enum class RoomChartDetail { bookings, bars };

class FrontDeskService {
  public:
    template <class T>
    using Async = boost::asio::awaitable<Result<T, FrontDeskError>>;
    using Clock = std::function<Instant()>;

    FrontDeskService(BookingStore& bookings, CatalogueStore& catalogue, Clock clock)
        : bookings_(bookings), catalogue_(catalogue), clock_(std::move(clock)) {}

    Async<FrontDeskPage> list(const Caller& caller, std::string hotel_id, FrontDeskList which,
                              std::optional<Date> date, long long offset, long long limit);
    Async<RoomChart> room_chart(const Caller& caller, std::string hotel_id, Date from, Date to,
                                RoomChartDetail detail = RoomChartDetail::bookings);
    // The hotel's numbered invoices and credit notes issued on the hotel's dates [from, to),
    // a page in number order (for its accounting).
    Async<InvoicePage> invoices(const Caller& caller, std::string hotel_id, Date from, Date to,
                                long long offset, long long limit);
    // The housekeeping board, and a room's new state (the room as the board shows it then).
    Async<std::vector<RoomHousekeeping>> housekeeping(const Caller& caller, std::string hotel_id);
    Async<RoomHousekeeping> set_housekeeping(const Caller& caller, std::string hotel_id,
                                             std::string room_id, Housekeeping status);

  private:
    // The hotel when the caller works there (or is an admin); not_found otherwise, so that
    // staff of another hotel learn nothing about it.
    Async<Hotel> hotel_for(const Caller& caller, const std::string& hotel_id);

    BookingStore& bookings_;
    CatalogueStore& catalogue_;
    Clock clock_;
};

}  // namespace hotel::core
