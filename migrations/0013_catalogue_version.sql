-- Booking from a quote held in memory (issue 12): the hotel's catalogue version.
--
-- hoteld quotes a booking (hotel, room type, plan, the nights' prices and restrictions) from its
-- search index when that index is live, instead of reading the hotel and its rates from SQL
-- before book_stay: two statements and their round trips fewer per booking. The index may lag
-- the database by a few milliseconds, so the quote carries the version of the hotel's catalogue
-- it was read from, and book_stay checks it first: a different version answers 'stale' and
-- writes nothing, and hoteld quotes again from SQL.
--
-- catalogue_version grows with every committed change of what a quote reads: the hotel row
-- itself, its room types, rate plans and daily rates (rooms and bookings are not part of a
-- quote: the room is chosen here, under the exclusion constraint). Statement-level triggers
-- bump it once per statement and hotel. The index reads it in the same snapshot as the rest of
-- the hotel, before the other rows, so a quote is never older than the version it carries.

ALTER TABLE hotels ADD COLUMN catalogue_version bigint NOT NULL DEFAULT 1;

-- A direct edit of the hotel row (name, zone, times, currency) bumps it too, unless the update
-- is itself the bump.
CREATE FUNCTION hotels_catalogue_edit() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.catalogue_version = OLD.catalogue_version THEN
        NEW.catalogue_version := OLD.catalogue_version + 1;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER hotels_catalogue_edit BEFORE UPDATE ON hotels
    FOR EACH ROW EXECUTE FUNCTION hotels_catalogue_edit();

CREATE FUNCTION catalogue_bump_new() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE hotels h SET catalogue_version = h.catalogue_version + 1
     WHERE h.id IN (SELECT DISTINCT hotel_id FROM changed);
    RETURN NULL;
END
$$;

CREATE TRIGGER room_types_catalogue_insert AFTER INSERT ON room_types
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION catalogue_bump_new();
CREATE TRIGGER room_types_catalogue_update AFTER UPDATE ON room_types
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION catalogue_bump_new();
CREATE TRIGGER room_types_catalogue_delete AFTER DELETE ON room_types
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION catalogue_bump_new();
CREATE TRIGGER rate_plans_catalogue_insert AFTER INSERT ON rate_plans
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION catalogue_bump_new();
CREATE TRIGGER rate_plans_catalogue_update AFTER UPDATE ON rate_plans
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION catalogue_bump_new();
CREATE TRIGGER rate_plans_catalogue_delete AFTER DELETE ON rate_plans
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION catalogue_bump_new();
CREATE TRIGGER daily_rates_catalogue_insert AFTER INSERT ON daily_rates
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION catalogue_bump_new();
CREATE TRIGGER daily_rates_catalogue_update AFTER UPDATE ON daily_rates
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION catalogue_bump_new();
CREATE TRIGGER daily_rates_catalogue_delete AFTER DELETE ON daily_rates
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION catalogue_bump_new();

-- book_stay as in 0011, with the version to check (NULL: the quote came from SQL, no check).
DROP FUNCTION book_stay(uuid, uuid, uuid, uuid, text, integer, date, date, timestamptz,
                        timestamptz, text, bigint, timestamptz, text, text, text, text, uuid,
                        date[], bigint[], integer);
CREATE FUNCTION book_stay(
    p_hotel uuid, p_type uuid, p_plan uuid, p_guest uuid, p_guest_name text, p_guests integer,
    p_check_in date, p_check_out date, p_starts timestamptz, p_ends timestamptz,
    p_currency text, p_total bigint, p_free_until timestamptz, p_penalty text,
    p_card_last4 text, p_transaction text, p_special text, p_actor uuid,
    p_nights date[], p_amounts bigint[], p_unsecured_limit integer,
    p_catalogue_version bigint)
RETURNS TABLE (o_outcome text, o_booking uuid, o_room uuid, o_room_number text, o_invoice uuid,
               o_invoice_number bigint, o_created timestamptz)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_room uuid;
    v_room_number text;
    v_tried uuid[] := '{}';
    v_booking uuid;
    v_created timestamptz;
    v_invoice uuid;
BEGIN
    -- A quote from a node's memory is good only if the hotel's catalogue is still the one it
    -- was read from; otherwise the caller quotes again from SQL (nothing is written).
    IF p_catalogue_version IS NOT NULL
       AND (SELECT catalogue_version FROM hotels WHERE id = p_hotel)
           IS DISTINCT FROM p_catalogue_version THEN
        RETURN QUERY SELECT 'stale'::text, NULL::uuid, NULL::uuid, NULL::text, NULL::uuid,
                            NULL::bigint, NULL::timestamptz;
        RETURN;
    END IF;

    -- The cap: the guest's row is locked first, then counted by a statement of its own, which
    -- takes its snapshot after the lock is granted (each statement of a VOLATILE function does).
    IF p_unsecured_limit IS NOT NULL THEN
        PERFORM 1 FROM users WHERE id = p_guest FOR UPDATE;
        IF (SELECT count(*) FROM bookings
             WHERE guest_id = p_guest AND kind = 'stay' AND status = 'confirmed'
               AND payment_transaction_id IS NULL) >= p_unsecured_limit THEN
            RETURN QUERY SELECT 'limit_reached'::text, NULL::uuid, NULL::uuid, NULL::text,
                                NULL::uuid, NULL::bigint, NULL::timestamptz;
            RETURN;
        END IF;
    END IF;

    FOR attempt IN 1..10 LOOP
        v_room := NULL;
        SELECT r.id, r.number INTO v_room, v_room_number
          FROM rooms r
         WHERE r.hotel_id = p_hotel AND r.room_type_id = p_type AND r.id <> ALL (v_tried)
           AND NOT EXISTS (SELECT 1 FROM bookings b
                            WHERE b.hotel_id = r.hotel_id AND b.room_id = r.id
                              AND b.status IN ('confirmed', 'checked_in', 'checked_out')
                              AND b.period && tstzrange(p_starts, p_ends, '[)'))
         ORDER BY r.number
         FOR UPDATE OF r SKIP LOCKED
         LIMIT 1;
        EXIT WHEN v_room IS NULL;
        INSERT INTO bookings (hotel_id, kind, status, room_id, room_type_id, rate_plan_id,
                              guest_id, guest_name, guests, check_in, check_out, period, currency,
                              total_minor, free_cancellation_until, penalty, card_last4,
                              payment_transaction_id, special_requests, created_by)
        VALUES (p_hotel, 'stay', 'confirmed', v_room, p_type, p_plan, p_guest, p_guest_name,
                p_guests, p_check_in, p_check_out, tstzrange(p_starts, p_ends, '[)'), p_currency,
                p_total, p_free_until, p_penalty, p_card_last4, p_transaction, p_special, p_actor)
        ON CONFLICT DO NOTHING
        RETURNING id, created_at INTO v_booking, v_created;
        EXIT WHEN v_booking IS NOT NULL;
        v_tried := v_tried || v_room;
    END LOOP;
    IF v_booking IS NULL THEN
        RETURN QUERY SELECT 'sold_out'::text, NULL::uuid, NULL::uuid, NULL::text, NULL::uuid,
                            NULL::bigint, NULL::timestamptz;
        RETURN;
    END IF;

    INSERT INTO booking_nights (hotel_id, booking_id, night, amount_minor)
    SELECT p_hotel, v_booking, n, a FROM unnest(p_nights, p_amounts) AS u(n, a);

    INSERT INTO booking_events (hotel_id, booking_id, type, actor_id, version, payload)
    VALUES (p_hotel, v_booking, 'booking.created', p_actor, 1,
            jsonb_build_object('total_minor', p_total));

    INSERT INTO invoices (hotel_id, booking_id, kind, currency, total_minor)
    VALUES (p_hotel, v_booking, 'booking', p_currency, p_total)
    RETURNING id INTO v_invoice;
    INSERT INTO invoice_lines (hotel_id, invoice_id, line_no, description, service_date,
                               amount_minor)
    SELECT p_hotel, v_invoice, ord::int4, 'Night of ' || to_char(n, 'YYYY-MM-DD'), n, a
      FROM unnest(p_nights, p_amounts) WITH ORDINALITY AS u(n, a, ord);

    RETURN QUERY SELECT 'booked'::text, v_booking, v_room, v_room_number, v_invoice,
                        NULL::bigint, v_created;
END
$$;
