#pragma once
#include "api/routes.hpp"

namespace hotel::api {

// The managers' reports: occupancy and pickup of a hotel (report_routes.cpp).
void add_report_routes(http::Router& router, Services& services);

}  // namespace hotel::api
