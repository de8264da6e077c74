#include "api/routes.hpp"

#include "api/booking_routes.hpp"
#include "api/catalogue_routes.hpp"
#include "api/event_routes.hpp"
#include "api/identity_routes.hpp"
#include "api/operations.hpp"
#include "api/report_routes.hpp"

namespace hotel::api {

http::Router make_router(Services& services) {
    http::Router router;
    add_operation_routes(router, services);
    add_identity_routes(router, services);
    add_hotel_routes(router, services);
    add_shopping_routes(router, services);
    add_room_routes(router, services);
    add_rate_routes(router, services);
    add_booking_routes(router, services);
    add_front_desk_routes(router, services);
    add_report_routes(router, services);
    add_event_routes(router, services);
    return router;
}

}  // namespace hotel::api
