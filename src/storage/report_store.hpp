#pragma once
// PostgreSQL implementation of the reports' port (report_sql.hpp).

#include <memory>

#include "core/reports.hpp"
#include "pg/pool.hpp"

namespace hotel::storage {

class PgReportStore final : public core::ReportStore {
  public:
    explicit PgReportStore(std::shared_ptr<pg::Pool> pool) : pool_(std::move(pool)) {}

    Async<std::vector<core::NightCount>> occupancy(std::string hotel_id, core::Date from,
                                                   core::Date to) override;
    Async<core::BooksCounts> on_the_books(std::string hotel_id, core::Date from, core::Date to,
                                          core::Instant as_of) override;

  private:
    std::shared_ptr<pg::Pool> pool_;
};

}  // namespace hotel::storage
