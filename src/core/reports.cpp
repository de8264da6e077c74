#include "core/reports.hpp"

#include "core/hotel_time.hpp"

namespace hotel::core {

namespace {

using Kind = ReportError::Kind;

Failure<ReportError> refuse(Kind kind, std::string field, std::string message) {
    return fail(ReportError{kind, std::move(field), std::move(message)});
}

// Two decimal digits at text[at], as a number no greater than max; -1 otherwise.
int two_digits(std::string_view text, std::size_t at, int max) {
    if (at + 2 > text.size())
        return -1;
    const char a = text[at], b = text[at + 1];
    if (a < '0' || a > '9' || b < '0' || b > '9')
        return -1;
    const int v = (a - '0') * 10 + (b - '0');
    return v <= max ? v : -1;
}

OnTheBooks books(std::int64_t nights, std::int64_t revenue_minor, Currency currency) {
    return OnTheBooks{nights, Money{revenue_minor, currency}};
}

PickupDay pickup_day(Date date, std::int64_t then_nights, std::int64_t then_minor,
                     std::int64_t now_nights, std::int64_t now_minor, Currency currency) {
    return PickupDay{date, books(then_nights, then_minor, currency),
                     books(now_nights, now_minor, currency),
                     books(now_nights - then_nights, now_minor - then_minor, currency)};
}

}  // namespace

std::optional<ReportError::Kind> report_access(const Caller& caller, std::string_view hotel_id) {
    if (may_manage_catalogue(caller, hotel_id))  // an admin, or a manager of the hotel
        return std::nullopt;
    if (caller.role == Role::guest)
        return Kind::forbidden;
    if (caller.role == Role::staff && caller.works_for(hotel_id))
        return Kind::forbidden;  // the hotel's own staff: the reports are the manager's
    return Kind::not_found;
}

std::optional<ReportError> check_report_range(Date from, Date to) {
    const int days = days_between(from, to);
    if (days <= 0)
        return ReportError{Kind::invalid, "to", "must be after from"};
    if (days > kMaxReportDays)
        return ReportError{Kind::invalid, "to", "a report covers at most 366 nights"};
    return std::nullopt;
}

std::int64_t divide_half_even(std::int64_t numerator, std::int64_t denominator) {
    std::int64_t q = numerator / denominator;
    const std::int64_t r = numerator % denominator;
    // Compare the remainder with half the denominator without overflowing: 2r vs d.
    const std::int64_t twice = r * 2;
    if (twice > denominator || (twice == denominator && q % 2 != 0))
        ++q;
    return q;
}

std::string percent_text(std::int64_t part, std::int64_t whole) {
    const std::int64_t hundredths = divide_half_even(part * 10000, whole);
    const std::int64_t frac = hundredths % 100;
    return std::to_string(hundredths / 100) + '.' + (frac < 10 ? "0" : "") + std::to_string(frac);
}

OccupancyFigures occupancy_figures(std::int64_t available, std::int64_t sold,
                                   std::int64_t revenue_minor, Currency currency) {
    if (available < 0)
        available = 0;
    OccupancyFigures f;
    f.rooms_available = available;
    f.rooms_sold = sold;
    f.room_revenue = Money{revenue_minor, currency};
    if (available > 0) {
        f.occupancy_percent = percent_text(sold, available);
        f.revpar = Money{divide_half_even(revenue_minor, available), currency};
    }
    if (sold > 0)
        f.adr = Money{divide_half_even(revenue_minor, sold), currency};
    return f;
}

OccupancyReport occupancy_report(Date from, Date to, Currency currency,
                                 const std::vector<NightCount>& nights) {
    OccupancyReport report{from, to, currency, {}, {}};
    std::int64_t available = 0, sold = 0, revenue = 0;
    for (const auto& n : nights) {
        const auto f =
            occupancy_figures(n.live_rooms - n.out_of_service, n.sold, n.revenue_minor, currency);
        available += f.rooms_available;
        sold += f.rooms_sold;
        revenue += n.revenue_minor;
        report.days.push_back({n.date, f});
    }
    report.totals = occupancy_figures(available, sold, revenue, currency);
    return report;
}

std::optional<AsOf> parse_as_of(std::string_view text) {
    if (text.size() == 10)
        return parse_date(text);
    // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
    if (text.size() < 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':')
        return std::nullopt;
    const auto date = parse_date(text.substr(0, 10));
    const int hour = two_digits(text, 11, 23), minute = two_digits(text, 14, 59),
              second = two_digits(text, 17, 59);
    if (!date || hour < 0 || minute < 0 || second < 0)
        return std::nullopt;
    std::size_t at = 19;
    if (text[at] == '.') {
        const std::size_t digits_from = ++at;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9')
            ++at;
        if (at == digits_from)
            return std::nullopt;
    }
    std::chrono::seconds offset{0};
    if (at + 1 == text.size() && text[at] == 'Z') {
        // UTC
    } else if (at + 6 == text.size() && (text[at] == '+' || text[at] == '-') &&
               text[at + 3] == ':') {
        const int oh = two_digits(text, at + 1, 23), om = two_digits(text, at + 4, 59);
        if (oh < 0 || om < 0)
            return std::nullopt;
        offset = std::chrono::hours{oh} + std::chrono::minutes{om};
        if (text[at] == '-')
            offset = -offset;
    } else {
        return std::nullopt;
    }
    const Instant local = std::chrono::sys_days{*date} + std::chrono::hours{hour} +
                          std::chrono::minutes{minute} + std::chrono::seconds{second};
    return AsOf{local - offset};
}

PickupReport pickup_report(Date from, Date to, Instant as_of, Currency currency,
                           const std::vector<BooksCount>& dates) {
    PickupReport report{from, to, as_of, currency, {}, {}};
    std::int64_t then_nights = 0, then_minor = 0, now_nights = 0, now_minor = 0;
    for (const auto& d : dates) {
        report.days.push_back(pickup_day(d.date, d.then_nights, d.then_revenue_minor, d.now_nights,
                                         d.now_revenue_minor, currency));
        then_nights += d.then_nights;
        then_minor += d.then_revenue_minor;
        now_nights += d.now_nights;
        now_minor += d.now_revenue_minor;
    }
    report.totals = pickup_day(from, then_nights, then_minor, now_nights, now_minor, currency);
    return report;
}

// --- the use case ---------------------------------------------------------------------------

ReportService::Async<Hotel> ReportService::hotel_for(const Caller& caller,
                                                     const std::string& hotel_id) {
    if (auto refused = report_access(caller, hotel_id))
        co_return refuse(*refused, "",
                         *refused == Kind::forbidden ? "the reports are for the hotel's managers"
                                                     : "no such hotel");
    auto found = co_await catalogue_.find_hotel(hotel_id);
    if (!found)
        co_return refuse(Kind::not_found, "", "no such hotel");
    co_return std::move(*found);
}

ReportService::Async<OccupancyReport> ReportService::occupancy(const Caller& caller,
                                                               std::string hotel_id, Date from,
                                                               Date to) {
    if (auto bad = check_report_range(from, to))
        co_return fail(*bad);
    auto hotel = co_await hotel_for(caller, hotel_id);
    if (!hotel)
        co_return fail(hotel.error());
    const auto currency = Currency::of(hotel->currency).value_or(Currency{});
    auto nights = co_await reports_.occupancy(hotel_id, from, to);
    co_return occupancy_report(from, to, currency, nights);
}

ReportService::Async<PickupReport> ReportService::pickup(const Caller& caller, std::string hotel_id,
                                                         Date from, Date to, AsOf as_of) {
    if (auto bad = check_report_range(from, to))
        co_return fail(*bad);
    auto hotel = co_await hotel_for(caller, hotel_id);
    if (!hotel)
        co_return fail(hotel.error());
    const Instant now = clock_();
    Instant instant{};
    if (const auto* date = std::get_if<Date>(&as_of)) {
        // The end of that day in the hotel's time zone (the next day's midnight). For the hotel's
        // today that midnight is still to come: the books as they stand now (nothing is dated
        // after now). Not clamped to now, which is truncated to the second and would leave out
        // what happened earlier in the current second.
        const auto clock = HotelClock::for_zone(hotel->timezone);
        if (!clock)
            co_return refuse(Kind::invalid, "as_of", "the hotel's time zone is unknown");
        if (std::chrono::sys_days{*date} > std::chrono::sys_days{clock->date_at(now)})
            co_return refuse(Kind::invalid, "as_of", "must not be after the hotel's today");
        instant = clock->instant_of(add_days(*date, 1), TimeOfDay{0, 0});
    } else {
        instant = std::get<Instant>(as_of);
        if (instant > now)
            co_return refuse(Kind::invalid, "as_of", "must not be in the future");
    }
    const auto currency = Currency::of(hotel->currency).value_or(Currency{});
    auto counts = co_await reports_.on_the_books(hotel_id, from, to, instant);
    co_return pickup_report(from, to, instant, currency, counts.dates);
}

}  // namespace hotel::core
