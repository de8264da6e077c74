#pragma once
// SQL of events out (event_store.cpp; migration 0023; docs/WEBHOOKS.md): the event feed, the
// webhook subscriptions, their deliveries, and the outbox worker's statements.
// Every statement is named and listed in event_statements() below: connections prepare them
// on first use, and tests/db prepares every listed one against the migrated schema (and fails
// on a statement defined here but not listed).

#include <vector>

#include "pg/statement.hpp"

namespace hotel::storage::sql {

// The numbered events of hotel $1 after seq $2, in seq order, at most $3.
inline constexpr pg::Statement events_feed{
    "events_feed",
    "SELECT e.id, e.seq, e.hotel_id, e.booking_id, e.type, e.version, e.actor_id, "
    "       e.payload::text AS payload, e.at "
    "FROM booking_events e WHERE e.hotel_id = $1::uuid AND e.seq > $2::int8 "
    "ORDER BY e.seq LIMIT $3::int4"};

// A new subscription of hotel $1 (url $2, events $3, secret $4, by $5), unless the hotel has
// $6 live ones already (no row).
inline constexpr pg::Statement webhook_create{
    "webhook_create",
    "INSERT INTO webhook_subscriptions (hotel_id, url, events, secret, created_by) "
    "SELECT $1::uuid, $2::text, $3::text[], $4::text, $5::uuid "
    "WHERE (SELECT count(*) FROM webhook_subscriptions "
    "       WHERE hotel_id = $1::uuid AND deleted_at IS NULL) < $6::int4 "
    "RETURNING id, hotel_id, url, events, created_at"};

inline constexpr pg::Statement webhook_list{
    "webhook_list",
    "SELECT id, hotel_id, url, events, created_at FROM webhook_subscriptions "
    "WHERE hotel_id = $1::uuid AND deleted_at IS NULL ORDER BY created_at, id"};

inline constexpr pg::Statement webhook_find{
    "webhook_find",
    "SELECT id, hotel_id, url, events, created_at FROM webhook_subscriptions "
    "WHERE hotel_id = $1::uuid AND id = $2::uuid AND deleted_at IS NULL"};

// Deleting keeps the row (its deliveries' history); its pending deliveries are no longer sent.
inline constexpr pg::Statement webhook_delete{
    "webhook_delete",
    "UPDATE webhook_subscriptions SET deleted_at = now() "
    "WHERE hotel_id = $1::uuid AND id = $2::uuid AND deleted_at IS NULL RETURNING id"};

// Deliveries of subscription $2 of hotel $1 after seq $3, with status $4 (any when null), in
// seq order, at most $5.
inline constexpr pg::Statement webhook_deliveries_page{
    "webhook_deliveries_page",
    "SELECT d.seq, d.event_id, e.type AS event_type, d.status, d.attempts, d.created_at, "
    "       d.next_attempt_at, d.last_attempt_at, d.last_status, d.last_error, d.delivered_at "
    "FROM webhook_deliveries d "
    "JOIN booking_events e ON e.hotel_id = d.hotel_id AND e.id = d.event_id "
    "WHERE d.hotel_id = $1::uuid AND d.subscription_id = $2::uuid AND d.seq > $3::int8 "
    "AND ($4::text IS NULL OR d.status = $4::text) "
    "ORDER BY d.seq LIMIT $5::int4"};

// A delivery set pending again, due now, attempts and retry window started over.
inline constexpr pg::Statement webhook_replay{
    "webhook_replay",
    "UPDATE webhook_deliveries d SET status = 'pending', attempts = 0, created_at = now(), "
    "       next_attempt_at = now(), delivered_at = NULL "
    "FROM booking_events e "
    "WHERE d.hotel_id = $1::uuid AND d.subscription_id = $2::uuid AND d.seq = $3::int8 "
    "AND e.hotel_id = d.hotel_id AND e.id = d.event_id "
    "RETURNING d.seq, d.event_id, e.type AS event_type, d.status, d.attempts, d.created_at, "
    "          d.next_attempt_at, d.last_attempt_at, d.last_status, d.last_error, "
    "          d.delivered_at"};

// --- the outbox worker (core::WebhookDelivery) -----------------------------------------------

// One numbering step (migration 0023): events numbered, deliveries queued; -1 when another
// step was running.
inline constexpr pg::Statement events_number{"events_number",
                                             "SELECT number_booking_events($1::int4)"};

// Leases up to $2 live subscriptions, for $1 ms, whose queue's head is due and that no live
// lease holds; the least recently worked first.
inline constexpr pg::Statement webhook_lease{
    "webhook_lease",
    "UPDATE webhook_subscriptions s "
    "SET lease_until = now() + $1::int8 * interval '1 millisecond', "
    "    lease_token = gen_random_uuid() "
    "FROM (SELECT c.hotel_id, c.id FROM webhook_subscriptions c "
    "      WHERE c.deleted_at IS NULL AND (c.lease_until IS NULL OR c.lease_until < now()) "
    "      AND (SELECT d.next_attempt_at FROM webhook_deliveries d "
    "           WHERE d.hotel_id = c.hotel_id AND d.subscription_id = c.id "
    "           AND d.status = 'pending' ORDER BY d.seq LIMIT 1) <= now() "
    "      ORDER BY c.lease_until NULLS FIRST LIMIT $2::int4 "
    "      FOR UPDATE SKIP LOCKED) pick "
    "WHERE s.hotel_id = pick.hotel_id AND s.id = pick.id "
    "RETURNING s.hotel_id, s.id, s.url, s.secret, s.lease_token"};

// The head of a leased subscription's queue ($1 hotel, $2 subscription, $3 lease token): its
// lowest pending delivery, with the body to send (docs/WEBHOOKS.md, "The request").
inline constexpr pg::Statement webhook_head{
    "webhook_head",
    "SELECT d.seq, d.event_id, d.attempts, "
    "       (extract(epoch FROM now() - d.created_at) * 1000)::int8 AS age_ms, "
    "       d.next_attempt_at <= now() AS due, "
    "       json_build_object('id', e.id::text, 'sequence', e.seq::text, 'type', e.type, "
    "         'hotel_id', e.hotel_id, 'booking_id', e.booking_id, 'version', e.version, "
    "         'actor_id', e.actor_id, "
    "         'occurred_at', to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
    "         'data', e.payload)::text AS body "
    "FROM webhook_deliveries d "
    "JOIN webhook_subscriptions s ON s.hotel_id = d.hotel_id AND s.id = d.subscription_id "
    "JOIN booking_events e ON e.hotel_id = d.hotel_id AND e.id = d.event_id "
    "WHERE d.hotel_id = $1::uuid AND d.subscription_id = $2::uuid AND d.status = 'pending' "
    "AND s.lease_token = $3::uuid "
    "ORDER BY d.seq LIMIT 1"};

// An attempt of delivery $4 of leased subscription ($1, $2, token $3): the receiver's status
// $5 (null: no answer) and error $6; delivered $7, dead $8, next attempt after $9 ms; the lease
// extended by $10 ms. No row when the lease was lost.
inline constexpr pg::Statement webhook_record{
    "webhook_record",
    "WITH held AS ("
    "  UPDATE webhook_subscriptions SET lease_until = now() + $10::int8 * interval '1 millisecond' "
    "  WHERE hotel_id = $1::uuid AND id = $2::uuid AND lease_token = $3::uuid RETURNING id) "
    "UPDATE webhook_deliveries d SET attempts = d.attempts + 1, last_attempt_at = now(), "
    "       last_status = $5::int4, last_error = $6::text, "
    "       status = CASE WHEN $7::bool THEN 'delivered' WHEN $8::bool THEN 'dead' "
    "                     ELSE 'pending' END, "
    "       delivered_at = CASE WHEN $7::bool THEN now() END, "
    "       next_attempt_at = now() + $9::int8 * interval '1 millisecond' "
    "WHERE d.hotel_id = $1::uuid AND d.subscription_id = $2::uuid AND d.seq = $4::int8 "
    "AND d.status = 'pending' AND EXISTS (SELECT 1 FROM held) RETURNING d.seq"};

// The lease given back: the subscription goes to the end of the queue of subscriptions.
inline constexpr pg::Statement webhook_release{
    "webhook_release",
    "UPDATE webhook_subscriptions SET lease_until = now(), lease_token = NULL "
    "WHERE hotel_id = $1::uuid AND id = $2::uuid AND lease_token = $3::uuid"};

inline const std::vector<pg::Statement>& event_statements() {
    static const std::vector<pg::Statement> list = {
        events_feed,      webhook_create, webhook_list,  webhook_find,
        webhook_delete,   webhook_deliveries_page,       webhook_replay,
        events_number,    webhook_lease,  webhook_head,  webhook_record,
        webhook_release,
    };
    return list;
}

}  // namespace hotel::storage::sql
