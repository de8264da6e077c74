#pragma once
#include <memory>

#include "core/shopping.hpp"
#include "pg/pool.hpp"

namespace hotel::storage {

class PgShoppingStore final : public core::ShoppingStore {
  public:
    explicit PgShoppingStore(std::shared_ptr<pg::Pool> pool) : pool_(std::move(pool)) {}
    Async<std::vector<core::Hotel>> hotels_in_city(std::string city) override;
    Async<core::HotelHits> search(std::vector<core::StayWindow> stays, core::Date check_in,
                                  core::Date check_out, int guests, long long offset,
                                  long long limit) override;
    Async<std::vector<core::TypeAvailability>> free_rooms(std::string hotel_id,
                                                          core::Instant starts,
                                                          core::Instant ends) override;
    Async<std::vector<core::RateCell>> rates_for_stay(std::string hotel_id, core::Date check_in,
                                                      core::Date check_out) override;

  private:
    std::shared_ptr<pg::Pool> pool_;
};

}  // namespace hotel::storage
