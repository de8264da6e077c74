#pragma once
#include "api/routes.hpp"

namespace hotel::api {

// POST /v1/auth/register, /v1/auth/login, /v1/auth/refresh, /v1/auth/logout, GET /v1/me,
// POST /v1/users, PATCH /v1/users/{id}.
void add_identity_routes(http::Router& router, Services& services);

}  // namespace hotel::api
