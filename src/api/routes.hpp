#pragma once
// Wires every resource's handlers into one router.

#include <memory>

#include "http/router.hpp"

namespace hotel::pg {
class Pool;
}
namespace hotel::core {
class IdentityService;
class UserStore;
class CatalogueService;
class BookingService;
class ShoppingService;
}  // namespace hotel::core
namespace hotel::http {
class JwtCodec;
struct ServerStats;
}  // namespace hotel::http

namespace hotel::api {

// What handlers need from the outside world. Grows as resources arrive (stores, clock, ...).
struct Services {
    std::shared_ptr<pg::Pool> pool;
    std::shared_ptr<const http::JwtCodec> tokens;
    core::UserStore* users = nullptr;
    core::IdentityService* identity = nullptr;
    core::CatalogueService* catalogue = nullptr;
    core::BookingService* bookings = nullptr;
    core::ShoppingService* shopping = nullptr;
    const http::ServerStats* server_stats = nullptr;  // set once the server exists
};

http::Router make_router(Services& services);

}  // namespace hotel::api
