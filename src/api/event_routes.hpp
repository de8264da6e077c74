#pragma once
#include "api/routes.hpp"

namespace hotel::api {

// Events out: a hotel's event feed and its webhook subscriptions (event_routes.cpp).
void add_event_routes(http::Router& router, Services& services);

}  // namespace hotel::api
