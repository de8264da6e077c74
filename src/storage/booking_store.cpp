#include "storage/booking_store.hpp"

#include <random>

#include "pg/error.hpp"
#include "storage/catalogue_store.hpp"
#include "storage/migration_set.hpp"
#include "storage/booking_sql.hpp"

namespace hotel::storage {

namespace asio = boost::asio;
using core::Booking;

// Statement arguments are named locals throughout: GCC 12 destroys temporaries of a co_await
// full-expression twice (docs/ARCHITECTURE.md).

namespace {

pg::Timestamp ts(core::Instant t) {
    return std::chrono::time_point_cast<std::chrono::microseconds>(t);
}
core::Instant instant(pg::Timestamp t) {
    return std::chrono::floor<std::chrono::seconds>(t);
}

core::Currency currency_of(const std::string& code) {
    return core::Currency::of(code).value_or(core::Currency{});
}

// A held Idempotency-Key: the claim row's id. Nothing is held on the database side but the
// row's lease, so a request that dies unfinished blocks its key only until the lease lapses.
class PgClaim final : public core::IdempotencyClaim {
  public:
    PgClaim(std::string user, std::string key, pg::Uuid id)
        : user(std::move(user)), key(std::move(key)), id(std::move(id)) {}
    std::string user;
    std::string key;
    pg::Uuid id;
};

Booking booking_from(const pg::Rows& rows, int i) {
    Booking b;
    b.id = rows.get_as<pg::Uuid>(i, 0).text;
    b.state = core::BookingState::restore(core::parse_booking_status(rows.get_as<std::string>(i, 1))
                                              .value_or(core::BookingStatus::confirmed));
    b.hotel_id = rows.get_as<pg::Uuid>(i, 2).text;
    b.room_type_id = rows.get_as<pg::Uuid>(i, 3).text;
    b.rate_plan_id = rows.get_as<pg::Uuid>(i, 4).text;
    b.guest_id = rows.get_as<pg::Uuid>(i, 5).text;
    b.guest_name = rows.get_as<std::string>(i, 6);
    b.guests = rows.get_as<std::int32_t>(i, 7);
    b.check_in = rows.get_as<core::Date>(i, 8);
    b.check_out = rows.get_as<core::Date>(i, 9);
    b.check_in_at = instant(rows.get_as<pg::Timestamp>(i, 10));
    b.check_out_at = instant(rows.get_as<pg::Timestamp>(i, 11));
    const auto currency = currency_of(rows.get_as<std::string>(i, 12));
    b.total = core::Money{rows.get_as<std::int64_t>(i, 13), currency};
    if (auto t = rows.get_as<std::optional<pg::Timestamp>>(i, 14))
        b.free_until = instant(*t);
    b.penalty = rows.get_as<std::optional<std::string>>(i, 15).value_or("non_refundable");
    if (auto f = rows.get_as<std::optional<std::int64_t>>(i, 16))
        b.cancellation_fee = core::Money{*f, currency};
    b.room_id = rows.get_as<pg::Uuid>(i, 17).text;
    b.room_number = rows.get_as<std::string>(i, 18);
    b.card_last4 = rows.get_as<std::optional<std::string>>(i, 19);
    b.transaction_id = rows.get_as<std::optional<std::string>>(i, 20);
    b.special_requests = rows.get_as<std::optional<std::string>>(i, 21);
    b.version = rows.get_as<std::int32_t>(i, 22);
    b.created_at = instant(rows.get_as<pg::Timestamp>(i, 23));
    b.updated_at = instant(rows.get_as<pg::Timestamp>(i, 24));
    if (auto inv = rows.get_as<std::optional<pg::Uuid>>(i, 25)) {
        b.invoice.id = inv->text;
        b.invoice.number = rows.get_as<std::int64_t>(i, 26);
        b.invoice.status = rows.get_as<std::string>(i, 27);
        b.invoice.total = core::Money{rows.get_as<std::int64_t>(i, 28), currency};
    }
    const auto nights = rows.get_as<std::optional<std::vector<core::Date>>>(i, 29).value_or(
        std::vector<core::Date>{});
    const auto amounts = rows.get_as<std::optional<std::vector<std::int64_t>>>(i, 30).value_or(
        std::vector<std::int64_t>{});
    for (std::size_t k = 0; k < nights.size() && k < amounts.size(); ++k)
        b.nightly.push_back({nights[k], core::Money{amounts[k], currency}});
    b.hotel_timezone = rows.get_as<std::optional<std::string>>(i, 31).value_or("UTC");
    b.fee_floor = core::Money{rows.get_as<std::int64_t>(i, 32), currency};
    return b;
}

std::string event_payload(const std::string& key, long long value) {
    return "{\"" + key + "\":" + std::to_string(value) + "}";
}

// A guarded change (by status and version) matched no row: roll back and say why.
asio::awaitable<core::ChangeError> unchanged_reason(pg::Connection& conn, pg::Uuid hotel,
                                                    pg::Uuid id, std::string expected_status,
                                                    pg::Deadline deadline) {
    pg::Params params{pg::to_param(hotel), pg::to_param(id)};
    auto state = co_await conn.execute(sql::booking_state_of, std::move(params), deadline);
    co_await conn.execute(pg::Sql("ROLLBACK"), {}, deadline);
    if (state.empty())
        co_return core::ChangeError::not_found;
    if (state.get_as<std::string>(0, 0) != expected_status)
        co_return core::ChangeError::state_changed;
    co_return core::ChangeError::version_mismatch;
}

}  // namespace

asio::awaitable<core::BookingContext> PgBookingStore::context(std::string hotel_id,
                                                              std::string room_type_id,
                                                              std::string rate_plan_id,
                                                              core::Date first_night,
                                                              core::Date departure) {
    core::BookingContext ctx;
    const pg::Uuid hotel{hotel_id};
    const pg::Uuid type{room_type_id};
    const pg::Uuid plan{rate_plan_id};
    auto rows = co_await pool_->query(sql::booking_context, hotel, type, plan);
    if (rows.empty())
        co_return ctx;
    core::Hotel h;
    h.id = rows.get_as<pg::Uuid>(0, 0).text;
    h.name = rows.get_as<std::string>(0, 1);
    h.city = rows.get_as<std::string>(0, 2);
    h.country = rows.get_as<std::string>(0, 3);
    h.timezone = rows.get_as<std::string>(0, 4);
    h.currency = rows.get_as<std::string>(0, 5);
    h.check_in_time =
        core::parse_time_of_day(rows.get_as<std::string>(0, 6)).value_or(core::TimeOfDay{15, 0});
    h.check_out_time =
        core::parse_time_of_day(rows.get_as<std::string>(0, 7)).value_or(core::TimeOfDay{11, 0});
    ctx.hotel = h;
    if (!rows.is_null(0, 8)) {
        core::RoomType t;
        t.id = room_type_id;
        t.hotel_id = hotel_id;
        t.max_occupancy = rows.get_as<std::int32_t>(0, 9);
        ctx.room_type = t;
    }
    if (!rows.is_null(0, 10)) {
        core::RatePlan p;
        p.id = rate_plan_id;
        p.hotel_id = hotel_id;
        p.policy.refundable = rows.get_as<bool>(0, 11);
        if (p.policy.refundable) {
            p.policy.free_cancellation_hours =
                rows.get_as<std::optional<std::int32_t>>(0, 12).value_or(0);
            p.policy.penalty =
                core::Penalty::parse(rows.get_as<std::optional<std::string>>(0, 13).value_or(""))
                    .value_or(core::Penalty{core::Penalty::Kind::full_stay, 0});
        }
        ctx.rate_plan = p;
    }
    if (!ctx.room_type || !ctx.rate_plan)
        co_return ctx;
    auto rates =
        co_await pool_->query(sql::booking_rates, hotel, type, plan, first_night, departure);
    for (int i = 0; i < rates.size(); ++i)
        ctx.rates.push_back(daily_rate_from(rates, i));
    co_return ctx;
}

asio::awaitable<core::Result<std::unique_ptr<core::IdempotencyClaim>, core::ClaimError>>
PgBookingStore::claim(std::string user_id, std::string key, std::string request_body) {
    const pg::Uuid user{user_id};
    const std::string request_hash = sha256_hex(request_body);
    const auto lease = static_cast<std::int32_t>(lease_.count());
    auto rows = co_await pool_->query(sql::idempotency_claim, user, key, request_hash, lease);
    if (rows.empty())
        co_return core::fail(core::ClaimError::taken);
    std::unique_ptr<core::IdempotencyClaim> claim =
        std::make_unique<PgClaim>(std::move(user_id), std::move(key), rows.get_as<pg::Uuid>(0, 0));
    co_return claim;
}

asio::awaitable<std::optional<core::StoredResponse>> PgBookingStore::stored_response(
    std::string user_id, std::string key, std::string request_body) {
    const pg::Uuid user{user_id};
    auto rows = co_await pool_->query(sql::idempotency_lookup, user, key);
    if (rows.empty())
        co_return std::nullopt;
    core::StoredResponse r;
    r.same_request = rows.get_as<std::string>(0, 0) == sha256_hex(request_body);
    r.status = rows.get_as<std::int32_t>(0, 1);
    r.body = rows.get_as<std::optional<std::string>>(0, 2).value_or("");
    co_return r;
}

asio::awaitable<void> PgBookingStore::release(std::unique_ptr<core::IdempotencyClaim> claim) {
    auto& c = static_cast<PgClaim&>(*claim);
    const pg::Uuid user{c.user};
    co_await pool_->query(sql::idempotency_release, user, c.key, c.id);
}

asio::awaitable<core::Result<Booking, core::CreateError>> PgBookingStore::create(
    core::NewBooking nb, core::KeyedRequest keyed, core::ResponseRenderer render) {
    // One call of book_stay (migration 0008) writes the whole booking: without a key it is one
    // statement, one round trip and its own transaction. With a key, the key's record is
    // completed in the same transaction, so that a retry after a lost 201 finds it.
    auto conn = co_await pool_->acquire();
    const auto deadline = [this] { return pool_->query_deadline(); };
    if (keyed.claim)
        co_await conn->execute(pg::Sql("BEGIN"), {}, deadline());

    const pg::Uuid hotel{nb.hotel_id};
    const pg::Uuid type{nb.room_type_id};
    const pg::Uuid plan{nb.rate_plan_id};
    const pg::Uuid guest{nb.guest_id};
    const pg::Uuid actor{nb.actor_id};
    const std::optional<std::string> guest_name =
        nb.guest_name.empty() ? std::nullopt : std::optional<std::string>(nb.guest_name);
    const std::optional<pg::Timestamp> free_until =
        nb.free_until ? std::optional<pg::Timestamp>(ts(*nb.free_until)) : std::nullopt;
    const std::optional<std::int32_t> unsecured_limit =
        nb.unsecured_limit ? std::optional<std::int32_t>(*nb.unsecured_limit) : std::nullopt;
    std::vector<core::Date> nights;
    std::vector<std::int64_t> amounts;
    for (const auto& n : nb.nightly) {
        nights.push_back(n.date);
        amounts.push_back(n.amount.minor);
    }
    pg::Params params{pg::to_param(hotel),
                      pg::to_param(type),
                      pg::to_param(plan),
                      pg::to_param(guest),
                      pg::to_param(guest_name),
                      pg::to_param(std::int32_t{nb.guests}),
                      pg::to_param(nb.check_in),
                      pg::to_param(nb.check_out),
                      pg::to_param(ts(nb.check_in_at)),
                      pg::to_param(ts(nb.check_out_at)),
                      std::string(nb.total.currency.code()),
                      pg::to_param(nb.total.minor),
                      pg::to_param(free_until),
                      nb.penalty,
                      pg::to_param(nb.card_last4),
                      pg::to_param(nb.transaction_id),
                      pg::to_param(nb.special_requests),
                      pg::to_param(actor),
                      pg::to_param(nights),
                      pg::to_param(amounts),
                      pg::to_param(unsecured_limit)};
    auto rows = co_await conn->execute(sql::book_stay, std::move(params), deadline());
    const auto outcome = rows.get_as<std::string>(0, 0);
    if (outcome != "booked") {
        if (keyed.claim)
            co_await conn->execute(pg::Sql("ROLLBACK"), {}, deadline());
        co_return core::fail(outcome == "limit_reached" ? core::CreateError::limit_reached
                                                        : core::CreateError::sold_out);
    }
    const auto booking_id = rows.get_as<pg::Uuid>(0, 1);
    const auto room_id = rows.get_as<pg::Uuid>(0, 2);
    const auto room_number = rows.get_as<std::string>(0, 3);
    const auto invoice_id = rows.get_as<pg::Uuid>(0, 4);
    const auto number = rows.get_as<std::int64_t>(0, 5);
    const auto created_at = rows.get_as<pg::Timestamp>(0, 6);

    Booking b;
    b.id = booking_id.text;
    b.hotel_id = nb.hotel_id;
    b.room_type_id = nb.room_type_id;
    b.rate_plan_id = nb.rate_plan_id;
    b.guest_id = nb.guest_id;
    b.guest_name = nb.guest_name;
    b.guests = nb.guests;
    b.check_in = nb.check_in;
    b.check_out = nb.check_out;
    b.check_in_at = nb.check_in_at;
    b.check_out_at = nb.check_out_at;
    b.total = nb.total;
    b.nightly = nb.nightly;
    b.free_until = nb.free_until;
    b.penalty = nb.penalty;
    b.room_id = room_id.text;
    b.room_number = room_number;
    b.card_last4 = nb.card_last4;
    b.transaction_id = nb.transaction_id;
    b.special_requests = nb.special_requests;
    b.invoice = core::Invoice{invoice_id.text, number, "issued", nb.total};
    b.fee_floor = core::Money{0, nb.total.currency};
    b.version = 1;
    b.created_at = instant(created_at);
    b.updated_at = b.created_at;

    if (keyed.claim) {
        // A claim that lapsed and was taken over means another request owns the key now: no
        // booking.
        pg::Params key_params{pg::to_param(pg::Uuid{keyed.user_id}),
                              keyed.key,
                              pg::to_param(static_cast<PgClaim*>(keyed.claim)->id),
                              pg::to_param(std::int32_t{201}),
                              render(b),
                              pg::to_param(hotel),
                              pg::to_param(booking_id)};
        auto completed =
            co_await conn->execute(sql::idempotency_complete, std::move(key_params), deadline());
        if (completed.affected() != 1) {
            co_await conn->execute(pg::Sql("ROLLBACK"), {}, deadline());
            co_return core::fail(core::CreateError::claim_lost);
        }
        co_await conn->execute(pg::Sql("COMMIT"), {}, deadline());
    }
    co_return b;
}

asio::awaitable<std::optional<Booking>> PgBookingStore::find(std::string booking_id) {
    if (!pg::Uuid::valid(booking_id))
        co_return std::nullopt;
    const pg::Uuid id{booking_id};
    auto rows = co_await pool_->query(sql::booking_by_id, id);
    if (rows.empty())
        co_return std::nullopt;
    co_return booking_from(rows, 0);
}

asio::awaitable<core::BookingPage> PgBookingStore::list(core::BookingFilter f) {
    std::optional<pg::Uuid> guest;
    if (f.guest_id)
        guest = pg::Uuid{*f.guest_id};
    std::optional<std::vector<pg::Uuid>> hotels;
    if (f.hotels) {
        hotels.emplace();
        for (const auto& h : *f.hotels)
            hotels->push_back(pg::Uuid{h});
    }
    std::optional<pg::Uuid> hotel;
    if (f.hotel_id)
        hotel = pg::Uuid{*f.hotel_id};
    std::optional<std::string> status;
    if (f.status)
        status = std::string(core::to_string(*f.status));
    pg::Params filter{pg::to_param(guest),  pg::to_param(hotels), pg::to_param(hotel),
                      pg::to_param(status), pg::to_param(f.from), pg::to_param(f.to)};
    auto count = co_await pool_->query_params(sql::bookings_count, filter);
    pg::Params page = filter;
    page.push_back(pg::to_param(static_cast<std::int64_t>(f.offset)));
    page.push_back(pg::to_param(static_cast<std::int64_t>(f.limit)));
    auto rows = co_await pool_->query_params(sql::bookings_page, std::move(page));
    core::BookingPage out;
    out.total = count.scalar<std::int64_t>();
    for (int i = 0; i < rows.size(); ++i)
        out.items.push_back(booking_from(rows, i));
    co_return out;
}

asio::awaitable<core::Result<Booking, core::ChangeError>> PgBookingStore::cancel(
    Booking b, core::Money fee, std::string actor_id) {
    const pg::Uuid hotel{b.hotel_id};
    const pg::Uuid id{b.id};
    const pg::Uuid actor{actor_id};
    auto conn = co_await pool_->acquire();
    const auto deadline = [this] { return pool_->query_deadline(); };
    co_await conn->execute(pg::Sql("BEGIN"), {}, deadline());
    pg::Params cancel_params{pg::to_param(hotel), pg::to_param(id), pg::to_param(fee.minor),
                             pg::to_param(std::int32_t{b.version})};
    auto updated =
        co_await conn->execute(sql::booking_cancel, std::move(cancel_params), deadline());
    if (updated.empty()) {
        const std::string expected = "confirmed";
        const auto why = co_await unchanged_reason(*conn, hotel, id, expected, deadline());
        co_return core::fail(why);
    }
    const auto version = updated.scalar<std::int32_t>();
    pg::Params void_params{pg::to_param(hotel), pg::to_param(id)};
    co_await conn->execute(sql::invoices_void, std::move(void_params), deadline());
    if (fee.minor > 0) {
        pg::Params counter{pg::to_param(hotel)};
        auto number_rows =
            co_await conn->execute(sql::invoice_number_next, std::move(counter), deadline());
        const auto number = number_rows.scalar<std::int64_t>();
        pg::Params invoice_params{pg::to_param(hotel),
                                  pg::to_param(id),
                                  pg::to_param(number),
                                  std::string("cancellation_fee"),
                                  std::string(fee.currency.code()),
                                  pg::to_param(fee.minor)};
        auto invoice_rows =
            co_await conn->execute(sql::invoice_insert, std::move(invoice_params), deadline());
        const auto invoice_id = invoice_rows.get_as<pg::Uuid>(0, 0);
        pg::Params line{pg::to_param(hotel), pg::to_param(invoice_id),
                        std::string("Cancellation fee"), pg::to_param(fee.minor)};
        co_await conn->execute(sql::invoice_line_insert, std::move(line), deadline());
    }
    pg::Params event_params{
        pg::to_param(hotel), pg::to_param(id),      std::string("booking.cancelled"),
        pg::to_param(actor), pg::to_param(version), event_payload("fee_minor", fee.minor)};
    co_await conn->execute(sql::booking_event_insert, std::move(event_params), deadline());
    co_await conn->execute(pg::Sql("COMMIT"), {}, deadline());
    conn = pg::PooledConnection();  // back to the pool before reading the result
    auto fresh = co_await find(b.id);
    if (!fresh)
        co_return core::fail(core::ChangeError::not_found);
    co_return std::move(*fresh);
}

asio::awaitable<core::Result<Booking, core::ChangeError>> PgBookingStore::modify(
    Booking b, core::NewBooking nb) {
    const pg::Uuid hotel{b.hotel_id};
    const pg::Uuid id{b.id};
    const pg::Uuid type{nb.room_type_id};
    const pg::Uuid plan{nb.rate_plan_id};
    const pg::Uuid actor{nb.actor_id};
    const auto starts = ts(nb.check_in_at);
    const auto ends = ts(nb.check_out_at);
    const std::optional<pg::Timestamp> free_until =
        nb.free_until ? std::optional<pg::Timestamp>(ts(*nb.free_until)) : std::nullopt;
    const std::int32_t guests = nb.guests;
    auto conn = co_await pool_->acquire();
    const auto deadline = [this] { return pool_->query_deadline(); };
    co_await conn->execute(pg::Sql("BEGIN"), {}, deadline());
    pg::Params lock_params{pg::to_param(hotel), pg::to_param(id),
                           pg::to_param(std::int32_t{b.version})};
    auto locked = co_await conn->execute(sql::booking_lock, std::move(lock_params), deadline());
    if (locked.empty() || locked.get_as<std::string>(0, 0) != "confirmed") {
        const std::string expected = "confirmed";
        const auto why = co_await unchanged_reason(*conn, hotel, id, expected, deadline());
        co_return core::fail(why);
    }
    // Candidates: the current room first (same type only), then free rooms of the type.
    std::vector<pg::Uuid> tried;
    std::optional<pg::Uuid> room;
    std::optional<std::int32_t> version;
    const bool same_type = nb.room_type_id == b.room_type_id;
    for (int attempt = 0; attempt < 10 && !version; ++attempt) {
        co_await conn->execute(pg::Sql("SAVEPOINT move"), {}, deadline());
        if (attempt == 0 && same_type) {
            room = pg::Uuid{b.room_id};
        } else {
            pg::Params find{pg::to_param(hotel), pg::to_param(type), pg::to_param(starts),
                            pg::to_param(ends), pg::to_param(tried)};
            auto free_room =
                co_await conn->execute(sql::room_allocate, std::move(find), deadline());
            if (free_room.empty())
                break;
            room = free_room.get_as<pg::Uuid>(0, 0);
        }
        pg::Params move{pg::to_param(hotel),
                        pg::to_param(id),
                        pg::to_param(*room),
                        pg::to_param(type),
                        pg::to_param(plan),
                        pg::to_param(guests),
                        pg::to_param(nb.check_in),
                        pg::to_param(nb.check_out),
                        pg::to_param(starts),
                        pg::to_param(ends),
                        pg::to_param(nb.total.minor),
                        pg::to_param(free_until),
                        nb.penalty,
                        pg::to_param(nb.fee_floor.minor)};
        bool taken = false;
        try {
            auto moved = co_await conn->execute(sql::booking_move, std::move(move), deadline());
            version = moved.scalar<std::int32_t>();
        } catch (const pg::Error& e) {
            if (e.kind() != pg::ErrorKind::exclusion_violation)
                throw;
            taken = true;
        }
        if (taken) {
            co_await conn->execute(pg::Sql("ROLLBACK TO SAVEPOINT move"), {}, deadline());
            tried.push_back(*room);
        }
    }
    if (!version) {
        co_await conn->execute(pg::Sql("ROLLBACK"), {}, deadline());
        co_return core::fail(core::ChangeError::sold_out);
    }
    std::vector<core::Date> nights;
    std::vector<std::int64_t> amounts;
    for (const auto& n : nb.nightly) {
        nights.push_back(n.date);
        amounts.push_back(n.amount.minor);
    }
    pg::Params delete_params{pg::to_param(hotel), pg::to_param(id)};
    co_await conn->execute(sql::booking_nights_delete, std::move(delete_params), deadline());
    pg::Params night_params{pg::to_param(hotel), pg::to_param(id), pg::to_param(nights),
                            pg::to_param(amounts)};
    co_await conn->execute(sql::booking_nights_insert, std::move(night_params), deadline());
    pg::Params void_params{pg::to_param(hotel), pg::to_param(id)};
    co_await conn->execute(sql::invoices_void, std::move(void_params), deadline());
    pg::Params counter{pg::to_param(hotel)};
    auto number_rows =
        co_await conn->execute(sql::invoice_number_next, std::move(counter), deadline());
    const auto number = number_rows.scalar<std::int64_t>();
    pg::Params invoice_params{pg::to_param(hotel),
                              pg::to_param(id),
                              pg::to_param(number),
                              std::string("booking"),
                              std::string(nb.total.currency.code()),
                              pg::to_param(nb.total.minor)};
    auto invoice_rows =
        co_await conn->execute(sql::invoice_insert, std::move(invoice_params), deadline());
    const auto invoice_id = invoice_rows.get_as<pg::Uuid>(0, 0);
    pg::Params line_params{pg::to_param(hotel), pg::to_param(invoice_id), pg::to_param(nights),
                           pg::to_param(amounts)};
    co_await conn->execute(sql::invoice_night_lines_insert, std::move(line_params), deadline());
    pg::Params event_params{
        pg::to_param(hotel), pg::to_param(id),       std::string("booking.modified"),
        pg::to_param(actor), pg::to_param(*version), event_payload("total_minor", nb.total.minor)};
    co_await conn->execute(sql::booking_event_insert, std::move(event_params), deadline());
    co_await conn->execute(pg::Sql("COMMIT"), {}, deadline());
    conn = pg::PooledConnection();
    auto fresh = co_await find(b.id);
    if (!fresh)
        co_return core::fail(core::ChangeError::not_found);
    co_return std::move(*fresh);
}

asio::awaitable<core::Result<Booking, core::ChangeError>> PgBookingStore::transition(
    Booking b, core::BookingStatus to, std::string event_type, std::string actor_id) {
    const pg::Uuid hotel{b.hotel_id};
    const pg::Uuid id{b.id};
    const pg::Uuid actor{actor_id};
    const std::string from_status(core::to_string(b.state.status()));
    const std::string to_status(core::to_string(to));
    auto conn = co_await pool_->acquire();
    const auto deadline = [this] { return pool_->query_deadline(); };
    co_await conn->execute(pg::Sql("BEGIN"), {}, deadline());
    pg::Params params{pg::to_param(hotel), pg::to_param(id), from_status, to_status,
                      pg::to_param(std::int32_t{b.version})};
    auto updated = co_await conn->execute(sql::booking_transition, std::move(params), deadline());
    if (updated.empty()) {
        const auto why = co_await unchanged_reason(*conn, hotel, id, from_status, deadline());
        co_return core::fail(why);
    }
    const auto version = updated.scalar<std::int32_t>();
    pg::Params event_params{pg::to_param(hotel), pg::to_param(id),      event_type,
                            pg::to_param(actor), pg::to_param(version), std::string("{}")};
    co_await conn->execute(sql::booking_event_insert, std::move(event_params), deadline());
    co_await conn->execute(pg::Sql("COMMIT"), {}, deadline());
    conn = pg::PooledConnection();
    auto fresh = co_await find(b.id);
    if (!fresh)
        co_return core::fail(core::ChangeError::not_found);
    co_return std::move(*fresh);
}

asio::awaitable<core::Result<core::Authorization, core::PaymentError>>
TestPaymentGateway::authorize(std::string token, core::Money amount, std::string reference) {
    auto last4 = core::test_token_last4(token);
    if (!last4)
        co_return core::fail(last4.error());
    thread_local std::mt19937_64 rng{std::random_device{}()};
    static constexpr char hex[] = "0123456789abcdef";
    std::string id = "test_";
    for (int i = 0; i < 24; ++i)
        id += hex[rng() & 0xf];
    const std::string currency = amount.currency.code();
    const std::string digits = last4.value();
    co_await pool_->query(sql::test_gateway_authorize, id, digits, currency, amount.minor,
                          reference);
    co_return core::Authorization{id, digits};
}

asio::awaitable<core::Result<core::Unit, core::PaymentError>> TestPaymentGateway::reauthorize(
    std::string transaction_id, core::Money amount) {
    const std::string declines_increases = "0341";
    auto rows = co_await pool_->query(sql::test_gateway_reauthorize, transaction_id, amount.minor,
                                      declines_increases);
    if (rows.empty())
        co_return core::fail(core::PaymentError::declined);
    co_return core::Unit{};
}

asio::awaitable<void> TestPaymentGateway::capture(std::string transaction_id, core::Money amount) {
    co_await pool_->query(sql::test_gateway_capture, transaction_id, amount.minor);
}

asio::awaitable<void> TestPaymentGateway::void_authorization(std::string transaction_id) {
    co_await pool_->query(sql::test_gateway_void, transaction_id);
}

asio::awaitable<long long> cleanup_idempotency_keys(pg::Pool& pool, std::chrono::seconds retention,
                                                    int batch) {
    long long total = 0;
    const std::int32_t seconds = static_cast<std::int32_t>(retention.count());
    const std::int32_t limit = batch;
    for (int round = 0; round < 100000; ++round) {
        auto rows = co_await pool.query(sql::idempotency_cleanup_batch, seconds, limit);
        total += rows.affected();
        if (rows.affected() < batch)
            break;
    }
    co_return total;
}

}  // namespace hotel::storage
