-- Invoice numbers given right after commit, in batches, instead of inside every booking's
-- transaction (issue 12).
--
-- Before, each booking took the next number from its hotel's row in invoice_counters and held
-- that row's lock until its commit was flushed: one hotel could not book faster than one WAL
-- flush at a time (a few hundred bookings/s), and at 20 hotels the wait for that lock was most
-- of a booking's time in the database.
--
-- Now the invoice (header, lines, total) is still written in the booking's transaction, so a
-- booking never exists without its invoice; only its number is left empty. A numbering step,
-- number_pending_invoices(), run right after commit by the node that booked (batched: one call
-- serves every booking that committed while the previous call ran) and swept periodically by
-- every node, gives the pending invoices of each hotel the next numbers of its series, in the
-- order they were created, and stamps them issued. Numbers are still gapless and unique per
-- hotel (a failed numbering step writes nothing, and the counter moves in the same transaction
-- as the numbers), and chronological: issued_at grows with the number, since numbering steps
-- run one at a time (an advisory lock) and stamp the time after taking it.

ALTER TABLE invoices
    ALTER COLUMN number DROP NOT NULL,
    ALTER COLUMN issued_at DROP NOT NULL,
    ALTER COLUMN issued_at DROP DEFAULT,
    ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(),
    ADD CONSTRAINT invoices_numbered_when_issued CHECK ((number IS NULL) = (issued_at IS NULL));
UPDATE invoices SET created_at = issued_at;

-- The pending ones, for the numbering step; a numbered invoice leaves this index.
CREATE INDEX invoices_pending_idx ON invoices (hotel_id, created_at, id) WHERE number IS NULL;

-- Numbers every pending invoice; returns the invoices it numbered with their numbers. Callers
-- run it in a transaction of its own. The advisory lock makes numbering steps (of every node)
-- run one at a time; the statements after it take their snapshots once it is held, so each
-- step sees what the previous one numbered.
CREATE FUNCTION number_pending_invoices()
RETURNS TABLE (o_invoice uuid, o_number bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_at timestamptz;
BEGIN
    PERFORM pg_advisory_xact_lock(7318094402116640512);  -- 'hotel invoice numbering'
    v_at := clock_timestamp();
    RETURN QUERY
    WITH pending AS (
        SELECT i.hotel_id, i.id,
               row_number() OVER (PARTITION BY i.hotel_id ORDER BY i.created_at, i.id) AS n
          FROM invoices i
         WHERE i.number IS NULL),
    counts AS (
        SELECT hotel_id, count(*) AS c FROM pending GROUP BY hotel_id),
    bumped AS (
        INSERT INTO invoice_counters AS k (hotel_id, last_number)
        SELECT hotel_id, c FROM counts
        ON CONFLICT (hotel_id) DO UPDATE SET last_number = k.last_number + EXCLUDED.last_number
        RETURNING k.hotel_id, k.last_number),
    numbered AS (
        UPDATE invoices i
           SET number = b.last_number - c.c + p.n, issued_at = v_at
          FROM pending p
          JOIN counts c ON c.hotel_id = p.hotel_id
          JOIN bumped b ON b.hotel_id = p.hotel_id
         WHERE i.hotel_id = p.hotel_id AND i.id = p.id
        RETURNING i.id, i.number)
    SELECT id, number FROM numbered;
END
$$;

-- book_stay as in 0008, but the invoice is left for number_pending_invoices(): no counter row
-- is locked by a booking any more. o_invoice_number is kept in the result (NULL) so that callers
-- of either version read the same columns.
CREATE OR REPLACE FUNCTION book_stay(
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
