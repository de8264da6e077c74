#include "storage/report_store.hpp"

#include "storage/report_sql.hpp"

namespace hotel::storage {

namespace asio = boost::asio;

// Statement arguments are named locals: GCC 12 destroys temporaries of a co_await
// full-expression twice (docs/ARCHITECTURE.md).

asio::awaitable<std::vector<core::NightCount>> PgReportStore::occupancy(std::string hotel_id,
                                                                        core::Date from,
                                                                        core::Date to) {
    const pg::Uuid hotel{hotel_id};
    auto rows = co_await pool_->query(sql::report_occupancy, hotel, from, to);
    std::vector<core::NightCount> out;
    out.reserve(static_cast<std::size_t>(rows.size()));
    for (auto& [night, live, out_of_service, sold, revenue] :
         rows.all<core::Date, std::int64_t, std::int64_t, std::int64_t, std::int64_t>())
        out.push_back({night, live, out_of_service, sold, revenue});
    co_return out;
}

asio::awaitable<core::BooksCounts> PgReportStore::on_the_books(std::string hotel_id,
                                                               core::Date from, core::Date to,
                                                               core::Instant as_of) {
    const pg::Uuid hotel{hotel_id};
    const pg::Timestamp at = std::chrono::time_point_cast<std::chrono::microseconds>(as_of);
    core::BooksCounts out;
    auto rows = co_await pool_->query(sql::report_on_the_books, hotel, from, to, at);
    for (auto& [night, then_nights, then_minor, now_nights, now_minor] :
         rows.all<core::Date, std::int64_t, std::int64_t, std::int64_t, std::int64_t>())
        out.dates.push_back({night, then_nights, then_minor, now_nights, now_minor});
    co_return out;
}

}  // namespace hotel::storage
