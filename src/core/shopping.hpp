#pragma once
// Shopping: which hotels of a city can sell a stay, from what price, and the priced offers of
// one hotel. Pricing follows core/pricing.hpp exactly, so an offer can be booked at its price
// (unless someone takes the last room meanwhile).

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/catalogue.hpp"
#include "core/money.hpp"
#include "core/pricing.hpp"
#include "core/result.hpp"

namespace hotel::core {

struct HotelHit {
    Hotel hotel;
    std::optional<Money> from_price;
};

struct HotelHits {
    std::vector<HotelHit> items;
    long long total = 0;
};

struct StayWindow {
    std::string hotel_id;
    Instant starts;
    Instant ends;
};

// When a stay of these dates holds a room of `hotel`, whose zone `clock` is: from its check-in
// time on the arrival day to its check-out time on the departure day. nullopt when the arrival
// day has already passed in the hotel's zone at `now` (its own today judges the arrival).
struct StayInterval {
    Instant starts;
    Instant ends;
};
class HotelClock;
std::optional<StayInterval> stay_interval(const Hotel& hotel, const HotelClock& clock,
                                          Date check_in, Date check_out, Instant now);

// A city that has hotels, as the destination lookup lists it.
struct Destination {
    std::string city;
    std::string country;
    int hotels = 0;
};

struct TypeAvailability {
    RoomType type;
    int available = 0;  // rooms free for the whole stay
};

struct RateCell {
    std::string room_type_id;
    std::string rate_plan_id;
    DailyRate rate;
};

class ShoppingStore {
  public:
    virtual ~ShoppingStore() = default;
    template <class T>
    using Async = boost::asio::awaitable<T>;
    virtual Async<std::vector<Hotel>> hotels_in_city(std::string city) = 0;
    virtual Async<HotelHits> search(std::vector<StayWindow> stays, Date check_in, Date check_out,
                                    int guests, long long offset, long long limit) = 0;
    // The city search in one question: the hotels of `city` that can sell the stay (their
    // stay_interval at `now`), ranked by total, name and id, one page of them. By default the
    // two questions above in turn; the search index answers it without them.
    virtual Async<HotelHits> search_city(std::string city, Date check_in, Date check_out,
                                         int guests, Instant now, long long offset,
                                         long long limit);
    virtual Async<std::vector<TypeAvailability>> free_rooms(std::string hotel_id, Instant starts,
                                                            Instant ends) = 0;
    virtual Async<std::vector<RateCell>> rates_for_stay(std::string hotel_id, Date check_in,
                                                        Date check_out) = 0;
    virtual Async<std::optional<Hotel>> find_hotel(std::string hotel_id) = 0;
    virtual Async<std::vector<RatePlan>> rate_plans(std::string hotel_id) = 0;
    // Cities starting with `prefix`, without regard to case or accents; the biggest first.
    virtual Async<std::vector<Destination>> destinations(std::string prefix, int limit) = 0;
};

struct SearchQuery {
    std::string city;
    std::optional<Date> check_in;
    std::optional<Date> check_out;
    int guests = 1;
    long long page = 1;
    long long per_page = 20;
};

struct Offer {
    RatePlan plan;
    Quote quote;
    std::optional<Instant> free_until;
    std::string penalty;  // first_night | full_stay | percent:P
};

struct RoomTypeOffers {
    RoomType type;
    int available = 0;
    std::vector<Offer> offers;
};

struct ShoppingError {
    enum class Kind { invalid, unprocessable, not_found } kind;
    std::string field;
    std::string message;
};

class ShoppingService {
  public:
    template <class T>
    using Async = boost::asio::awaitable<Result<T, ShoppingError>>;

    ShoppingService(ShoppingStore& store, std::function<Instant()> clock)
        : store_(store), clock_(std::move(clock)) {}

    Async<HotelHits> search(SearchQuery query);
    Async<std::vector<RoomTypeOffers>> offers(std::string hotel_id, Date check_in, Date check_out,
                                              int guests);
    // At most 20 cities whose name starts with `query` (1-100 characters).
    Async<std::vector<Destination>> destinations(std::string query);

  private:
    ShoppingStore& store_;
    std::function<Instant()> clock_;
};

}  // namespace hotel::core
