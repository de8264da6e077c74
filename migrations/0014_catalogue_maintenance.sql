-- Catalogue maintenance (issue 13): room types, rooms and rate plans are retired, never erased
-- (bookings and invoices keep pointing at them), and a retired one is hidden from selling.

ALTER TABLE room_types ADD COLUMN retired_at timestamptz;
ALTER TABLE rooms ADD COLUMN retired_at timestamptz;
ALTER TABLE rate_plans ADD COLUMN retired_at timestamptz;

-- A retired code or room number may be used again by a new one.
ALTER TABLE room_types DROP CONSTRAINT room_types_code_key;
CREATE UNIQUE INDEX room_types_code_key ON room_types (hotel_id, code) WHERE retired_at IS NULL;
ALTER TABLE rate_plans DROP CONSTRAINT rate_plans_code_key;
CREATE UNIQUE INDEX rate_plans_code_key ON rate_plans (hotel_id, code) WHERE retired_at IS NULL;
ALTER TABLE rooms DROP CONSTRAINT rooms_number_key;
CREATE UNIQUE INDEX rooms_number_key ON rooms (hotel_id, number) WHERE retired_at IS NULL;

-- The stays that hold a room type, rate plan or room: in the house (even past their departure
-- time, until checked out), or confirmed and not over.
CREATE FUNCTION stays_holding(p_hotel uuid, p_type uuid, p_plan uuid, p_room uuid)
RETURNS TABLE (o_booking uuid, o_check_in date, o_check_out date)
LANGUAGE sql STABLE AS $$
    SELECT id, check_in, check_out FROM bookings
     WHERE hotel_id = p_hotel AND kind = 'stay'
       AND (status = 'checked_in' OR (status = 'confirmed' AND upper(period) > now()))
       AND (p_type IS NULL OR room_type_id = p_type)
       AND (p_plan IS NULL OR rate_plan_id = p_plan)
       AND (p_room IS NULL OR room_id = p_room)
     ORDER BY check_in, id
     LIMIT 100
$$;

-- Retires a room type and its rooms, or a rate plan, unless stays hold it: then nothing changes
-- and the stays are returned ('in_use'). The exclusive hold waits for bookings of it in flight
-- (book_stay holds it shared), so none can slip in between the look and the retirement.
-- 'not_found': no such live room type or plan in the hotel.
CREATE FUNCTION retire_catalogue_item(p_hotel uuid, p_type uuid, p_plan uuid)
RETURNS TABLE (o_outcome text, o_booking uuid, o_check_in date, o_check_out date)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF p_type IS NOT NULL THEN
        PERFORM pg_advisory_xact_lock(1952801, hashtext(p_type::text));
        PERFORM 1 FROM room_types
         WHERE hotel_id = p_hotel AND id = p_type AND retired_at IS NULL FOR UPDATE;
        IF FOUND THEN
            -- A room move onto one of its rooms holds that room's row: it finishes first and
            -- is then seen (bookings of the type are held off by the lock above).
            PERFORM 1 FROM rooms
             WHERE hotel_id = p_hotel AND room_type_id = p_type AND retired_at IS NULL
             ORDER BY id FOR UPDATE;
            FOUND := true;
        END IF;
    ELSE
        PERFORM pg_advisory_xact_lock(1952802, hashtext(p_plan::text));
        PERFORM 1 FROM rate_plans
         WHERE hotel_id = p_hotel AND id = p_plan AND retired_at IS NULL FOR UPDATE;
    END IF;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'not_found'::text, NULL::uuid, NULL::date, NULL::date;
        RETURN;
    END IF;
    RETURN QUERY SELECT 'in_use'::text, s.o_booking, s.o_check_in, s.o_check_out
                   FROM stays_holding(p_hotel, p_type, p_plan, NULL) s;
    IF FOUND THEN
        RETURN;
    END IF;
    IF p_type IS NOT NULL THEN
        UPDATE room_types SET retired_at = now() WHERE hotel_id = p_hotel AND id = p_type;
        UPDATE rooms SET retired_at = now()
         WHERE hotel_id = p_hotel AND room_type_id = p_type AND retired_at IS NULL;
    ELSE
        UPDATE rate_plans SET retired_at = now() WHERE hotel_id = p_hotel AND id = p_plan;
    END IF;
    RETURN QUERY SELECT 'retired'::text, NULL::uuid, NULL::date, NULL::date;
END
$$;

-- Changes a room: its number, floor and type, or retires it (p_retire). A new type or a
-- retirement is refused while stays hold the room ('in_use', with them). The room's row lock
-- is the one a booking's allocation takes, so an allocation in flight finishes first and is
-- then seen; one that comes later skips the room or sees it changed. 'not_found': no such
-- live room; 'unknown_room_type': the new type is not a live type of the hotel; 'duplicate':
-- another live room has the number.
CREATE FUNCTION change_room(p_hotel uuid, p_room uuid, p_number text, p_set_floor boolean,
                            p_floor integer, p_type uuid, p_retire boolean)
RETURNS TABLE (o_outcome text, o_booking uuid, o_check_in date, o_check_out date)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_type uuid;
BEGIN
    SELECT room_type_id INTO v_type FROM rooms
     WHERE hotel_id = p_hotel AND id = p_room AND retired_at IS NULL FOR UPDATE;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'not_found'::text, NULL::uuid, NULL::date, NULL::date;
        RETURN;
    END IF;
    IF p_type IS NOT NULL AND p_type <> v_type THEN
        PERFORM pg_advisory_xact_lock_shared(1952801, hashtext(p_type::text));
        IF NOT EXISTS (SELECT 1 FROM room_types
                        WHERE hotel_id = p_hotel AND id = p_type AND retired_at IS NULL) THEN
            RETURN QUERY SELECT 'unknown_room_type'::text, NULL::uuid, NULL::date, NULL::date;
            RETURN;
        END IF;
    END IF;
    IF p_retire OR (p_type IS NOT NULL AND p_type <> v_type) THEN
        RETURN QUERY SELECT 'in_use'::text, s.o_booking, s.o_check_in, s.o_check_out
                       FROM stays_holding(p_hotel, NULL, NULL, p_room) s;
        IF FOUND THEN
            RETURN;
        END IF;
    END IF;
    IF p_number IS NOT NULL AND EXISTS (
           SELECT 1 FROM rooms WHERE hotel_id = p_hotel AND number = p_number
                                 AND id <> p_room AND retired_at IS NULL) THEN
        RETURN QUERY SELECT 'duplicate'::text, NULL::uuid, NULL::date, NULL::date;
        RETURN;
    END IF;
    UPDATE rooms
       SET number = coalesce(p_number, number),
           floor = CASE WHEN p_set_floor THEN p_floor ELSE floor END,
           room_type_id = coalesce(p_type, room_type_id),
           retired_at = CASE WHEN p_retire THEN now() ELSE retired_at END
     WHERE hotel_id = p_hotel AND id = p_room;
    -- A retired room's periods out of service to come are lifted (they would count against a
    -- type the room no longer serves); a moved room's count against its new type.
    IF p_retire THEN
        UPDATE bookings SET status = 'cancelled', cancelled_at = now(), version = version + 1,
                            updated_at = now()
         WHERE hotel_id = p_hotel AND room_id = p_room AND kind = 'out_of_service'
           AND status = 'confirmed' AND upper(period) > now();
    END IF;
    IF p_type IS NOT NULL AND p_type <> v_type THEN
        UPDATE bookings SET room_type_id = p_type
         WHERE hotel_id = p_hotel AND room_id = p_room AND kind = 'out_of_service'
           AND status = 'confirmed' AND upper(period) > now();
    END IF;
    RETURN QUERY SELECT (CASE WHEN p_retire THEN 'retired' ELSE 'changed' END)::text,
                        NULL::uuid, NULL::date, NULL::date;
END
$$;

-- book_stay as in 0013, and the room type and plan must be live (held against retirement), the
-- room too.
CREATE OR REPLACE FUNCTION book_stay(
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
    -- The room type and plan may not be retired meanwhile: a shared hold on each (retiring takes
    -- the exclusive one, so it waits for this booking and then sees it). What follows the holds
    -- is a statement of its own, with a snapshot taken once they are granted.
    PERFORM pg_advisory_xact_lock_shared(1952801, hashtext(p_type::text)),
            pg_advisory_xact_lock_shared(1952802, hashtext(p_plan::text));
    IF p_catalogue_version IS NOT NULL THEN
        -- A quote from a node's memory is good only if the hotel's catalogue is still the one
        -- it was read from; otherwise the caller quotes again from SQL (nothing is written).
        -- A retirement changes the version too (migration 0013's triggers), so this one look
        -- also covers it.
        IF (SELECT catalogue_version FROM hotels WHERE id = p_hotel)
           IS DISTINCT FROM p_catalogue_version THEN
            RETURN QUERY SELECT 'stale'::text, NULL::uuid, NULL::uuid, NULL::text, NULL::uuid,
                                NULL::bigint, NULL::timestamptz;
            RETURN;
        END IF;
    ELSIF NOT EXISTS (SELECT 1 FROM room_types
                       WHERE hotel_id = p_hotel AND id = p_type AND retired_at IS NULL)
          OR NOT EXISTS (SELECT 1 FROM rate_plans
                          WHERE hotel_id = p_hotel AND id = p_plan AND retired_at IS NULL) THEN
        -- Quoted from SQL before a retirement that committed since.
        RETURN QUERY SELECT 'retired'::text, NULL::uuid, NULL::uuid, NULL::text, NULL::uuid,
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
           AND r.retired_at IS NULL
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
