#include "core/front_desk.hpp"

#include <limits>
#include <map>

#include "core/hotel_time.hpp"

namespace hotel::core {

namespace {

using Kind = FrontDeskError::Kind;

Failure<FrontDeskError> refuse(Kind kind, std::string field, std::string message) {
    return fail(FrontDeskError{kind, std::move(field), std::move(message)});
}

}  // namespace

FrontDeskService::Async<Hotel> FrontDeskService::hotel_for(const Caller& caller,
                                                           const std::string& hotel_id) {
    if (caller.role == Role::guest)
        co_return refuse(Kind::forbidden, "", "the front desk is for the hotel's staff");
    if (!may_operate_hotel(caller, hotel_id))
        co_return refuse(Kind::not_found, "", "no such hotel");
    auto found = co_await catalogue_.find_hotel(hotel_id);
    if (!found)
        co_return refuse(Kind::not_found, "", "no such hotel");
    co_return std::move(*found);
}

FrontDeskService::Async<FrontDeskPage> FrontDeskService::list(const Caller& caller,
                                                              std::string hotel_id,
                                                              FrontDeskList which,
                                                              std::optional<Date> date,
                                                              long long offset, long long limit) {
    auto hotel = co_await hotel_for(caller, hotel_id);
    if (!hotel)
        co_return fail(hotel.error());
    if (!date) {
        const auto clock = HotelClock::for_zone(hotel->timezone);
        if (!clock)
            co_return refuse(Kind::unprocessable, "date", "the hotel's time zone is unknown");
        date = clock->date_at(clock_());
    }
    BookingFilter f;
    f.hotel_id = hotel_id;
    f.offset = offset;
    f.limit = limit;
    switch (which) {
        case FrontDeskList::arrivals:
            f.arriving = *date;
            f.statuses = {BookingStatus::confirmed, BookingStatus::checked_in,
                          BookingStatus::checked_out};
            break;
        case FrontDeskList::departures:
            f.departing = *date;
            f.statuses = {BookingStatus::checked_in, BookingStatus::checked_out};
            break;
        case FrontDeskList::in_house:
            f.staying = *date;
            f.statuses = {BookingStatus::checked_in};
            break;
    }
    auto page = co_await bookings_.list(std::move(f));
    co_return FrontDeskPage{*date, std::move(page)};
}

FrontDeskService::Async<RoomChart> FrontDeskService::room_chart(const Caller& caller,
                                                                std::string hotel_id, Date from,
                                                                Date to, RoomChartDetail detail) {
    const int days = days_between(from, to);
    if (days <= 0)
        co_return refuse(Kind::unprocessable, "to", "must be after from");
    if (days > kMaxRoomChartDays)
        co_return refuse(Kind::unprocessable, "to", "a chart covers at most 62 days");
    auto hotel = co_await hotel_for(caller, hotel_id);
    if (!hotel)
        co_return fail(hotel.error());
    auto rooms = co_await catalogue_.rooms(hotel_id);
    // Every stay of the range (those of rooms retired since included, then left out below).
    BookingPage stays;
    std::vector<ChartStay> bars;
    if (detail == RoomChartDetail::bars) {
        bars = co_await bookings_.chart_stays(hotel_id, from, to);
    } else {
        BookingFilter f;
        f.hotel_id = hotel_id;
        f.from = from;
        f.to = to;
        f.statuses = {BookingStatus::confirmed, BookingStatus::checked_in,
                      BookingStatus::checked_out};
        f.limit = std::numeric_limits<long long>::max();
        stays = co_await bookings_.list(std::move(f));
    }
    auto blocks = co_await catalogue_.out_of_service(hotel_id, from, to, std::nullopt);
    const auto clock = HotelClock::for_zone(hotel->timezone);
    if (!clock)
        co_return refuse(Kind::unprocessable, "id", "the hotel's zone is unknown");
    const Instant starts = clock->instant_of(from, {0, 0}), ends = clock->instant_of(to, {0, 0});
    auto segments = co_await bookings_.segments(hotel_id, starts, ends);

    RoomChart chart{from, to, {}};
    std::map<std::string, std::size_t> row_of;
    for (auto& room : rooms) {
        row_of[room.id] = chart.rooms.size();
        chart.rooms.push_back({std::move(room), {}, {}, {}, {}});
    }
    // Stays and blocks of rooms retired since are left out: the chart shows the rooms in use.
    for (auto& stay : stays.items)
        if (auto it = row_of.find(stay.room_id); it != row_of.end())
            chart.rooms[it->second].stays.push_back(std::move(stay));
    for (auto& bar : bars)
        if (auto it = row_of.find(bar.room_id); it != row_of.end())
            chart.rooms[it->second].bars.push_back(std::move(bar));
    for (auto& block : blocks)
        if (auto it = row_of.find(block.room_id); it != row_of.end())
            chart.rooms[it->second].blocks.push_back(std::move(block));
    for (auto& part : segments)
        if (auto it = row_of.find(part.room_id); it != row_of.end())
            chart.rooms[it->second].moved_out.push_back(
                {std::move(part.booking_id), clock->date_at(part.from), clock->date_at(part.to)});
    co_return chart;
}

FrontDeskService::Async<InvoicePage> FrontDeskService::invoices(const Caller& caller,
                                                                std::string hotel_id, Date from,
                                                                Date to, long long offset,
                                                                long long limit) {
    const int days = days_between(from, to);
    if (days <= 0)
        co_return refuse(Kind::unprocessable, "to", "must be after from");
    if (days > 366)
        co_return refuse(Kind::unprocessable, "to", "a listing covers at most 366 days");
    auto hotel = co_await hotel_for(caller, hotel_id);
    if (!hotel)
        co_return fail(hotel.error());
    const auto clock = HotelClock::for_zone(hotel->timezone);
    if (!clock)
        co_return refuse(Kind::unprocessable, "id", "the hotel's zone is unknown");
    auto page = co_await bookings_.hotel_invoices(hotel_id, clock->instant_of(from, {0, 0}),
                                                  clock->instant_of(to, {0, 0}), offset, limit);
    co_return page;
}

FrontDeskService::Async<std::vector<RoomHousekeeping>> FrontDeskService::housekeeping(
    const Caller& caller, std::string hotel_id) {
    auto hotel = co_await hotel_for(caller, hotel_id);
    if (!hotel)
        co_return fail(hotel.error());
    auto board = co_await catalogue_.housekeeping(hotel_id);
    co_return board;
}

FrontDeskService::Async<RoomHousekeeping> FrontDeskService::set_housekeeping(const Caller& caller,
                                                                             std::string hotel_id,
                                                                             std::string room_id,
                                                                             Housekeeping status) {
    auto hotel = co_await hotel_for(caller, hotel_id);
    if (!hotel)
        co_return fail(hotel.error());
    const bool set =
        co_await catalogue_.set_housekeeping(hotel_id, room_id, status, caller.user_id);
    if (!set)
        co_return refuse(Kind::not_found, "", "no such room in this hotel");
    auto board = co_await catalogue_.housekeeping(hotel_id);
    for (auto& room : board)
        if (room.room_id == room_id)
            co_return std::move(room);
    co_return refuse(Kind::not_found, "", "no such room in this hotel");
}

}  // namespace hotel::core
