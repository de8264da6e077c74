#pragma once
#include "api/routes.hpp"

namespace boost::json {
class object;
}
namespace hotel::core {
struct Booking;
struct InvoiceDocument;
}

namespace hotel::api {

// The Booking representation of API.md. `with_room`: staff always, guests from check-in on.
boost::json::object booking_json(const core::Booking& b, bool with_room);
// An invoice or credit note with its lines.
boost::json::object invoice_json(const core::InvoiceDocument& d);

// POST /v1/bookings, GET /v1/bookings/{id}, GET /v1/bookings, DELETE /v1/bookings/{id}.
void add_booking_routes(http::Router& router, Services& services);
// The front desk: arrivals, departures, in house, the room chart (front_desk_routes.cpp).
void add_front_desk_routes(http::Router& router, Services& services);

}  // namespace hotel::api
