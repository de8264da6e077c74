-- Housekeeping (issue 13): each room's state for the housekeepers and the front desk. A table of
-- its own rather than a column of rooms: it changes at every check-out, and rooms is a table
-- the search index follows (a change there reloads the hotel on every node). A room without a
-- row is clean.
CREATE TABLE room_housekeeping (
    hotel_id   uuid NOT NULL,
    room_id    uuid NOT NULL,
    status     text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by uuid REFERENCES users (id),
    PRIMARY KEY (hotel_id, room_id),
    FOREIGN KEY (hotel_id, room_id) REFERENCES rooms (hotel_id, id),
    CONSTRAINT room_housekeeping_status_valid
        CHECK (status IN ('clean', 'dirty', 'inspected', 'out_of_order'))
);
