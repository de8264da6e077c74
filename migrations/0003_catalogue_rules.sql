-- Rules of the catalogue API that the database also enforces: prices are positive, and a
-- minimum stay never exceeds the maximum on the same day (also after a partial update that
-- changes only one of the two).
ALTER TABLE daily_rates DROP CONSTRAINT daily_rates_price_valid;
ALTER TABLE daily_rates ADD CONSTRAINT daily_rates_price_positive
    CHECK (price_minor IS NULL OR price_minor > 0);
ALTER TABLE daily_rates ADD CONSTRAINT daily_rates_stay_bounds
    CHECK (min_stay IS NULL OR max_stay IS NULL OR min_stay <= max_stay);

-- Availability counts active stays and out-of-service periods per room type and night.
CREATE INDEX bookings_type_dates_idx ON bookings (hotel_id, room_type_id, check_in, check_out)
    WHERE status IN ('confirmed', 'checked_in', 'checked_out');
