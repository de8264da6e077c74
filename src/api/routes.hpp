#pragma once
// Wires every resource's handlers into one router.

#include "http/router.hpp"

namespace hotel::api {

struct Services {
    // Grows as resources arrive (database pool, stores, clock, ...).
};

http::Router make_router(Services& services);

}  // namespace hotel::api
