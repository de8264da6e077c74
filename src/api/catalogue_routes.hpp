#pragma once
// The catalogue's routes, one file per resource, and shopping.

#include <boost/asio/awaitable.hpp>
#include <string>

#include "api/routes.hpp"
#include "core/catalogue_service.hpp"

namespace boost::json {
class object;
class array;
}  // namespace boost::json

namespace hotel::api {

class Call;

// DELETE {pattern}: retires (or lifts) the item named by the path parameter `item_param` of the
// hotel {id}, answering 204 (room_routes.cpp).
using Retire = core::CatalogueService::Async<core::Unit> (core::CatalogueService::*)(
    const core::Caller&, std::string, std::string);
void add_retire_route(http::Router& router, Services& s, std::string_view pattern,
                      std::string item_param, Retire retire);

// A plan's inclusions as the API shows them, amounts in `currency` (rate_routes.cpp).
boost::json::array inclusions_json(const std::vector<core::Inclusion>& inclusions,
                                   core::Currency currency);

// A period out of service as the API shows it (room_routes.cpp).
boost::json::object out_of_service_json(const core::OutOfService& o);

void add_hotel_routes(http::Router& router, Services& services);     // hotels
void add_shopping_routes(http::Router& router, Services& services);  // search, offers
void add_room_routes(http::Router& router, Services& services);      // room types, rooms
void add_rate_routes(http::Router& router, Services& services);      // plans, rates

// Offers of a hotel for the stay in the query (shopping_routes.cpp); also answers the dated
// form of GET /v1/hotels/{id}/rooms.
boost::asio::awaitable<http::Response> offers_response(Services& s, Call& c,
                                                       const std::string& hotel_id);

}  // namespace hotel::api
