#pragma once
#include "api/routes.hpp"

namespace hotel::api {

// POST /v1/auth/register, POST /v1/auth/login, GET /v1/me, POST /v1/users.
void add_identity_routes(http::Router& router, Services& services);

}  // namespace hotel::api
