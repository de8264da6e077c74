-- Rate plans price by occupancy, include things, and may follow another plan (issue 13,
-- part 2; docs/DOMAIN.md "Rate plans: occupancy, inclusions, derived plans").
--
-- - Occupancy: a daily rate is the price for the plan's included_guests; each guest beyond
--   them adds extra_guest_minor to every night. The defaults (1 guest, nothing extra) keep
--   every existing plan's prices as they were.
-- - Inclusions: what the price includes (breakfast), as parallel arrays of names and per-night
--   amounts (0: named only). A booking keeps the inclusions of its plan as booked, so that its
--   invoices split each night the same way whatever the plan becomes later.
-- - Derived plans: parent_plan_id and adjustment_bp (basis points, -1000 = 10% less). A derived
--   plan's daily_rates rows are written by hoteld from its parent's, in the transaction that
--   writes the parent's (the rule, core::derived_rate, has one implementation), so every reader
--   of daily_rates (the booking quote, offers, both searches, the index) sees them as rows like
--   any other. One level only: a parent is never itself derived.

ALTER TABLE rate_plans
    ADD COLUMN included_guests integer NOT NULL DEFAULT 1,
    ADD COLUMN extra_guest_minor bigint NOT NULL DEFAULT 0,
    ADD COLUMN inclusion_names text[] NOT NULL DEFAULT '{}',
    ADD COLUMN inclusion_amounts bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN parent_plan_id uuid,
    ADD COLUMN adjustment_bp integer,
    ADD CONSTRAINT rate_plans_included_guests_range CHECK (included_guests BETWEEN 1 AND 50),
    ADD CONSTRAINT rate_plans_extra_guest_range CHECK (extra_guest_minor >= 0),
    ADD CONSTRAINT rate_plans_inclusions_valid CHECK (
        cardinality(inclusion_names) = cardinality(inclusion_amounts)
        AND cardinality(inclusion_names) <= 10),
    ADD CONSTRAINT rate_plans_derivation_valid CHECK (
        (parent_plan_id IS NULL) = (adjustment_bp IS NULL)
        AND (adjustment_bp IS NULL OR adjustment_bp BETWEEN -9999 AND 100000)
        AND parent_plan_id IS DISTINCT FROM id),
    ADD CONSTRAINT rate_plans_parent_fk FOREIGN KEY (hotel_id, parent_plan_id)
        REFERENCES rate_plans (hotel_id, id);
CREATE INDEX rate_plans_parent_idx ON rate_plans (hotel_id, parent_plan_id)
    WHERE parent_plan_id IS NOT NULL;

ALTER TABLE bookings
    ADD COLUMN inclusion_names text[] NOT NULL DEFAULT '{}',
    ADD COLUMN inclusion_amounts bigint[] NOT NULL DEFAULT '{}';

-- book_stay as in 0021, with two changes: the plan's inclusions kept with the booking, and the
-- invoice's item lines as hoteld's core writes them (core::night_lines: each night, then the
-- inclusions it carves out). Both default to NULL: a call with 0021's arguments (such as
-- bench/book_stay.pgbench) books as before, a line per night.
DROP FUNCTION book_stay(uuid, uuid, uuid, uuid, text, integer, date, date, timestamptz,
                        timestamptz, text, bigint, timestamptz, text, text, text, text, uuid,
                        date[], bigint[], integer, bigint, text, text);
CREATE FUNCTION book_stay(
    p_hotel uuid, p_type uuid, p_plan uuid, p_guest uuid, p_guest_name text, p_guests integer,
    p_check_in date, p_check_out date, p_starts timestamptz, p_ends timestamptz,
    p_currency text, p_total bigint, p_free_until timestamptz, p_penalty text,
    p_card_last4 text, p_transaction text, p_special text, p_actor uuid,
    p_nights date[], p_amounts bigint[], p_unsecured_limit integer,
    p_catalogue_version bigint, p_guest_email text DEFAULT NULL, p_guest_phone text DEFAULT NULL,
    p_inclusion_names text[] DEFAULT NULL, p_inclusion_amounts bigint[] DEFAULT NULL,
    p_line_texts text[] DEFAULT NULL, p_line_dates date[] DEFAULT NULL,
    p_line_amounts bigint[] DEFAULT NULL)
RETURNS TABLE (o_outcome text, o_booking uuid, o_room uuid, o_room_number text, o_invoice uuid,
               o_invoice_number bigint, o_created timestamptz, o_invoice_total bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_room uuid;
    v_room_number text;
    v_tried uuid[] := '{}';
    v_booking uuid;
    v_created timestamptz;
    v_invoice uuid;
    v_invoice_total bigint;
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
                                NULL::bigint, NULL::timestamptz, NULL::bigint;
            RETURN;
        END IF;
    ELSIF NOT EXISTS (SELECT 1 FROM room_types
                       WHERE hotel_id = p_hotel AND id = p_type AND retired_at IS NULL)
          OR NOT EXISTS (SELECT 1 FROM rate_plans
                          WHERE hotel_id = p_hotel AND id = p_plan AND retired_at IS NULL) THEN
        -- Quoted from SQL before a retirement that committed since.
        RETURN QUERY SELECT 'retired'::text, NULL::uuid, NULL::uuid, NULL::text, NULL::uuid,
                            NULL::bigint, NULL::timestamptz, NULL::bigint;
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
                                NULL::uuid, NULL::bigint, NULL::timestamptz, NULL::bigint;
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
                              payment_transaction_id, special_requests, created_by,
                              guest_email, guest_phone, inclusion_names, inclusion_amounts)
        VALUES (p_hotel, 'stay', 'confirmed', v_room, p_type, p_plan, p_guest, p_guest_name,
                p_guests, p_check_in, p_check_out, tstzrange(p_starts, p_ends, '[)'), p_currency,
                p_total, p_free_until, p_penalty, p_card_last4, p_transaction, p_special, p_actor,
                p_guest_email, p_guest_phone, coalesce(p_inclusion_names, '{}'),
                coalesce(p_inclusion_amounts, '{}'))
        ON CONFLICT DO NOTHING
        RETURNING id, created_at INTO v_booking, v_created;
        EXIT WHEN v_booking IS NOT NULL;
        v_tried := v_tried || v_room;
    END LOOP;
    IF v_booking IS NULL THEN
        RETURN QUERY SELECT 'sold_out'::text, NULL::uuid, NULL::uuid, NULL::text, NULL::uuid,
                            NULL::bigint, NULL::timestamptz, NULL::bigint;
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
    IF p_line_texts IS NULL THEN
        INSERT INTO invoice_lines (hotel_id, invoice_id, line_no, description, service_date,
                                   amount_minor)
        SELECT p_hotel, v_invoice, ord::int4, 'Night of ' || to_char(n, 'YYYY-MM-DD'), n, a
          FROM unnest(p_nights, p_amounts) WITH ORDINALITY AS u(n, a, ord);
    ELSE
        INSERT INTO invoice_lines (hotel_id, invoice_id, line_no, description, service_date,
                                   amount_minor)
        SELECT p_hotel, v_invoice, ord::int4, t, d, a
          FROM unnest(p_line_texts, p_line_dates, p_line_amounts) WITH ORDINALITY AS u(t, d, a, ord);
    END IF;
    v_invoice_total := add_invoice_taxes(p_hotel, v_booking, v_invoice);

    RETURN QUERY SELECT 'booked'::text, v_booking, v_room, v_room_number, v_invoice,
                        NULL::bigint, v_created, v_invoice_total;
END
$$;
