#include "core/shopping.hpp"

#include <map>

#include "core/hotel_time.hpp"
#include "core/identity.hpp"
#include "core/stay.hpp"

namespace hotel::core {

namespace {
Failure<ShoppingError> refuse(ShoppingError::Kind kind, std::string field, std::string message) {
    return fail(ShoppingError{kind, std::move(field), std::move(message)});
}
}  // namespace

std::optional<StayInterval> stay_interval(const Hotel& hotel, const HotelClock& clock,
                                          Date check_in, Date check_out, Instant now) {
    if (days_between(clock.date_at(now), check_in) < 0)
        return std::nullopt;  // past for this hotel
    return StayInterval{clock.instant_of(check_in, hotel.check_in_time),
                        clock.instant_of(check_out, hotel.check_out_time)};
}

ShoppingStore::Async<HotelHits> ShoppingStore::search_city(std::string city, Date check_in,
                                                           Date check_out, int guests, Instant now,
                                                           long long offset, long long limit) {
    auto hotels = co_await hotels_in_city(std::move(city));
    std::vector<StayWindow> windows;
    for (const auto& h : hotels) {
        const auto clock = HotelClock::for_zone(h.timezone);
        if (!clock)
            continue;
        if (auto interval = stay_interval(h, *clock, check_in, check_out, now))
            windows.push_back({h.id, interval->starts, interval->ends});
    }
    if (windows.empty())
        co_return HotelHits{};
    co_return co_await search(std::move(windows), check_in, check_out, guests, offset, limit);
}

ShoppingService::Async<HotelHits> ShoppingService::search(SearchQuery q) {
    using Kind = ShoppingError::Kind;
    const auto city_length = utf8_length(q.city);
    if (!city_length || *city_length < 1 || *city_length > 100)
        co_return refuse(Kind::invalid, "city", "must be 1 to 100 characters");
    if (q.guests < 1 || q.guests > 50)
        co_return refuse(Kind::invalid, "guests", "must be between 1 and 50");
    if (q.check_in.has_value() != q.check_out.has_value())
        co_return refuse(Kind::invalid, q.check_in ? "check_out" : "check_in",
                         "check_in and check_out go together");
    const long long offset = (q.page - 1) * q.per_page;

    if (!q.check_in) {
        auto hotels = co_await store_.hotels_in_city(q.city);
        HotelHits hits;
        hits.total = static_cast<long long>(hotels.size());
        for (long long i = offset; i < hits.total && i < offset + q.per_page; ++i)
            hits.items.push_back({hotels[static_cast<std::size_t>(i)], std::nullopt});
        co_return hits;
    }

    // Validate against the earliest "today" on Earth (UTC-12), then let each hotel judge the
    // arrival by its own today: a stay starting today in Auckland is yesterday in Honolulu.
    const Instant now = clock_();
    const Date earliest_today =
        Date{std::chrono::floor<std::chrono::days>(now - std::chrono::hours(12))};
    auto stay = Stay::make(*q.check_in, *q.check_out, earliest_today);
    if (!stay) {
        const auto e = stay.error();
        const bool arrival = e == StayError::arrival_in_past || e == StayError::arrival_too_far;
        co_return refuse(Kind::unprocessable, arrival ? "check_in" : "check_out", describe(e));
    }
    auto hits = co_await store_.search_city(std::move(q.city), *q.check_in, *q.check_out, q.guests,
                                            now, offset, q.per_page);
    co_return hits;
}

ShoppingService::Async<std::vector<RoomTypeOffers>> ShoppingService::offers(std::string hotel_id,
                                                                            Date check_in,
                                                                            Date check_out,
                                                                            int guests) {
    using Kind = ShoppingError::Kind;
    if (guests < 1 || guests > 50)
        co_return refuse(Kind::invalid, "guests", "must be between 1 and 50");
    auto hotel = co_await store_.find_hotel(hotel_id);
    if (!hotel)
        co_return refuse(Kind::not_found, "", "no such hotel");
    const auto clock = HotelClock::for_zone(hotel->timezone);
    const auto currency = Currency::of(hotel->currency);
    if (!clock || !currency)
        co_return refuse(Kind::unprocessable, "", "the hotel's zone or currency is unknown");
    auto stay = Stay::make(check_in, check_out, clock->date_at(clock_()));
    if (!stay) {
        const auto e = stay.error();
        const bool arrival = e == StayError::arrival_in_past || e == StayError::arrival_too_far;
        co_return refuse(Kind::unprocessable, arrival ? "check_in" : "check_out", describe(e));
    }
    const auto starts = clock->instant_of(check_in, hotel->check_in_time);
    const auto ends = clock->instant_of(check_out, hotel->check_out_time);
    auto types = co_await store_.free_rooms(hotel_id, starts, ends);
    auto plans = co_await store_.rate_plans(hotel_id);
    auto cells = co_await store_.rates_for_stay(hotel_id, check_in, check_out);
    std::map<std::pair<std::string, std::string>, std::vector<DailyRate>> grid;
    for (auto& c : cells)
        grid[{c.room_type_id, c.rate_plan_id}].push_back(c.rate);

    std::vector<RoomTypeOffers> out;
    for (const auto& t : types) {
        if (t.available < 1 || t.type.max_occupancy < guests)
            continue;
        RoomTypeOffers item{t.type, t.available, {}};
        for (const auto& p : plans) {
            auto it = grid.find({t.type.id, p.id});
            if (it == grid.end())
                continue;
            auto quote =
                price_stay(*stay, it->second, *currency, p.occupancy.extra_per_night(guests));
            if (!quote)
                continue;
            Offer offer{
                p, std::move(quote).value(), p.policy.free_until(starts),
                p.policy.refundable ? p.policy.penalty.to_string() : std::string("full_stay")};
            item.offers.push_back(std::move(offer));
        }
        if (!item.offers.empty())
            out.push_back(std::move(item));
    }
    co_return out;
}

ShoppingService::Async<std::vector<Destination>> ShoppingService::destinations(std::string query) {
    const auto length = utf8_length(query);
    if (!length || *length < 1 || *length > 100)
        co_return refuse(ShoppingError::Kind::invalid, "q", "must be 1 to 100 characters");
    auto found = co_await store_.destinations(std::move(query), 20);
    co_return found;
}

}  // namespace hotel::core
