#pragma once
// The catalogue's routes, one file per resource, and shopping.

#include <boost/asio/awaitable.hpp>
#include <string>

#include "api/routes.hpp"

namespace hotel::api {

class Call;

void add_hotel_routes(http::Router& router, Services& services);     // hotels
void add_shopping_routes(http::Router& router, Services& services);  // search, offers
void add_room_routes(http::Router& router, Services& services);      // room types, rooms
void add_rate_routes(http::Router& router, Services& services);      // plans, rates

// Offers of a hotel for the stay in the query (shopping_routes.cpp); also answers the dated
// form of GET /v1/hotels/{id}/rooms.
boost::asio::awaitable<http::Response> offers_response(Services& s, Call& c,
                                                       const std::string& hotel_id);

}  // namespace hotel::api
