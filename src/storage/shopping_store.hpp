#pragma once
#include <memory>

#include "core/catalogue_ports.hpp"
#include "core/shopping.hpp"
#include "pg/pool.hpp"

namespace hotel::storage {

class PgShoppingStore final : public core::ShoppingStore {
  public:
    // Hotels and rate plans are the catalogue's reads.
    PgShoppingStore(std::shared_ptr<pg::Pool> pool, core::CatalogueStore& catalogue)
        : pool_(std::move(pool)), catalogue_(catalogue) {}
    Async<std::vector<core::Hotel>> hotels_in_city(std::string city) override;
    Async<core::HotelHits> search(std::vector<core::StayWindow> stays, core::Date check_in,
                                  core::Date check_out, int guests, long long offset,
                                  long long limit) override;
    Async<std::vector<core::TypeAvailability>> free_rooms(std::string hotel_id,
                                                          core::Instant starts,
                                                          core::Instant ends) override;
    Async<std::vector<core::RateCell>> rates_for_stay(std::string hotel_id, core::Date check_in,
                                                      core::Date check_out) override;
    Async<std::optional<core::Hotel>> find_hotel(std::string hotel_id) override {
        return catalogue_.find_hotel(std::move(hotel_id));
    }
    Async<std::vector<core::RatePlan>> rate_plans(std::string hotel_id) override {
        return catalogue_.rate_plans(std::move(hotel_id));
    }
    Async<std::vector<core::Destination>> destinations(std::string prefix, int limit) override;

  private:
    std::shared_ptr<pg::Pool> pool_;
    core::CatalogueStore& catalogue_;
};

}  // namespace hotel::storage
