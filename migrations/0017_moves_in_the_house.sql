-- Moving a guest in the house (issue 13): the stay is split at the move. A booking's period is
-- the time its CURRENT room is held (what the exclusion constraint, availability, the search
-- index and the room chart read), so after a move during the stay it starts at the split; the
-- booked arrival instant, which the period's start used to be, is kept in booked_check_in_at.
-- The parts spent in earlier rooms are rows of booking_room_segments: history for the room chart
-- (and the folio), which no constraint needs to guard, because they lie before the split and
-- nothing is ever sold in the past.
ALTER TABLE bookings ADD COLUMN booked_check_in_at timestamptz;

CREATE TABLE booking_room_segments (
    hotel_id     uuid NOT NULL,
    booking_id   uuid NOT NULL,
    room_id      uuid NOT NULL,
    room_type_id uuid NOT NULL,
    period       tstzrange NOT NULL,
    moved_at     timestamptz NOT NULL DEFAULT now(),
    moved_by     uuid REFERENCES users (id),
    PRIMARY KEY (hotel_id, booking_id, period),
    FOREIGN KEY (hotel_id, booking_id) REFERENCES bookings (hotel_id, id),
    FOREIGN KEY (hotel_id, room_id) REFERENCES rooms (hotel_id, id),
    CONSTRAINT booking_room_segments_period_valid
        CHECK (NOT isempty(period) AND lower_inc(period) AND NOT upper_inc(period))
);
-- The room chart reads a hotel's segments that end inside or after its range.
CREATE INDEX booking_room_segments_hotel_idx ON booking_room_segments (hotel_id, upper(period));
