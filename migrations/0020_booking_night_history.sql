-- The nights a stay had before each change (issue 13, part 5): pickup "as of" a past instant
-- counts each stay with the nights and prices it had then, not the ones it has now.
--
-- A stay's nights are replaced whole by every change that reprices it (booking_nights_delete,
-- then the new ones inserted). Each night now records when it was written (NULL for nights
-- written before this migration: since their booking was created), and a statement-level
-- trigger keeps every deleted night in booking_night_history with the instant it was replaced.
-- Placing a booking (book_stay) only inserts nights: the trigger costs it nothing.
ALTER TABLE booking_nights ADD COLUMN recorded_at timestamptz;
ALTER TABLE booking_nights ALTER COLUMN recorded_at SET DEFAULT now();

CREATE TABLE booking_night_history (
    hotel_id     uuid NOT NULL,
    booking_id   uuid NOT NULL,
    night        date NOT NULL,
    amount_minor bigint NOT NULL,
    recorded_at  timestamptz,  -- NULL: since the booking was created
    replaced_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX booking_night_history_night_idx ON booking_night_history (hotel_id, night);

CREATE FUNCTION keep_replaced_nights() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO booking_night_history (hotel_id, booking_id, night, amount_minor, recorded_at)
    SELECT hotel_id, booking_id, night, amount_minor, recorded_at FROM replaced;
    RETURN NULL;
END
$$;
CREATE TRIGGER booking_nights_keep_replaced AFTER DELETE ON booking_nights
    REFERENCING OLD TABLE AS replaced FOR EACH STATEMENT EXECUTE FUNCTION keep_replaced_nights();
