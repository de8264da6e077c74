-- The minimal booking table of the pgbench baselines (bench/feed_cost.sh,
-- bench/booking_throughput.sh): the shape of bookings' exclusion constraint (same hotel, same
-- room, overlapping period, among active statuses) and nothing else. bench/minimal_booking.pgbench
-- inserts into it.
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE bookings (
    hotel_id   integer NOT NULL,
    id         bigint NOT NULL,
    room_id    integer NOT NULL,
    status     text NOT NULL DEFAULT 'confirmed',
    period     tstzrange NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (hotel_id, id),
    CONSTRAINT no_overlapping_stays EXCLUDE USING gist
        (hotel_id WITH =, room_id WITH =, period WITH &&)
        WHERE (status IN ('confirmed', 'checked_in', 'checked_out')));
