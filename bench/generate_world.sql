-- The search benchmark's world, generated in bulk (set-based INSERT ... SELECT, no per-row
-- round trips) and deterministic for a given seed (psql -v seed=0.42):
--   200 hotels in one city, 3 room types x 100 rooms each (60,000 rooms), 2 rate plans,
--   365 days of rates with some restrictions, and about 540,000 bookings.
-- Bookings never overlap: each room's first 360 days are cut into slots of :slot days (psql
-- -v slot=N, default 40, at least 11) with at most one stay (1-7 nights) starting somewhere in
-- the first slot - 10 days of its slot. slot=20 gives about twice the bookings of the default.
\set ON_ERROR_STOP on
\if :{?slot}
\else
\set slot 40
\endif
SELECT setseed(:seed);

INSERT INTO users (id, email, name, password_hash, role)
VALUES ('00000000-0000-0000-0000-0000000000be', 'bench@bench.local', 'Bench Guest', 'x', 'guest')
ON CONFLICT DO NOTHING;

INSERT INTO hotels (id, name, city, country, timezone, currency)
SELECT md5('bench:hotel:' || h)::uuid, 'Bench Hotel ' || lpad(h::text, 3, '0'), 'Benchville', 'PT',
       'Europe/Lisbon', 'EUR'
FROM generate_series(1, 200) AS h;
INSERT INTO invoice_counters (hotel_id) SELECT id FROM hotels WHERE city = 'Benchville';

INSERT INTO room_types (hotel_id, id, code, name, max_occupancy)
SELECT md5('bench:hotel:' || h)::uuid, md5('bench:type:' || h || ':' || t)::uuid, 'T' || t,
       'Type ' || t, t + 1
FROM generate_series(1, 200) AS h, generate_series(1, 3) AS t;

INSERT INTO rooms (hotel_id, id, room_type_id, number, floor)
SELECT md5('bench:hotel:' || h)::uuid, md5('bench:room:' || h || ':' || t || ':' || n)::uuid,
       md5('bench:type:' || h || ':' || t)::uuid, (t * 1000 + n)::text, t
FROM generate_series(1, 200) AS h, generate_series(1, 3) AS t, generate_series(1, 100) AS n;

INSERT INTO rate_plans (hotel_id, id, code, name, refundable, free_cancellation_hours, penalty)
SELECT md5('bench:hotel:' || h)::uuid, md5('bench:plan:' || h || ':FLEX')::uuid, 'FLEX', 'Flexible',
       true, 48, 'first_night'
FROM generate_series(1, 200) AS h
UNION ALL
SELECT md5('bench:hotel:' || h)::uuid, md5('bench:plan:' || h || ':NRF')::uuid, 'NRF', 'Non-refundable',
       false, NULL, NULL
FROM generate_series(1, 200) AS h;

-- Prices vary by hotel and type; ~2% of days stop-sold, ~5% with a minimum stay of 2.
INSERT INTO daily_rates (hotel_id, room_type_id, rate_plan_id, date, price_minor, min_stay,
                         stop_sell)
SELECT md5('bench:hotel:' || h)::uuid, md5('bench:type:' || h || ':' || t)::uuid,
       md5('bench:plan:' || h || ':' || p)::uuid, current_date + d,
       (6000 + (h * 37 % 90) * 100 + t * 2500) * (CASE p WHEN 'NRF' THEN 90 ELSE 100 END) / 100,
       CASE WHEN random() < 0.05 THEN 2 END,
       random() < 0.02
FROM generate_series(1, 200) AS h, generate_series(1, 3) AS t, unnest(ARRAY['FLEX', 'NRF']) AS p,
     generate_series(0, 364) AS d;

INSERT INTO bookings (hotel_id, room_id, room_type_id, rate_plan_id, guest_id, guests, status,
                      check_in, check_out, period, currency, total_minor, penalty)
SELECT s.hotel_id, s.room_id, s.room_type_id, s.plan_id, '00000000-0000-0000-0000-0000000000be', 1,
       CASE WHEN random() < 0.1 THEN 'cancelled' ELSE 'confirmed' END,
       s.check_in, s.check_in + s.nights,
       tstzrange((s.check_in + time '15:00') AT TIME ZONE 'Europe/Lisbon',
                 (s.check_in + s.nights + time '11:00') AT TIME ZONE 'Europe/Lisbon', '[)'),
       'EUR', s.nights * 10000, 'non_refundable'
FROM (SELECT md5('bench:hotel:' || h)::uuid AS hotel_id,
             md5('bench:room:' || h || ':' || t || ':' || n)::uuid AS room_id,
             md5('bench:type:' || h || ':' || t)::uuid AS room_type_id,
             md5('bench:plan:' || h || ':NRF')::uuid AS plan_id,
             current_date + k * :slot + floor(random() * (:slot - 10))::int AS check_in,
             1 + floor(random() * 7)::int AS nights
      FROM generate_series(1, 200) AS h, generate_series(1, 3) AS t, generate_series(1, 100) AS n,
           generate_series(0, 360 / :slot - 1) AS k) AS s
WHERE s.check_in + s.nights <= current_date + 365;

VACUUM ANALYZE;
SELECT (SELECT count(*) FROM hotels WHERE city = 'Benchville') AS hotels,
       (SELECT count(*) FROM rooms) AS rooms,
       (SELECT count(*) FROM daily_rates) AS rate_days,
       (SELECT count(*) FROM bookings) AS bookings;
