#pragma once
#include "api/routes.hpp"

namespace hotel::api {

// Hotels, room types, rooms, out-of-service periods, rate plans, rates, availability.
void add_catalogue_routes(http::Router& router, Services& services);

}  // namespace hotel::api
