-- City search reads a hotel's rate rows for a range of dates across all its room types and
-- plans. The primary key leads with (hotel, type, plan), so that scan could not be bounded by
-- date; this index serves it as one short index-only range per hotel.
CREATE INDEX daily_rates_hotel_date_idx ON daily_rates (hotel_id, date)
    INCLUDE (room_type_id, rate_plan_id, price_minor, min_stay, max_stay, closed_to_arrival,
             closed_to_departure, stop_sell);

-- "Is this room free for the stay?" as a btree range: a room's active stays ordered by their
-- end instant. Overlap with [s, e) is upper(period) > s AND lower(period) < e, so the probe
-- reads only the room's stays ending after the arrival (a handful), not its history. (The
-- exclusion constraint's GiST index answers the same question, but a probe costs several
-- times more.)
CREATE INDEX bookings_room_end_idx ON bookings (room_id, upper(period), lower(period))
    WHERE status IN ('confirmed', 'checked_in', 'checked_out');
