-- City search reads a hotel's rate rows for a range of dates across all its room types and
-- plans. The primary key leads with (hotel, type, plan), so that scan could not be bounded by
-- date; this index serves it as one short index-only range per hotel.
CREATE INDEX daily_rates_hotel_date_idx ON daily_rates (hotel_id, date)
    INCLUDE (room_type_id, rate_plan_id, price_minor, min_stay, max_stay, closed_to_arrival,
             closed_to_departure, stop_sell);
