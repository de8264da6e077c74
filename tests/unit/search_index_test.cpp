// The search index's parts without a database: ids and city keys, the index's answers over
// hand-made hotels (occupancy, pricing, ordering, moves and cancellations, pruning), pricing
// over day rows against pricing over a list of rates, and the change feed's text decoding.

#include <gtest/gtest.h>

#include <random>

#include "core/availability_index.hpp"
#include "core/hotel_time.hpp"
#include "core/pricing.hpp"
#include "storage/index_feed.hpp"

using namespace hotel;
using namespace hotel::core;

namespace {

Date d(int offset) {
    return add_days(*parse_date("2027-03-01"), offset);
}
Micros at(int day_offset, int hour) {
    return micros_of(std::chrono::sys_days{d(day_offset)} + std::chrono::hours(hour));
}
Instant instant(int day_offset, int hour) {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::sys_days{d(day_offset)} +
                                                              std::chrono::hours(hour));
}
std::string id(int n) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", n);
    return buf;
}
Uuid128 bits(int n) {
    return *parse_uuid128(id(n));
}

// Hotel n: type A (2 guests, rooms 1 and 2) and B (4 guests, room 3); plans FLEX and NRF;
// prices A 100/90, B 150/140 per night on days 0-59, in UTC.
HotelSnapshot make_hotel(int n, std::string name, std::string city) {
    HotelSnapshot s;
    s.hotel = {id(n), std::move(name), std::move(city), "PT", "UTC", "EUR"};
    s.types = {{id(n * 100 + 1), id(n), "A", "A", 2, std::nullopt},
               {id(n * 100 + 2), id(n), "B", "B", 4, std::nullopt}};
    RatePlan flex{id(n * 100 + 11), id(n), "FLEX", "Flexible", {}};
    RatePlan nrf{id(n * 100 + 12), id(n), "NRF", "Non-refundable", {}};
    nrf.policy.refundable = false;
    s.plans = {flex, nrf};
    s.rooms = {{id(n * 100 + 21), id(n), id(n * 100 + 1), "1", std::nullopt},
               {id(n * 100 + 22), id(n), id(n * 100 + 1), "2", std::nullopt},
               {id(n * 100 + 23), id(n), id(n * 100 + 2), "3", std::nullopt}};
    for (int day = 0; day < 60; ++day)
        for (const auto& [type, plan, price] : std::vector<std::tuple<int, int, long long>>{
                 {1, 11, 10000}, {1, 12, 9000}, {2, 11, 15000}, {2, 12, 14000}}) {
            DailyRate r;
            r.date = d(day);
            r.price_minor = price + n;  // hotels differ by a cent
            s.rates.push_back({id(n * 100 + type), id(n * 100 + plan), r});
        }
    return s;
}

OccupancyRow stay(int n, int booking, int room, int from, int to, bool active = true) {
    return {bits(booking), bits(n), bits(n * 100 + room), at(from, 15), at(to, 11), active};
}

std::vector<StayWindow> windows(const AvailabilityIndex& index, const std::string& city, int from,
                                int to) {
    std::vector<StayWindow> out;
    for (const auto& h : index.hotels_in_city(city))
        out.push_back({h.id, instant(from, 15), instant(to, 11)});
    return out;
}

int free_of(const AvailabilityIndex& index, int n, const std::string& code, int from, int to) {
    for (const auto& t : index.free_rooms(id(n), instant(from, 15), instant(to, 11)))
        if (t.type.code == code)
            return t.available;
    return -1;
}

}  // namespace

TEST(SearchIndexParts, UuidsRoundTripAndOrderAsText) {
    const std::string a = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    ASSERT_TRUE(parse_uuid128(a));
    EXPECT_EQ(format_uuid128(*parse_uuid128(a)), a);
    EXPECT_EQ(format_uuid128(*parse_uuid128("0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0")), a);
    EXPECT_FALSE(parse_uuid128("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f"));
    EXPECT_FALSE(parse_uuid128("0f1e2d3c+4b5a-6978-8796-a5b4c3d2e1f0"));
    EXPECT_FALSE(parse_uuid128("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1fg"));
    std::mt19937_64 rng(5);
    for (int i = 0; i < 200; ++i) {
        char x[40], y[40];
        const auto p = rng(), q = rng(), r = rng(), s = rng();
        using U = unsigned long long;
        std::snprintf(x, sizeof x, "%08llx-%04llx-%04llx-%04llx-%012llx", U(p >> 32), U(p & 0xFFFF),
                      U((p >> 16) & 0xFFFF), U(q >> 48), U(q & 0xFFFFFFFFFFFFull));
        std::snprintf(y, sizeof y, "%08llx-%04llx-%04llx-%04llx-%012llx", U(r >> 32), U(r & 0xFFFF),
                      U((r >> 16) & 0xFFFF), U(s >> 48), U(s & 0xFFFFFFFFFFFFull));
        EXPECT_EQ(*parse_uuid128(x) < *parse_uuid128(y), std::string(x) < std::string(y));
    }
}

TEST(SearchIndexParts, CityKeysFoldCaseBeyondAscii) {
    EXPECT_EQ(city_key("LISBON"), "lisbon");
    EXPECT_EQ(city_key("São Paulo"), city_key("SÃO PAULO"));
    EXPECT_EQ(city_key("Zürich"), city_key("ZÜRICH"));
    EXPECT_EQ(city_key("Αθήνα"), city_key("ΑΘΉΝΑ"));
    EXPECT_NE(city_key("Lisbon"), city_key("Lisboa"));
}

TEST(SearchIndexParts, FreeRoomsFollowBookingsMovesAndCancellations) {
    AvailabilityIndex index;
    index.replace_all({make_hotel(1, "One", "Town")});
    const Micros now = at(0, 0);
    EXPECT_EQ(free_of(index, 1, "A", 5, 8), 2);
    index.apply(stay(1, 1001, 21, 5, 8), now);
    EXPECT_EQ(free_of(index, 1, "A", 5, 8), 1);
    EXPECT_EQ(free_of(index, 1, "A", 8, 9), 2) << "a departure at 11:00 frees the room for 15:00";
    EXPECT_EQ(free_of(index, 1, "A", 3, 5), 2) << "an arrival at 15:00 follows a departure";
    EXPECT_EQ(free_of(index, 1, "A", 7, 12), 1);
    index.apply(stay(1, 1002, 22, 6, 7), now);
    EXPECT_EQ(free_of(index, 1, "A", 5, 8), 0);
    // The booking moves to room 3 (type B): its old period goes.
    index.apply(stay(1, 1002, 23, 6, 7), now);
    EXPECT_EQ(free_of(index, 1, "A", 5, 8), 1);
    EXPECT_EQ(free_of(index, 1, "B", 6, 7), 0);
    // Cancelled: inactive rows leave nothing behind.
    index.apply(stay(1, 1002, 23, 6, 7, false), now);
    EXPECT_EQ(free_of(index, 1, "B", 6, 7), 1);
    index.remove_booking(bits(1), bits(1001));
    EXPECT_EQ(free_of(index, 1, "A", 5, 8), 2);
    // Unknown rooms and hotels are ignored.
    index.apply(stay(9, 1003, 21, 5, 8), now);
    index.apply({bits(1004), bits(1), bits(777), at(5, 15), at(8, 11), true}, now);
    EXPECT_EQ(index.counts().periods, 0);
}

TEST(SearchIndexParts, ApplyingANewStayKeepsTheRoomsLaterStays) {
    // Regression: pruning once measured "the past" from the new stay's start, so a stay booked
    // 30 days ahead dropped a stay ending 10 days ahead.
    AvailabilityIndex index;
    index.replace_all({make_hotel(1, "One", "Town")});
    const Micros now = at(0, 0);
    index.apply(stay(1, 2001, 21, 8, 10), now);
    index.apply(stay(1, 2002, 21, 30, 32), now);
    EXPECT_EQ(index.counts().periods, 2);
    EXPECT_EQ(free_of(index, 1, "A", 8, 10), 1);
    // What ended more than three days before now is dropped.
    index.apply(stay(1, 2003, 21, 40, 41), at(20, 0));
    EXPECT_EQ(index.counts().periods, 2);
}

TEST(SearchIndexParts, SearchRanksByCheapestSellableTypeThenNameAndPages) {
    AvailabilityIndex index;
    index.replace_all({make_hotel(3, "Charlie", "Town"), make_hotel(1, "Alpha", "town"),
                       make_hotel(2, "Bravo", "TOWN"), make_hotel(4, "Elsewhere", "City")});
    const auto w = windows(index, "Town", 10, 12);
    ASSERT_EQ(w.size(), 3u);
    EXPECT_EQ(index.hotels_in_city("TOWN")[0].name, "Alpha") << "listed by name";
    auto hits = index.search(w, d(10), d(12), 2, 0, 20);
    ASSERT_EQ(hits.total, 3);
    EXPECT_EQ(hits.items[0].hotel.name, "Alpha");
    EXPECT_EQ(hits.items[0].from_price->minor, 2 * 9001) << "NRF of type A, two nights";
    // Alpha's type A is full: its from-price is type B's.
    index.apply(stay(1, 3001, 21, 10, 12), at(0, 0));
    index.apply(stay(1, 3002, 22, 11, 13), at(0, 0));
    hits = index.search(w, d(10), d(12), 2, 0, 20);
    EXPECT_EQ(hits.items.back().hotel.name, "Alpha");
    EXPECT_EQ(hits.items.back().from_price->minor, 2 * 14001);
    // Three guests fit only type B; pages of one.
    hits = index.search(w, d(10), d(12), 3, 1, 1);
    EXPECT_EQ(hits.total, 3);
    ASSERT_EQ(hits.items.size(), 1u);
    EXPECT_EQ(hits.items[0].hotel.name, "Bravo");
    EXPECT_TRUE(index.search(w, d(10), d(12), 5, 0, 20).items.empty());
    // Beyond the priced days nothing sells.
    EXPECT_EQ(index.search(w, d(58), d(61), 1, 0, 20).total, 0);
}

TEST(SearchIndexParts, AReloadedHotelChangesItsListingAndRates) {
    AvailabilityIndex index;
    index.replace_all({make_hotel(1, "Alpha", "Town")});
    auto renamed = make_hotel(1, "Zulu", "Village");
    renamed.rates.clear();
    index.replace_hotel(bits(1), renamed);
    EXPECT_TRUE(index.hotels_in_city("Town").empty());
    ASSERT_EQ(index.hotels_in_city("village").size(), 1u);
    EXPECT_EQ(index.hotels_in_city("village")[0].name, "Zulu");
    EXPECT_EQ(index.search(windows(index, "Village", 3, 4), d(3), d(4), 1, 0, 20).total, 0)
        << "no rates, nothing to sell";
    index.replace_hotel(bits(1), std::nullopt);
    EXPECT_FALSE(index.has_hotel(bits(1)));
}

TEST(SearchIndexParts, PricingOverDayRowsMatchesPricingOverRates) {
    std::mt19937 rng(20261130);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    const auto currency = *Currency::of("EUR");
    for (int round = 0; round < 2000; ++round) {
        std::vector<DailyRate> rates;
        for (int day = 0; day < 12; ++day) {
            if (pick(0, 9) == 0)
                continue;  // no row
            DailyRate r;
            r.date = d(day);
            if (pick(0, 9) > 0)
                r.price_minor = pick(1000, 9000);
            if (pick(0, 5) == 0)
                r.min_stay = pick(1, 4);
            if (pick(0, 5) == 0)
                r.max_stay = pick(1, 6);
            r.closed_to_arrival = pick(0, 7) == 0;
            r.closed_to_departure = pick(0, 7) == 0;
            r.stop_sell = pick(0, 9) == 0;
            rates.push_back(r);
        }
        const int from = pick(0, 8), nights = pick(1, 4);
        auto stay = Stay::make(d(from), d(from + nights), d(0));
        ASSERT_TRUE(stay);
        std::vector<const DailyRate*> rows(static_cast<std::size_t>(nights) + 1, nullptr);
        for (const auto& r : rates) {
            const int k = days_between(d(from), r.date);
            if (k >= 0 && k <= nights)
                rows[static_cast<std::size_t>(k)] = &r;
        }
        const auto listed = price_stay(*stay, rates, currency, 0);
        const auto by_day = stay_total(*stay, StayRows{rows}, currency, 0);
        ASSERT_EQ(static_cast<bool>(listed), static_cast<bool>(by_day)) << "round " << round;
        if (listed)
            EXPECT_EQ(listed->total.minor, by_day->minor);
        else
            EXPECT_EQ(listed.error().restriction, by_day.error().restriction);

        // The index's 16-byte rows keep every fact of a row and are judged the same.
        std::vector<PackedRate> packed_rows;
        packed_rows.reserve(rows.size());
        std::vector<const PackedRate*> packed(rows.size(), nullptr);
        for (std::size_t k = 0; k < rows.size(); ++k) {
            if (!rows[k])
                continue;
            packed_rows.emplace_back(*rows[k]);
            packed[k] = &packed_rows.back();
            const auto back = packed_rows.back().unpack(rows[k]->date);
            EXPECT_EQ(back.price_minor, rows[k]->price_minor);
            EXPECT_EQ(back.min_stay, rows[k]->min_stay);
            EXPECT_EQ(back.max_stay, rows[k]->max_stay);
            EXPECT_EQ(back.closed_to_arrival, rows[k]->closed_to_arrival);
            EXPECT_EQ(back.closed_to_departure, rows[k]->closed_to_departure);
            EXPECT_EQ(back.stop_sell, rows[k]->stop_sell);
        }
        const auto by_packed = stay_total(*stay, PackedStayRows{packed}, currency, 0);
        ASSERT_EQ(static_cast<bool>(listed), static_cast<bool>(by_packed)) << "round " << round;
        if (listed)
            EXPECT_EQ(listed->total.minor, by_packed->minor);
        else
            EXPECT_EQ(listed.error().restriction, by_packed.error().restriction);
    }
    EXPECT_TRUE(PackedRate{}.empty()) << "a default row stands for no row";
    DailyRate priced_at_zero;
    priced_at_zero.price_minor = 0;
    EXPECT_FALSE(PackedRate(priced_at_zero).empty()) << "a price of 0 is a price";
}

// The city search in one pass answers what the listing and the search over its windows answer
// together, and each hotel judges the arrival by its own today.
TEST(SearchIndexParts, TheCitySearchAnswersAsTheSearchOverTheCitysWindows) {
    AvailabilityIndex index;
    auto far_east = make_hotel(5, "Delta", "Town");
    far_east.hotel.timezone = "Pacific/Kiritimati";  // UTC+14
    auto far_west = make_hotel(6, "Echo", "Town");
    far_west.hotel.timezone = "Pacific/Pago_Pago";  // UTC-11
    index.replace_all({make_hotel(3, "Charlie", "Town"), make_hotel(1, "Alpha", "town"),
                       make_hotel(2, "Bravo", "TOWN"), far_east, far_west,
                       make_hotel(4, "Elsewhere", "City")});
    index.apply(stay(1, 3001, 21, 10, 12), at(0, 0));
    index.apply(stay(1, 3002, 22, 11, 13), at(0, 0));
    const Instant now = instant(0, 12);
    for (int guests = 1; guests <= 5; guests += 2)
        for (long long offset = 0; offset < 6; offset += 2) {
            std::vector<StayWindow> w;
            for (const auto& h : index.hotels_in_city("Town")) {
                const auto clock = HotelClock::for_zone(h.timezone);
                ASSERT_TRUE(clock);
                if (auto i = stay_interval(h, *clock, d(10), d(12), now))
                    w.push_back({h.id, i->starts, i->ends});
            }
            const auto windowed = index.search(w, d(10), d(12), guests, offset, 2);
            const auto city = index.search_city("TOWN", d(10), d(12), guests, now, offset, 2);
            EXPECT_EQ(city.total, windowed.total) << guests << " guests";
            ASSERT_EQ(city.items.size(), windowed.items.size());
            for (std::size_t i = 0; i < city.items.size(); ++i) {
                EXPECT_EQ(city.items[i].hotel.id, windowed.items[i].hotel.id);
                ASSERT_TRUE(city.items[i].from_price && windowed.items[i].from_price);
                EXPECT_EQ(city.items[i].from_price->minor, windowed.items[i].from_price->minor);
            }
        }
    EXPECT_EQ(index.search_city("Town", d(10), d(12), 2, now, 0, 20).total, 5);
    // At 12:00 UTC on day 0 it is already day 1 at UTC+14 and still day 0 at UTC-11: an
    // arrival on day 0 is past for Delta only.
    const auto today = index.search_city("Town", d(0), d(1), 1, now, 0, 20);
    EXPECT_EQ(today.total, 4);
    for (const auto& hit : today.items)
        EXPECT_NE(hit.hotel.name, "Delta");
    EXPECT_EQ(index.search_city("Nowhere", d(10), d(12), 2, now, 0, 20).total, 0);
}

TEST(SearchIndexParts, DecodesTestDecodingLines) {
    using storage::DecodedChange;
    auto c = storage::decode_change(
        "table public.bookings: INSERT: hotel_id[uuid]:'5d17c56a-5789-4d82-8034-f51706b53e66' "
        "kind[text]:'stay' status[text]:'confirmed' guest_name[text]:'O''Brien ''&'' co' "
        "period[tstzrange]:'[\"2026-12-10 15:00:00+00\",\"2026-12-12 11:00:00+00\")' "
        "total_minor[bigint]:27000 note[text]:null tags[text[]]:'{a,b}' at[timestamp with time "
        "zone]:'2026-11-30 16:28:09.16193+00'");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->table, "bookings");
    EXPECT_EQ(c->kind, DecodedChange::Kind::insert);
    EXPECT_EQ(*c->columns.at("guest_name"), "O'Brien '&' co");
    EXPECT_EQ(*c->columns.at("total_minor"), "27000");
    EXPECT_FALSE(c->columns.at("note").has_value());
    EXPECT_EQ(*c->columns.at("tags"), "{a,b}");
    EXPECT_EQ(*c->columns.at("at"), "2026-11-30 16:28:09.16193+00");
    const auto period = storage::parse_period(*c->columns.at("period"));
    ASSERT_TRUE(period);
    EXPECT_EQ(period->first,
              micros_of(std::chrono::sys_days{*parse_date("2026-12-10")} + std::chrono::hours(15)));
    EXPECT_EQ(period->second - period->first, (44LL * 3600) * 1'000'000);

    auto moved = storage::decode_change(
        "table public.rooms: UPDATE: old-key: hotel_id[uuid]:'a' id[uuid]:'b' new-tuple: "
        "hotel_id[uuid]:'c' id[uuid]:'d'");
    ASSERT_TRUE(moved);
    EXPECT_EQ(*moved->columns.at("hotel_id"), "c") << "the new tuple wins";
    auto gone = storage::decode_change("table public.daily_rates: DELETE: hotel_id[uuid]:'x'");
    ASSERT_TRUE(gone);
    EXPECT_EQ(gone->kind, DecodedChange::Kind::remove);
    auto truncated = storage::decode_change("table public.bookings: TRUNCATE: (no-flags)");
    ASSERT_TRUE(truncated);
    EXPECT_EQ(truncated->kind, DecodedChange::Kind::truncate);
    EXPECT_FALSE(storage::decode_change("BEGIN"));
    EXPECT_FALSE(storage::decode_change("table other.bookings: INSERT: id[uuid]:'x'"));
    EXPECT_FALSE(storage::decode_change("table public.bookings: INSERT: id[uuid]:'unterminated"));
}

TEST(SearchIndexParts, ParsesTimestampsInAnyOffset) {
    const auto base =
        micros_of(std::chrono::sys_days{*parse_date("2026-11-30")} + std::chrono::hours(16));
    EXPECT_EQ(storage::parse_timestamptz("2026-11-30 16:00:00+00"), base);
    EXPECT_EQ(storage::parse_timestamptz("2026-11-30 16:00:00.5+00"), base + 500'000);
    EXPECT_EQ(storage::parse_timestamptz("2026-11-30 16:00:00.000001+00"), base + 1);
    EXPECT_EQ(storage::parse_timestamptz("2026-11-30 21:30:00+05:30"), base);
    EXPECT_EQ(storage::parse_timestamptz("2026-11-30 13:00:00-03"), base);
    EXPECT_FALSE(storage::parse_timestamptz("2026-11-30 16:00:00"));
    EXPECT_FALSE(storage::parse_timestamptz("2026-02-30 16:00:00+00"));
    EXPECT_FALSE(storage::parse_timestamptz("infinity"));
    EXPECT_FALSE(storage::parse_period("empty"));
    EXPECT_FALSE(storage::parse_period("[\"2026-11-30 16:00:00+00\",)"));
}
