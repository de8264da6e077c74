#include "storage/shopping_store.hpp"

#include "storage/catalogue_store.hpp"
#include "storage/shopping_sql.hpp"

namespace hotel::storage {

namespace asio = boost::asio;

namespace {
pg::Timestamp ts(core::Instant t) {
    return std::chrono::time_point_cast<std::chrono::microseconds>(t);
}
}  // namespace

asio::awaitable<std::vector<core::Hotel>> PgShoppingStore::hotels_in_city(std::string city) {
    auto rows = co_await pool_->query(sql::city_hotels, city);
    co_return hotels_from(rows);
}

asio::awaitable<core::HotelHits> PgShoppingStore::search(std::vector<core::StayWindow> stays,
                                                         core::Date check_in, core::Date check_out,
                                                         int guests, long long offset,
                                                         long long limit) {
    std::vector<pg::Uuid> ids;
    std::vector<pg::Timestamp> starts, ends;
    for (const auto& s : stays) {
        ids.push_back(pg::Uuid{s.hotel_id});
        starts.push_back(ts(s.starts));
        ends.push_back(ts(s.ends));
    }
    const std::int32_t nights = core::days_between(check_in, check_out);
    const std::int32_t people = guests;
    const std::int64_t skip = offset;
    const std::int64_t take = limit;
    auto rows = co_await pool_->query(sql::hotel_search, ids, starts, ends, check_in, check_out,
                                      nights, people, skip, take);
    core::HotelHits hits;
    for (int i = 0; i < rows.size(); ++i) {
        core::Hotel h;
        h.id = rows.get_as<pg::Uuid>(i, 0).text;
        h.name = rows.get_as<std::string>(i, 1);
        h.city = rows.get_as<std::string>(i, 2);
        h.country = rows.get_as<std::string>(i, 3);
        h.timezone = rows.get_as<std::string>(i, 4);
        h.currency = rows.get_as<std::string>(i, 5);
        const auto currency = core::Currency::of(h.currency).value_or(core::Currency{});
        hits.items.push_back({h, core::Money{rows.get_as<std::int64_t>(i, 6), currency}});
        hits.total = rows.get_as<std::int64_t>(i, 7);
    }
    if (rows.empty() && offset > 0) {
        // A page past the end: count without paging.
        const std::int64_t zero = 0, one = 1;
        auto first = co_await pool_->query(sql::hotel_search, ids, starts, ends, check_in,
                                           check_out, nights, people, zero, one);
        if (!first.empty())
            hits.total = first.get_as<std::int64_t>(0, 7);
    }
    co_return hits;
}

asio::awaitable<std::vector<core::TypeAvailability>> PgShoppingStore::free_rooms(
    std::string hotel_id, core::Instant starts, core::Instant ends) {
    const pg::Uuid hotel{hotel_id};
    const auto a = ts(starts);
    const auto b = ts(ends);
    auto rows = co_await pool_->query(sql::room_types_free, hotel, a, b);
    std::vector<core::TypeAvailability> out;
    for (auto& [id, code, name, occupancy, free] :
         rows.all<pg::Uuid, std::string, std::string, std::int32_t, std::int32_t>()) {
        core::RoomType t;
        t.id = id.text;
        t.hotel_id = hotel_id;
        t.code = code;
        t.name = name;
        t.max_occupancy = occupancy;
        out.push_back({t, free});
    }
    co_return out;
}

asio::awaitable<std::vector<core::RateCell>> PgShoppingStore::rates_for_stay(std::string hotel_id,
                                                                             core::Date check_in,
                                                                             core::Date check_out) {
    const pg::Uuid hotel{hotel_id};
    auto rows = co_await pool_->query(sql::hotel_rates_for_stay, hotel, check_in, check_out);
    co_return rate_cells_from(rows);
}

asio::awaitable<std::vector<core::Destination>> PgShoppingStore::destinations(std::string prefix,
                                                                              int limit) {
    const std::int32_t take = limit;
    auto rows = co_await pool_->query(sql::destinations_by_prefix, prefix, take);
    std::vector<core::Destination> out;
    for (auto& [city, country, hotels] : rows.all<std::string, std::string, std::int32_t>())
        out.push_back({city, country, hotels});
    co_return out;
}

}  // namespace hotel::storage
