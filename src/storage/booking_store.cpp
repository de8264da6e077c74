#include "storage/booking_store.hpp"

#include <random>

#include "pg/error.hpp"
#include "pg/transaction.hpp"
#include "storage/booking_sql.hpp"
#include "storage/catalogue_store.hpp"
#include "storage/migration_set.hpp"

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

// The columns of BOOKING_COLUMNS (booking_sql.hpp), looked up by name once per result.
struct BookingColumns {
    explicit BookingColumns(const pg::Rows& rows)
        : id(rows.column("id")),
          status(rows.column("status")),
          hotel_id(rows.column("hotel_id")),
          room_type_id(rows.column("room_type_id")),
          rate_plan_id(rows.column("rate_plan_id")),
          guest_id(rows.column("guest_id")),
          guest_name(rows.column("guest_name")),
          guest_email(rows.column("guest_email")),
          guest_phone(rows.column("guest_phone")),
          guests(rows.column("guests")),
          check_in(rows.column("check_in")),
          check_out(rows.column("check_out")),
          check_in_at(rows.column("check_in_at")),
          check_out_at(rows.column("check_out_at")),
          currency(rows.column("currency")),
          total_minor(rows.column("total_minor")),
          free_until(rows.column("free_cancellation_until")),
          penalty(rows.column("penalty")),
          cancellation_fee_minor(rows.column("cancellation_fee_minor")),
          room_id(rows.column("room_id")),
          room_number(rows.column("room_number")),
          card_last4(rows.column("card_last4")),
          transaction_id(rows.column("payment_transaction_id")),
          special_requests(rows.column("special_requests")),
          version(rows.column("version")),
          created_at(rows.column("created_at")),
          updated_at(rows.column("updated_at")),
          invoice_id(rows.column("invoice_id")),
          invoice_number(rows.column("invoice_number")),
          invoice_status(rows.column("invoice_status")),
          invoice_total_minor(rows.column("invoice_total_minor")),
          nights(rows.column("nights")),
          night_amounts(rows.column("night_amounts")),
          hotel_timezone(rows.column("hotel_timezone")),
          fee_floor_minor(rows.column("fee_floor_minor")),
          checked_in_at(rows.column("checked_in_at")),
          checked_out_at(rows.column("checked_out_at")),
          balance_minor(rows.column("balance_minor")),
          room_since(rows.column("room_since")),
          inclusion_names(rows.column("inclusion_names")),
          inclusion_amounts(rows.column("inclusion_amounts")) {}
    int id, status, hotel_id, room_type_id, rate_plan_id, guest_id, guest_name, guest_email,
        guest_phone, guests, check_in, check_out, check_in_at, check_out_at, currency, total_minor,
        free_until, penalty, cancellation_fee_minor, room_id, room_number, card_last4,
        transaction_id, special_requests, version, created_at, updated_at, invoice_id,
        invoice_number, invoice_status, invoice_total_minor, nights, night_amounts, hotel_timezone,
        fee_floor_minor, checked_in_at, checked_out_at, balance_minor, room_since, inclusion_names,
        inclusion_amounts;
};

Booking booking_from(const pg::Rows& rows, const BookingColumns& c, int i) {
    Booking b;
    b.id = rows.get_as<pg::Uuid>(i, c.id).text;
    b.state = core::BookingState::restore(
        core::parse_booking_status(rows.get_as<std::string>(i, c.status))
            .value_or(core::BookingStatus::confirmed));
    b.hotel_id = rows.get_as<pg::Uuid>(i, c.hotel_id).text;
    b.room_type_id = rows.get_as<pg::Uuid>(i, c.room_type_id).text;
    b.rate_plan_id = rows.get_as<pg::Uuid>(i, c.rate_plan_id).text;
    if (auto guest = rows.get_as<std::optional<pg::Uuid>>(i, c.guest_id))
        b.guest_id = guest->text;
    b.guest_name = rows.get_as<std::string>(i, c.guest_name);
    b.guest_email = rows.get_as<std::optional<std::string>>(i, c.guest_email);
    b.guest_phone = rows.get_as<std::optional<std::string>>(i, c.guest_phone);
    b.guests = rows.get_as<std::int32_t>(i, c.guests);
    b.check_in = rows.get_as<core::Date>(i, c.check_in);
    b.check_out = rows.get_as<core::Date>(i, c.check_out);
    b.check_in_at = instant(rows.get_as<pg::Timestamp>(i, c.check_in_at));
    b.check_out_at = instant(rows.get_as<pg::Timestamp>(i, c.check_out_at));
    const auto currency = currency_of(rows.get_as<std::string>(i, c.currency));
    b.total = core::Money{rows.get_as<std::int64_t>(i, c.total_minor), currency};
    if (auto t = rows.get_as<std::optional<pg::Timestamp>>(i, c.free_until))
        b.free_until = instant(*t);
    b.penalty = rows.get_as<std::optional<std::string>>(i, c.penalty).value_or("non_refundable");
    if (auto f = rows.get_as<std::optional<std::int64_t>>(i, c.cancellation_fee_minor))
        b.cancellation_fee = core::Money{*f, currency};
    b.room_id = rows.get_as<pg::Uuid>(i, c.room_id).text;
    b.room_number = rows.get_as<std::string>(i, c.room_number);
    b.card_last4 = rows.get_as<std::optional<std::string>>(i, c.card_last4);
    b.transaction_id = rows.get_as<std::optional<std::string>>(i, c.transaction_id);
    b.special_requests = rows.get_as<std::optional<std::string>>(i, c.special_requests);
    b.inclusions = inclusions_of(rows.get_as<std::vector<std::string>>(i, c.inclusion_names),
                                 rows.get_as<std::vector<std::int64_t>>(i, c.inclusion_amounts));
    b.version = rows.get_as<std::int32_t>(i, c.version);
    b.balance_due = core::Money{rows.get_as<std::int64_t>(i, c.balance_minor), currency};
    if (auto t = rows.get_as<std::optional<pg::Timestamp>>(i, c.room_since))
        b.room_since = instant(*t);
    b.created_at = instant(rows.get_as<pg::Timestamp>(i, c.created_at));
    b.updated_at = instant(rows.get_as<pg::Timestamp>(i, c.updated_at));
    if (auto inv = rows.get_as<std::optional<pg::Uuid>>(i, c.invoice_id)) {
        b.invoice.id = inv->text;
        // Pending (0 here) until its numbering step: see PgBookingStore::numbered.
        b.invoice.number =
            rows.get_as<std::optional<std::int64_t>>(i, c.invoice_number).value_or(0);
        b.invoice.status = rows.get_as<std::string>(i, c.invoice_status);
        b.invoice.total =
            core::Money{rows.get_as<std::int64_t>(i, c.invoice_total_minor), currency};
    }
    const auto nights = rows.get_as<std::optional<std::vector<core::Date>>>(i, c.nights)
                            .value_or(std::vector<core::Date>{});
    const auto amounts = rows.get_as<std::optional<std::vector<std::int64_t>>>(i, c.night_amounts)
                             .value_or(std::vector<std::int64_t>{});
    for (std::size_t k = 0; k < nights.size() && k < amounts.size(); ++k)
        b.nightly.push_back({nights[k], core::Money{amounts[k], currency}});
    b.hotel_timezone = rows.get_as<std::optional<std::string>>(i, c.hotel_timezone).value_or("UTC");
    b.fee_floor = core::Money{rows.get_as<std::int64_t>(i, c.fee_floor_minor), currency};
    if (auto t = rows.get_as<std::optional<pg::Timestamp>>(i, c.checked_in_at))
        b.checked_in_at = instant(*t);
    if (auto t = rows.get_as<std::optional<pg::Timestamp>>(i, c.checked_out_at))
        b.checked_out_at = instant(*t);
    return b;
}

std::string event_payload(const std::string& key, long long value) {
    return "{\"" + key + "\":" + std::to_string(value) + "}";
}

// A guarded change (by status and version) matched no row: roll back and say why.
asio::awaitable<core::ChangeError> unchanged_reason(pg::Transaction& tx, pg::Uuid hotel,
                                                    pg::Uuid id, std::string expected_status) {
    auto state = co_await tx.query(sql::booking_state_of, hotel, id);
    co_await tx.rollback();
    if (state.empty())
        co_return core::ChangeError::not_found;
    if (state.get_as<std::string>(0, 0) != expected_status)
        co_return core::ChangeError::state_changed;
    co_return core::ChangeError::version_mismatch;
}

// A guarded change (by status and version) that may put the stay on nights its room is taken
// on: the booking's new version; room_taken (rolled back) when the room is taken, or why no row
// matched.
asio::awaitable<core::Result<std::int32_t, core::ChangeError>> guarded_room_change(
    pg::Transaction& tx, const pg::Statement& statement, pg::Params params, pg::Uuid hotel,
    pg::Uuid id, std::string expected_status) {
    std::optional<pg::Rows> updated;
    try {
        updated.emplace(co_await tx.query_params(statement, std::move(params)));
    } catch (const pg::Error& e) {
        if (e.kind() != pg::ErrorKind::exclusion_violation)
            throw;
    }
    if (!updated) {
        co_await tx.rollback();
        co_return core::fail(core::ChangeError::room_taken);
    }
    if (updated->empty()) {
        const auto why = co_await unchanged_reason(tx, hotel, id, expected_status);
        co_return core::fail(why);
    }
    co_return updated->scalar<std::int32_t>();
}

// The booking's current invoice is written but not numbered yet.
bool invoice_pending(const pg::Rows& rows, const BookingColumns& c, int i) {
    return !rows.is_null(i, c.invoice_id) && rows.is_null(i, c.invoice_number);
}

// An invoice's item lines, as parallel arrays (sql::invoice_lines_insert).
struct InvoiceLines {
    std::vector<std::string> texts;
    std::vector<std::optional<core::Date>> dates;
    std::vector<std::int64_t> amounts;

    void add(std::string text, std::optional<core::Date> date, std::int64_t amount) {
        texts.push_back(std::move(text));
        dates.push_back(date);
        amounts.push_back(amount);
    }
};

// Writes a new invoice for a booking inside `tx`: the header, then its lines. Its number is
// given after commit (InvoiceNumbering; book_stay, migration 0011, writes the stay's the same
// way).
asio::awaitable<void> issue_invoice(pg::Transaction& tx, const pg::Uuid& hotel,
                                    const pg::Uuid& booking, std::string kind,
                                    const core::Money& total, const InvoiceLines& lines) {
    const std::string currency(total.currency.code());
    auto header =
        co_await tx.query(sql::invoice_insert, hotel, booking, kind, currency, total.minor);
    const auto invoice = header.get_as<pg::Uuid>(0, 0);
    if (!lines.texts.empty())
        co_await tx.query(sql::invoice_lines_insert, hotel, invoice, lines.texts, lines.dates,
                          lines.amounts);
    const auto last_line = static_cast<std::int32_t>(lines.texts.size());
    // A stay's invoice carries the charges posted to it (migration 0018), then its taxes (0021).
    if (kind == "booking") {
        co_await tx.query(sql::invoice_charges_append, hotel, invoice, booking, last_line);
        co_await tx.query(sql::invoice_taxes_add, hotel, booking, invoice);
    }
}

// The end of a change to the room or dates a stay holds: its event, the room the guest left
// (when they left one) marked dirty for housekeeping, and the commit.
asio::awaitable<void> close_room_change(pg::Transaction& tx, const pg::Uuid& hotel,
                                        const pg::Uuid& id, const std::string& event,
                                        const pg::Uuid& actor, std::int32_t version,
                                        const std::string& payload,
                                        const std::optional<pg::Uuid>& left) {
    co_await tx.query(sql::booking_event_insert, hotel, id, event, actor, version, payload);
    if (left)
        co_await tx.query(sql::housekeeping_dirty, hotel, *left, actor);
    co_await tx.commit();
}

// A stay's invoice lines: its nights with the inclusions they carve out (core::night_lines),
// then its early-departure fee when one is due.
InvoiceLines stay_lines(const std::vector<core::NightPrice>& nightly,
                        const std::vector<core::Inclusion>& inclusions, std::int64_t fee_minor) {
    InvoiceLines lines;
    for (auto& l : core::night_lines(nightly, inclusions))
        lines.add(std::move(l.description), l.date, l.amount.minor);
    if (fee_minor > 0)
        lines.add("Early departure fee", std::nullopt, fee_minor);
    return lines;
}

// A stay priced anew inside `tx`: its nights replaced by `nightly`, its invoice credited and a
// new one of `total` issued with `lines`.
asio::awaitable<void> reprice(pg::Transaction& tx, const pg::Uuid& hotel, const pg::Uuid& booking,
                              const core::Money& total,
                              const std::vector<core::NightPrice>& nightly,
                              const InvoiceLines& lines) {
    std::vector<core::Date> nights;
    std::vector<std::int64_t> amounts;
    for (const auto& n : nightly) {
        nights.push_back(n.date);
        amounts.push_back(n.amount.minor);
    }
    co_await tx.query(sql::booking_nights_delete, hotel, booking);
    co_await tx.query(sql::booking_nights_insert, hotel, booking, nights, amounts);
    co_await tx.query(sql::invoices_credit, hotel, booking);
    co_await issue_invoice(tx, hotel, booking, "booking", total, lines);
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
    // The hotel's columns by the catalogue's names, read by its reader; the type and plan by
    // name too (NULL when not a live one of the hotel).
    ctx.hotel = hotel_from(rows);
    if (!rows.is_null(0, rows.column("type_id"))) {
        core::RoomType t;
        t.id = room_type_id;
        t.hotel_id = hotel_id;
        t.max_occupancy = rows.get_as<std::int32_t>(0, rows.column("max_occupancy"));
        ctx.room_type = t;
    }
    if (!rows.is_null(0, rows.column("plan_id"))) {
        core::RatePlan p;
        p.id = rate_plan_id;
        p.hotel_id = hotel_id;
        p.policy.refundable = rows.get_as<bool>(0, rows.column("refundable"));
        if (p.policy.refundable) {
            p.policy.free_cancellation_hours =
                rows.get_as<std::optional<std::int32_t>>(0, rows.column("free_cancellation_hours"))
                    .value_or(0);
            p.policy.penalty =
                core::Penalty::parse(
                    rows.get_as<std::optional<std::string>>(0, rows.column("penalty")).value_or(""))
                    .value_or(core::Penalty{core::Penalty::Kind::full_stay, 0});
        }
        RatePlanTermColumns(rows).read(rows, 0, p);
        ctx.rate_plan = p;
    }
    if (!ctx.room_type || !ctx.rate_plan)
        co_return ctx;
    auto rates =
        co_await pool_->query(sql::booking_rates, hotel, type, plan, first_night, departure);
    ctx.rates = daily_rates_from(rates);
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
    std::string user_id, std::string key, std::string request_body, core::ResponseRenderer render) {
    const pg::Uuid user{user_id};
    auto rows = co_await pool_->query(sql::idempotency_lookup, user, key);
    if (rows.empty())
        co_return std::nullopt;
    core::StoredResponse r;
    r.same_request = rows.get_as<std::string>(0, 0) == sha256_hex(request_body);
    r.status = rows.get_as<std::int32_t>(0, 1);
    const auto body = rows.get_as<std::optional<std::string>>(0, 2);
    const auto booking = rows.get_as<std::optional<pg::Uuid>>(0, 3);
    if (body || !booking || !r.same_request) {
        r.body = body.value_or("");
        co_return r;
    }
    // The booking committed, but its request stopped before storing the response (it stores
    // it once the invoice has its number): render it now, and store it unless that request
    // got there first.
    auto found = co_await find(booking->text);
    if (!found)
        throw pg::Error(pg::ErrorKind::other, "an idempotency key names a booking that is gone");
    const std::string rendered = render(*found);
    auto finished = co_await pool_->query(sql::idempotency_finish, user, key, rendered);
    if (!finished.empty()) {
        r.body = rendered;
        co_return r;
    }
    auto again = co_await pool_->query(sql::idempotency_lookup, user, key);
    r.body = again.get_as<std::optional<std::string>>(0, 2).value_or(rendered);
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
    // statement, one round trip and its own transaction, or a place in a batch of such bookings
    // (BookingBatcher, sql::book_stays). With a key, the key's record is completed in the same
    // transaction, so that a retry after a lost 201 finds it.
    const pg::Uuid hotel{nb.hotel_id};
    const pg::Uuid type{nb.room_type_id};
    const pg::Uuid plan{nb.rate_plan_id};
    const std::optional<pg::Uuid> guest =
        nb.guest_id.empty() ? std::nullopt : std::optional<pg::Uuid>(pg::Uuid{nb.guest_id});
    const pg::Uuid actor{nb.actor_id};
    const std::optional<std::string> guest_name =
        nb.guest_name.empty() ? std::nullopt : std::optional<std::string>(nb.guest_name);
    const std::optional<pg::Timestamp> free_until =
        nb.free_until ? std::optional<pg::Timestamp>(ts(*nb.free_until)) : std::nullopt;
    const std::optional<std::int32_t> unsecured_limit =
        nb.unsecured_limit ? std::optional<std::int32_t>(*nb.unsecured_limit) : std::nullopt;
    const std::optional<std::int64_t> catalogue_version =
        nb.catalogue_version ? std::optional<std::int64_t>(*nb.catalogue_version) : std::nullopt;
    std::vector<core::Date> nights;
    std::vector<std::int64_t> amounts;
    for (const auto& n : nb.nightly) {
        nights.push_back(n.date);
        amounts.push_back(n.amount.minor);
    }
    const InclusionArrays inclusions(nb.inclusions);
    const auto lines = stay_lines(nb.nightly, nb.inclusions, 0);
    // book_stay's arguments, in its order (BookingBatcher relies on it: sql::book_stays).
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
                      pg::to_param(unsecured_limit),
                      pg::to_param(catalogue_version),
                      pg::to_param(nb.guest_email),
                      pg::to_param(nb.guest_phone),
                      pg::to_param(inclusions.names),
                      pg::to_param(inclusions.amounts),
                      pg::to_param(lines.texts),
                      pg::to_param(lines.dates),
                      pg::to_param(lines.amounts)};

    // What book_stay answered, as the booking it wrote.
    auto placed = [&nb](const PlacedStay& row) -> core::Result<Booking, core::CreateError> {
        const auto& outcome = row.outcome;
        if (outcome == "limit_reached")
            return core::fail(core::CreateError::limit_reached);
        // 'retired': the type or plan was retired after the quote; quoting again from the
        // store then refuses it (unknown_room_type or unknown_rate_plan).
        if (outcome == "stale" || outcome == "retired")
            return core::fail(core::CreateError::stale_quote);
        if (outcome != "booked")
            return core::fail(core::CreateError::sold_out);
        Booking b;
        b.id = row.booking;
        b.hotel_id = nb.hotel_id;
        b.room_type_id = nb.room_type_id;
        b.rate_plan_id = nb.rate_plan_id;
        b.guest_id = nb.guest_id;
        b.guest_name = nb.guest_name;
        b.guest_email = nb.guest_email;
        b.guest_phone = nb.guest_phone;
        b.guests = nb.guests;
        b.check_in = nb.check_in;
        b.check_out = nb.check_out;
        b.check_in_at = nb.check_in_at;
        b.check_out_at = nb.check_out_at;
        b.total = nb.total;
        b.nightly = nb.nightly;
        b.free_until = nb.free_until;
        b.penalty = nb.penalty;
        b.room_id = row.room;
        b.room_number = row.room_number;
        b.card_last4 = nb.card_last4;
        b.transaction_id = nb.transaction_id;
        b.special_requests = nb.special_requests;
        // Numbered after commit; its total has the city tax (migration 0021).
        const core::Money invoiced{row.invoice_total, nb.total.currency};
        b.invoice = core::Invoice{row.invoice, 0, "issued", invoiced};
        b.fee_floor = core::Money{0, nb.total.currency};
        b.balance_due = invoiced;  // its invoice, nothing paid yet
        b.version = 1;
        b.created_at = instant(row.created);
        b.updated_at = b.created_at;
        return b;
    };

    if (!keyed.claim) {
        PlacedStay row;
        if (batcher_) {
            PlacedStay got = co_await batcher_->place(std::move(params));
            row = std::move(got);
        } else {
            auto rows = co_await pool_->query_params(sql::book_stay, std::move(params));
            row = placed_stay(rows, 0);
        }
        auto booked = placed(row);
        if (booked) {
            const pg::Uuid invoice{booked->invoice.id};
            booked->invoice.number = co_await numbering_->number(invoice);
        }
        co_return booked;
    }
    // With a key, the key is completed in the booking's transaction (so that a retry after a
    // lost 201 finds the booking, never a second one), its response body after the invoice's
    // number is known. A request that dies in between leaves the body to the first replay
    // (stored_response).
    const pg::Uuid user{keyed.user_id};
    std::optional<Booking> booked;
    {
        auto tx = co_await pg::Transaction::begin(*pool_);
        auto rows = co_await tx.query_params(sql::book_stay, std::move(params));
        auto placed_one = placed(placed_stay(rows, 0));
        if (!placed_one) {
            co_await tx.rollback();
            co_return placed_one;
        }
        // A claim that lapsed and was taken over means another request owns the key now: no
        // booking.
        const pg::Uuid booking{placed_one->id};
        const std::optional<std::string> no_body_yet;
        auto completed = co_await tx.query(sql::idempotency_complete, user, keyed.key,
                                           static_cast<PgClaim*>(keyed.claim)->id,
                                           std::int32_t{201}, no_body_yet, hotel, booking);
        if (completed.affected() != 1) {
            co_await tx.rollback();
            co_return core::fail(core::CreateError::claim_lost);
        }
        co_await tx.commit();
        booked = std::move(placed_one).value();
    }  // the connection goes back to the pool before the numbering step
    const pg::Uuid invoice{booked->invoice.id};
    booked->invoice.number = co_await numbering_->number(invoice);
    const std::string body = render(*booked);
    co_await pool_->query(sql::idempotency_finish, user, keyed.key, body);
    co_return std::move(*booked);
}

asio::awaitable<std::optional<Booking>> PgBookingStore::find(std::string booking_id) {
    if (!pg::Uuid::valid(booking_id))
        co_return std::nullopt;
    const pg::Uuid id{booking_id};
    auto rows = co_await pool_->query(sql::booking_by_id, id);
    if (rows.empty())
        co_return std::nullopt;
    const BookingColumns columns(rows);
    auto b = booking_from(rows, columns, 0);
    co_await numbered(b, invoice_pending(rows, columns, 0));
    co_return b;
}

asio::awaitable<void> PgBookingStore::numbered(Booking& b, bool pending) {
    if (!pending)
        co_return;
    const pg::Uuid invoice{b.invoice.id};
    b.invoice.number = co_await numbering_->number(invoice);
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
    std::optional<std::vector<std::string>> statuses;
    if (!f.statuses.empty()) {
        statuses.emplace();
        for (auto st : f.statuses)
            statuses->emplace_back(core::to_string(st));
    }
    pg::Params filter{pg::to_param(guest),      pg::to_param(hotels),      pg::to_param(hotel),
                      pg::to_param(statuses),   pg::to_param(f.from),      pg::to_param(f.to),
                      pg::to_param(f.arriving), pg::to_param(f.departing), pg::to_param(f.staying)};
    auto count = co_await pool_->query_params(sql::bookings_count, filter);
    pg::Params page = filter;
    page.push_back(pg::to_param(static_cast<std::int64_t>(f.offset)));
    page.push_back(pg::to_param(static_cast<std::int64_t>(f.limit)));
    auto rows = co_await pool_->query_params(sql::bookings_page, std::move(page));
    core::BookingPage out;
    out.total = count.scalar<std::int64_t>();
    const BookingColumns columns(rows);
    for (int i = 0; i < rows.size(); ++i) {
        out.items.push_back(booking_from(rows, columns, i));
        co_await numbered(out.items.back(), invoice_pending(rows, columns, i));
    }
    co_return out;
}

asio::awaitable<core::Result<Booking, core::ChangeError>> PgBookingStore::reread(
    std::string booking_id) {
    auto fresh = co_await find(std::move(booking_id));
    if (!fresh)
        co_return core::fail(core::ChangeError::not_found);
    co_return std::move(*fresh);
}

asio::awaitable<core::Result<Booking, core::ChangeError>> PgBookingStore::cancel(
    Booking b, core::Money fee, std::string actor_id) {
    const pg::Uuid hotel{b.hotel_id};
    const pg::Uuid id{b.id};
    const pg::Uuid actor{actor_id};
    {
        auto tx = co_await pg::Transaction::begin(*pool_);
        auto updated =
            co_await tx.query(sql::booking_cancel, hotel, id, fee.minor, std::int32_t{b.version});
        if (updated.empty()) {
            const std::string expected = "confirmed";
            const auto why = co_await unchanged_reason(tx, hotel, id, expected);
            co_return core::fail(why);
        }
        const auto version = updated.scalar<std::int32_t>();
        co_await tx.query(sql::invoices_credit, hotel, id);
        if (fee.minor > 0) {
            InvoiceLines lines;
            lines.add("Cancellation fee", std::nullopt, fee.minor);
            co_await issue_invoice(tx, hotel, id, "cancellation_fee", fee, lines);
        }
        const std::string event = "booking.cancelled";
        const std::string payload = event_payload("fee_minor", fee.minor);
        co_await tx.query(sql::booking_event_insert, hotel, id, event, actor, version, payload);
        co_await tx.commit();
    }  // the connection goes back to the pool before the result is read
    // A free cancellation issues no new invoice whose numbering step would number the credit
    // note with it: a step of its own.
    if (fee.minor == 0)
        co_await numbering_->sweep();
    co_return co_await reread(b.id);
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
    {
        auto tx = co_await pg::Transaction::begin(*pool_);
        auto locked = co_await tx.query(sql::booking_lock, hotel, id, std::int32_t{b.version});
        if (locked.empty() || locked.get_as<std::string>(0, 0) != "confirmed") {
            const std::string expected = "confirmed";
            const auto why = co_await unchanged_reason(tx, hotel, id, expected);
            co_return core::fail(why);
        }
        if (nb.room_type_id != b.room_type_id || nb.rate_plan_id != b.rate_plan_id) {
            const std::string type_text = nb.room_type_id, plan_text = nb.rate_plan_id;
            co_await tx.query(sql::catalogue_hold, type_text, plan_text);
            auto live = co_await tx.query(sql::catalogue_live, hotel, type, plan);
            auto [type_live, plan_live] = live.row<bool, bool>(0);
            if (!type_live || !plan_live) {
                co_await tx.rollback();
                co_return core::fail(type_live ? core::ChangeError::retired_rate_plan
                                               : core::ChangeError::retired_room_type);
            }
        }
        // Candidates: the current room first (same type only), then free rooms of the type.
        // The new plan's inclusions are kept with the stay from now on.
        const InclusionArrays inclusions(nb.inclusions);
        const auto savepoint = pg::Sql("SAVEPOINT move");
        const auto back_to_savepoint = pg::Sql("ROLLBACK TO SAVEPOINT move");
        std::vector<pg::Uuid> tried;
        std::optional<pg::Uuid> room;
        std::optional<std::int32_t> version;
        const bool same_type = nb.room_type_id == b.room_type_id;
        for (int attempt = 0; attempt < 10 && !version; ++attempt) {
            co_await tx.connection().execute(savepoint, {}, pool_->query_deadline());
            if (attempt == 0 && same_type) {
                room = pg::Uuid{b.room_id};
            } else {
                auto free_room =
                    co_await tx.query(sql::room_allocate, hotel, type, starts, ends, tried);
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
                            pg::to_param(nb.fee_floor.minor),
                            pg::to_param(inclusions.names),
                            pg::to_param(inclusions.amounts)};
            bool taken = false;
            try {
                auto moved = co_await tx.query_params(sql::booking_move, std::move(move));
                version = moved.scalar<std::int32_t>();
            } catch (const pg::Error& e) {
                if (e.kind() != pg::ErrorKind::exclusion_violation)
                    throw;
                taken = true;
            }
            if (taken) {
                co_await tx.connection().execute(back_to_savepoint, {}, pool_->query_deadline());
                tried.push_back(*room);
            }
        }
        if (!version) {
            co_await tx.rollback();
            co_return core::fail(core::ChangeError::sold_out);
        }
        const auto lines = stay_lines(nb.nightly, nb.inclusions, 0);
        co_await reprice(tx, hotel, id, nb.total, nb.nightly, lines);
        const std::string event = "booking.modified";
        const std::string payload = event_payload("total_minor", nb.total.minor);
        co_await tx.query(sql::booking_event_insert, hotel, id, event, actor, *version, payload);
        co_await tx.commit();
    }
    co_return co_await reread(b.id);
}

asio::awaitable<core::Result<Booking, core::ChangeError>> PgBookingStore::move(
    Booking b, std::string room_id, std::string actor_id, std::optional<core::Instant> split_at) {
    const pg::Uuid hotel{b.hotel_id};
    const pg::Uuid id{b.id};
    const pg::Uuid room{room_id};
    const pg::Uuid actor{actor_id};
    {
        auto tx = co_await pg::Transaction::begin(*pool_);
        auto held = co_await tx.query(sql::room_hold, hotel, room);
        if (held.empty()) {
            co_await tx.rollback();
            co_return core::fail(core::ChangeError::unknown_room);
        }
        const auto type = held.get_as<pg::Uuid>(0, 0);
        if (b.guests > held.get_as<std::int32_t>(0, 1)) {
            co_await tx.rollback();
            co_return core::fail(core::ChangeError::occupancy_exceeded);
        }
        const std::string status(core::to_string(b.state.status()));
        const std::int32_t read_version = b.version;
        pg::Params moved{pg::to_param(hotel), pg::to_param(id), pg::to_param(room),
                         pg::to_param(type), pg::to_param(read_version)};
        if (split_at) {
            moved.push_back(pg::to_param(ts(*split_at)));
            moved.push_back(pg::to_param(actor));
        } else {
            moved.push_back(status);
        }
        const auto changed = co_await guarded_room_change(
            tx, split_at ? sql::booking_room_split : sql::booking_room_move, std::move(moved),
            hotel, id, status);
        if (!changed)
            co_return core::fail(changed.error());
        const auto version = *changed;
        const std::string event = "booking.moved";
        std::string payload = "{\"room_id\": \"" + room_id + "\"";
        if (split_at)
            payload += ", \"from\": \"" + core::format_instant(*split_at) + "\"";
        payload += "}";
        // Moved during the stay, the guest has left the room they slept in.
        std::optional<pg::Uuid> left;
        if (split_at)
            left = pg::Uuid{b.room_id};
        co_await close_room_change(tx, hotel, id, event, actor, version, payload, left);
    }
    co_return co_await reread(b.id);
}

asio::awaitable<core::Result<Booking, core::ChangeError>> PgBookingStore::change_departure(
    Booking b, core::DepartureChange change, core::Instant check_out_at, bool depart,
    std::string actor_id) {
    const pg::Uuid hotel{b.hotel_id};
    const pg::Uuid id{b.id};
    const pg::Uuid actor{actor_id};
    const std::optional<std::int64_t> fee =
        change.fee.minor > 0 ? std::optional<std::int64_t>(change.fee.minor) : std::nullopt;
    const auto ends = ts(check_out_at);
    {
        auto tx = co_await pg::Transaction::begin(*pool_);
        pg::Params departure{pg::to_param(hotel),
                             pg::to_param(id),
                             pg::to_param(change.check_out),
                             pg::to_param(ends),
                             pg::to_param(change.total.minor),
                             pg::to_param(fee),
                             pg::to_param(depart),
                             pg::to_param(std::int32_t{b.version})};
        const std::string expected = "checked_in";
        const auto changed = co_await guarded_room_change(
            tx, sql::booking_departure, std::move(departure), hotel, id, expected);
        if (!changed)
            co_return core::fail(changed.error());
        const auto version = *changed;
        const auto lines = stay_lines(change.nightly, b.inclusions, change.fee.minor);
        co_await reprice(tx, hotel, id, change.total, change.nightly, lines);
        const std::string event = depart ? "booking.checked_out" : "booking.modified";
        const std::string payload = "{\"total_minor\": " + std::to_string(change.total.minor) +
                                    ", \"fee_minor\": " + std::to_string(change.fee.minor) +
                                    ", \"check_out\": \"" + core::format_date(change.check_out) +
                                    "\"}";
        std::optional<pg::Uuid> left;
        if (depart)
            left = pg::Uuid{b.room_id};
        co_await close_room_change(tx, hotel, id, event, actor, version, payload, left);
    }
    co_return co_await reread(b.id);
}

namespace {

std::vector<core::InvoiceDocument> invoices_from(const pg::Rows& rows) {
    std::vector<core::InvoiceDocument> out;
    for (int i = 0; i < rows.size(); ++i) {
        core::InvoiceDocument d;
        d.id = rows.get_as<pg::Uuid>(i, 0).text;
        d.number = rows.get_as<std::optional<std::int64_t>>(i, 1);
        d.kind = rows.get_as<std::string>(i, 2);
        d.status = rows.get_as<std::string>(i, 3);
        const auto currency = currency_of(rows.get_as<std::string>(i, 4));
        d.total = core::Money{rows.get_as<std::int64_t>(i, 5), currency};
        if (auto t = rows.get_as<std::optional<pg::Timestamp>>(i, 6))
            d.issued_at = instant(*t);
        if (auto t = rows.get_as<std::optional<pg::Timestamp>>(i, 7))
            d.voided_at = instant(*t);
        if (auto c = rows.get_as<std::optional<pg::Uuid>>(i, 8))
            d.credits_invoice_id = c->text;
        d.booking_id = rows.get_as<pg::Uuid>(i, 9).text;
        const auto descriptions = rows.get_as<std::vector<std::string>>(i, 10);
        const auto dates = rows.get_as<std::vector<std::string>>(i, 11);  // '' for none
        const auto amounts = rows.get_as<std::vector<std::int64_t>>(i, 12);
        const auto kinds = rows.get_as<std::vector<std::string>>(i, 13);
        for (std::size_t k = 0; k < descriptions.size(); ++k)
            d.lines.push_back({descriptions[k], core::parse_date(dates.at(k)),
                               core::Money{amounts.at(k), currency}, kinds.at(k)});
        out.push_back(std::move(d));
    }
    return out;
}

}  // namespace

asio::awaitable<core::Result<core::Charge, core::ChangeError>> PgBookingStore::post_charge(
    Booking b, core::Charge charge, std::string actor_id) {
    const pg::Uuid hotel{b.hotel_id};
    const pg::Uuid id{b.id};
    const pg::Uuid actor{actor_id};
    const std::string currency(charge.amount.currency.code());
    {
        auto tx = co_await pg::Transaction::begin(*pool_);
        auto updated =
            co_await tx.query(sql::booking_charge_version, hotel, id, std::int32_t{b.version});
        if (updated.empty()) {
            const std::string status(core::to_string(b.state.status()));
            const auto why = co_await unchanged_reason(tx, hotel, id, status);
            co_return core::fail(why);
        }
        const auto version = updated.scalar<std::int32_t>();
        auto posted = co_await tx.query(sql::folio_charge_insert, hotel, id, charge.description,
                                        charge.date, currency, charge.amount.minor, actor);
        charge.id = posted.get_as<pg::Uuid>(0, 0).text;
        charge.posted_at = instant(posted.get_as<pg::Timestamp>(0, 1));
        co_await tx.query(sql::invoices_credit, hotel, id);
        const auto fee = b.cancellation_fee ? b.cancellation_fee->minor : 0;
        const auto lines = stay_lines(b.nightly, b.inclusions, fee);
        co_await issue_invoice(tx, hotel, id, "booking", b.total, lines);
        const std::string event = "booking.charge_posted";
        const std::string payload = event_payload("amount_minor", charge.amount.minor);
        co_await tx.query(sql::booking_event_insert, hotel, id, event, actor, version, payload);
        co_await tx.commit();
    }
    // The new invoice and the credit note before it take their numbers now.
    co_await numbering_->sweep();
    co_return charge;
}

asio::awaitable<core::Payment> PgBookingStore::record_payment(Booking b, core::Payment p,
                                                              std::string actor_id) {
    const pg::Uuid hotel{b.hotel_id};
    const pg::Uuid id{b.id};
    const std::optional<pg::Uuid> actor =
        actor_id.empty() ? std::nullopt : std::optional<pg::Uuid>(pg::Uuid{actor_id});
    const std::string kind(core::to_string(p.kind)), method(core::to_string(p.method));
    const std::string currency(p.amount.currency.code());
    auto rows = co_await pool_->query(sql::folio_payment_insert, hotel, id, kind, method, currency,
                                      p.amount.minor, p.reference, actor);
    p.id = rows.get_as<pg::Uuid>(0, 0).text;
    p.recorded_at = instant(rows.get_as<pg::Timestamp>(0, 1));
    co_return p;
}

asio::awaitable<std::vector<core::Payment>> PgBookingStore::payments(std::string hotel_id,
                                                                     std::string booking_id) {
    const pg::Uuid hotel{hotel_id};
    const pg::Uuid booking{booking_id};
    auto rows = co_await pool_->query(sql::folio_payments_of, hotel, booking);
    std::vector<core::Payment> out;
    for (int i = 0; i < rows.size(); ++i) {
        core::Payment p;
        p.id = rows.get_as<pg::Uuid>(i, 0).text;
        p.kind = core::parse_payment_kind(rows.get_as<std::string>(i, 1))
                     .value_or(core::Payment::Kind::payment);
        p.method = core::parse_payment_method(rows.get_as<std::string>(i, 2))
                       .value_or(core::Payment::Method::card);
        p.amount = core::Money{rows.get_as<std::int64_t>(i, 4),
                               currency_of(rows.get_as<std::string>(i, 3))};
        p.reference = rows.get_as<std::optional<std::string>>(i, 5);
        p.recorded_at = instant(rows.get_as<pg::Timestamp>(i, 6));
        out.push_back(std::move(p));
    }
    co_return out;
}

asio::awaitable<std::vector<core::InvoiceDocument>> PgBookingStore::invoices(
    std::string hotel_id, std::string booking_id) {
    const pg::Uuid hotel{hotel_id};
    const pg::Uuid booking{booking_id};
    auto rows = co_await pool_->query(sql::booking_invoices, hotel, booking);
    co_return invoices_from(rows);
}

asio::awaitable<core::InvoicePage> PgBookingStore::hotel_invoices(
    std::string hotel_id, core::Instant from, core::Instant to, long long offset, long long limit) {
    const pg::Uuid hotel{hotel_id};
    const auto starts = ts(from), ends = ts(to);
    const std::int64_t skip = offset, take = limit;
    auto count = co_await pool_->query(sql::hotel_invoices_count, hotel, starts, ends);
    auto rows = co_await pool_->query(sql::hotel_invoices, hotel, starts, ends, skip, take);
    core::InvoicePage page;
    page.total = count.scalar<std::int64_t>();
    page.items = invoices_from(rows);
    co_return page;
}

asio::awaitable<std::vector<core::ChartStay>> PgBookingStore::chart_stays(std::string hotel_id,
                                                                          core::Date from,
                                                                          core::Date to) {
    const pg::Uuid hotel{hotel_id};
    auto rows = co_await pool_->query(sql::chart_stays, hotel, from, to);
    std::vector<core::ChartStay> out;
    out.reserve(static_cast<std::size_t>(rows.size()));
    for (int i = 0; i < rows.size(); ++i) {
        auto [id, status, version, room, type, plan, name, guests, check_in, check_out] =
            rows.row<pg::Uuid, std::string, std::int32_t, pg::Uuid, pg::Uuid, pg::Uuid, std::string,
                     std::int32_t, core::Date, core::Date>(i);
        out.push_back({std::move(id.text),
                       core::parse_booking_status(status).value_or(core::BookingStatus::confirmed),
                       version, std::move(room.text), std::move(type.text), std::move(plan.text),
                       std::move(name), guests, check_in, check_out});
    }
    co_return out;
}

asio::awaitable<std::vector<core::RoomSegment>> PgBookingStore::segments(std::string hotel_id,
                                                                         core::Instant from,
                                                                         core::Instant to) {
    const pg::Uuid hotel{hotel_id};
    const auto starts = ts(from), ends = ts(to);
    auto rows = co_await pool_->query(sql::room_segments_in_range, hotel, starts, ends);
    std::vector<core::RoomSegment> out;
    for (int i = 0; i < rows.size(); ++i) {
        auto [booking, room, lower, upper] =
            rows.row<pg::Uuid, pg::Uuid, pg::Timestamp, pg::Timestamp>(i);
        out.push_back({booking.text, room.text, instant(lower), instant(upper)});
    }
    co_return out;
}

asio::awaitable<core::Housekeeping> PgBookingStore::housekeeping_of(std::string hotel_id,
                                                                    std::string room_id) {
    const pg::Uuid hotel{hotel_id};
    const pg::Uuid room{room_id};
    auto rows = co_await pool_->query(sql::housekeeping_of_room, hotel, room);
    if (rows.empty())
        co_return core::Housekeeping::clean;
    co_return core::parse_housekeeping(rows.get_as<std::string>(0, 0))
        .value_or(core::Housekeeping::clean);
}

asio::awaitable<core::Result<Booking, core::ChangeError>> PgBookingStore::transition(
    Booking b, core::BookingStatus to, std::string event_type, std::string actor_id) {
    const pg::Uuid hotel{b.hotel_id};
    const pg::Uuid id{b.id};
    const pg::Uuid actor{actor_id};
    const std::string from_status(core::to_string(b.state.status()));
    const std::string to_status(core::to_string(to));
    {
        auto tx = co_await pg::Transaction::begin(*pool_);
        auto updated = co_await tx.query(sql::booking_transition, hotel, id, from_status, to_status,
                                         std::int32_t{b.version});
        if (updated.empty()) {
            const auto why = co_await unchanged_reason(tx, hotel, id, from_status);
            co_return core::fail(why);
        }
        const auto version = updated.scalar<std::int32_t>();
        const std::string payload = "{}";
        co_await tx.query(sql::booking_event_insert, hotel, id, event_type, actor, version,
                          payload);
        if (to == core::BookingStatus::checked_out) {
            const pg::Uuid room{b.room_id};
            co_await tx.query(sql::housekeeping_dirty, hotel, room, actor);
        }
        co_await tx.commit();
    }
    co_return co_await reread(b.id);
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
