#include "storage/statements.hpp"

namespace hotel::storage::sql {

const std::vector<pg::Statement>& all() {
    static const std::vector<pg::Statement> statements = {
        ping,
        user_insert,
        user_hotels_insert,
        user_by_email,
        user_by_id,
        login_blocked_for,
        login_failure_insert,
        login_failures_prune,
        hotel_insert,
        hotel_by_id,
        hotel_update,
        hotel_has_money,
        room_type_insert,
        room_types_of_hotel,
        room_insert,
        rooms_of_hotel,
        rate_plan_insert,
        rate_plans_of_hotel,
        rates_upsert,
        rate_targets_exist,
        rates_in_range,
        out_of_service_insert,
        availability_by_type,
        booking_context,
        booking_rates,
        room_allocate,
        booking_insert,
        booking_nights_insert,
        invoice_number_next,
        invoice_insert,
        invoice_night_lines_insert,
        invoice_line_insert,
        booking_event_insert,
        idempotency_lock,
        idempotency_unlock,
        idempotency_lookup,
        idempotency_insert,
        idempotency_cleanup_batch,
        booking_by_id,
        bookings_page,
        bookings_count,
        booking_cancel,
        booking_state_of,
        invoices_void,
        test_gateway_authorize,
        test_gateway_void,
    };
    return statements;
}

}  // namespace hotel::storage::sql
