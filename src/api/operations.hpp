#pragma once
#include "api/routes.hpp"

namespace hotel::api {

// GET /health and the other unauthenticated operational endpoints.
void add_operation_routes(http::Router& router, Services& services);

}  // namespace hotel::api
