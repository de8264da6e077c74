-- Placing a booking in one round trip (issue 12): the allocation, the booking, its nights, the
-- invoice (number, header, lines), the booking.created event and the cap on card-less stays,
-- in one server-side call. Before, each was a statement of its own, a network round trip each,
-- and the per-hotel invoice counter stayed locked across the round trips that followed it.
--
-- The rules stay in the application: the price, the nights, the terms and whether a cap applies
-- are computed by core (the same code that quotes offers) and passed in. This function only
-- writes them, and chooses the room.
--
-- Allocation: lock one free room of the type that no concurrent booking is allocating (SKIP
-- LOCKED), insert with ON CONFLICT DO NOTHING, which the exclusion constraint no_overlapping_stays
-- arbitrates: a room whose booking committed after this statement's snapshot gives no row
-- instead of an error, and the next room is tried (at most 10). The constraint remains the only
-- thing the no-double-booking guarantee rests on.
--
-- o_outcome: 'booked', 'sold_out' or 'limit_reached' (nothing written for the last two).
CREATE FUNCTION book_stay(
    p_hotel uuid, p_type uuid, p_plan uuid, p_guest uuid, p_guest_name text, p_guests integer,
    p_check_in date, p_check_out date, p_starts timestamptz, p_ends timestamptz,
    p_currency text, p_total bigint, p_free_until timestamptz, p_penalty text,
    p_card_last4 text, p_transaction text, p_special text, p_actor uuid,
    p_nights date[], p_amounts bigint[], p_unsecured_limit integer)
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
    v_number bigint;
BEGIN
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

    -- The per-hotel counter last: its row lock is held only until the commit that follows.
    INSERT INTO invoice_counters (hotel_id, last_number) VALUES (p_hotel, 1)
    ON CONFLICT (hotel_id) DO UPDATE SET last_number = invoice_counters.last_number + 1
    RETURNING last_number INTO v_number;
    INSERT INTO invoices (hotel_id, booking_id, number, kind, currency, total_minor)
    VALUES (p_hotel, v_booking, v_number, 'booking', p_currency, p_total)
    RETURNING id INTO v_invoice;
    INSERT INTO invoice_lines (hotel_id, invoice_id, line_no, description, service_date,
                               amount_minor)
    SELECT p_hotel, v_invoice, ord::int4, 'Night of ' || to_char(n, 'YYYY-MM-DD'), n, a
      FROM unnest(p_nights, p_amounts) WITH ORDINALITY AS u(n, a, ord);

    RETURN QUERY SELECT 'booked'::text, v_booking, v_room, v_room_number, v_invoice, v_number,
                        v_created;
END
$$;
