#pragma once
#include "api/routes.hpp"

namespace hotel::api {

// POST /v1/bookings, GET /v1/bookings/{id}, GET /v1/bookings, DELETE /v1/bookings/{id}.
void add_booking_routes(http::Router& router, Services& services);

}  // namespace hotel::api
