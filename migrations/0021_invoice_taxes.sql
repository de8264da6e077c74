-- Taxes on a stay's invoice (issue 13, part 4; docs/DOMAIN.md "Taxes").
--
-- A hotel may set a VAT rate and a city tax (hotel_taxes, a table of its own: hotels is a table
-- the search index follows, and tax settings do not change what is sold). Room prices include
-- VAT: a stay's invoice states the VAT it includes in one line (kind 'tax_included', not added to
-- the total), the sum of each item line's VAT rounded half-even to the minor unit. The city tax
-- is an amount per person per night, added on top: a line per night (kind 'tax'), counted in the
-- invoice's total and the balance due, not in the stay's price (what a card holds and a
-- cancellation costs). Settings apply to invoices issued after they change; an issued invoice
-- never changes.
--
-- One function writes the tax lines of every stay invoice, whichever path issues it (book_stay
-- here, and the repricing, departure and charge paths of hoteld through
-- sql::invoice_taxes_add), so the rule has one implementation.
CREATE TABLE hotel_taxes (
    hotel_id       uuid PRIMARY KEY REFERENCES hotels (id),
    vat_percent    numeric(4, 2),   -- e.g. 10.00; NULL: no VAT line
    city_tax_minor bigint,          -- per person per night, in the hotel's currency; NULL: none
    updated_at     timestamptz NOT NULL DEFAULT now(),
    updated_by     uuid REFERENCES users (id),
    CONSTRAINT hotel_taxes_vat_range CHECK (vat_percent >= 0 AND vat_percent < 100),
    CONSTRAINT hotel_taxes_city_tax_range CHECK (city_tax_minor >= 0)
);

ALTER TABLE invoice_lines ADD COLUMN kind text NOT NULL DEFAULT 'item',
    ADD CONSTRAINT invoice_lines_kind_valid CHECK (kind IN ('item', 'tax', 'tax_included'));

-- x rounded to the nearest integer, ties to the even one (2.5 -> 2, 3.5 -> 4, -2.5 -> -2).
CREATE FUNCTION round_half_even(x numeric) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT CASE WHEN abs(x - trunc(x)) = 0.5
                THEN (trunc(x) + CASE WHEN mod(trunc(x), 2) = 0 THEN 0 ELSE sign(x) END)::bigint
                ELSE round(x)::bigint END
$$;

-- Appends the hotel's tax lines to a stay invoice just written (its item lines and the stay's
-- nights in place) and returns the invoice's total with them.
CREATE FUNCTION add_invoice_taxes(p_hotel uuid, p_booking uuid, p_invoice uuid) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_vat numeric;
    v_city bigint;
    v_guests integer;
    v_nights bigint;
    v_last integer;
    v_total bigint;
BEGIN
    SELECT vat_percent, city_tax_minor INTO v_vat, v_city FROM hotel_taxes WHERE hotel_id = p_hotel;
    IF v_city IS NOT NULL AND v_city > 0 THEN
        SELECT guests INTO v_guests FROM bookings WHERE hotel_id = p_hotel AND id = p_booking;
        SELECT coalesce(max(line_no), 0) INTO v_last FROM invoice_lines
         WHERE hotel_id = p_hotel AND invoice_id = p_invoice;
        INSERT INTO invoice_lines (hotel_id, invoice_id, line_no, description, service_date,
                                   amount_minor, kind)
        SELECT p_hotel, p_invoice, v_last + (row_number() OVER (ORDER BY n.night))::int4,
               'City tax, night of ' || to_char(n.night, 'YYYY-MM-DD') || ' (' || v_guests ||
               CASE WHEN v_guests = 1 THEN ' guest)' ELSE ' guests)' END,
               n.night, v_city * v_guests, 'tax'
          FROM booking_nights n WHERE n.hotel_id = p_hotel AND n.booking_id = p_booking;
        GET DIAGNOSTICS v_nights = ROW_COUNT;  -- a line per night
        UPDATE invoices SET total_minor = total_minor + v_city * v_guests * v_nights
         WHERE hotel_id = p_hotel AND id = p_invoice;
    END IF;
    IF v_vat IS NOT NULL AND v_vat > 0 THEN
        SELECT coalesce(max(line_no), 0) INTO v_last FROM invoice_lines
         WHERE hotel_id = p_hotel AND invoice_id = p_invoice;
        INSERT INTO invoice_lines (hotel_id, invoice_id, line_no, description, amount_minor, kind)
        SELECT p_hotel, p_invoice, v_last + 1, 'VAT ' || to_char(v_vat, 'FM90.00') || '% included',
               coalesce(sum(round_half_even(l.amount_minor * v_vat / (100 + v_vat))), 0),
               'tax_included'
          FROM invoice_lines l
         WHERE l.hotel_id = p_hotel AND l.invoice_id = p_invoice AND l.kind = 'item';
    END IF;
    SELECT total_minor INTO v_total FROM invoices WHERE hotel_id = p_hotel AND id = p_invoice;
    RETURN v_total;
END
$$;

-- book_stay as in 0014, with two changes: a walk-in guest's contact (migration 0016; both NULL
-- for a guest with an account, and defaulted, so that a call with 0014's arguments, such as
-- bench/book_stay.pgbench, still works), and the invoice's tax lines (it answers the invoice's
-- total with them).
DROP FUNCTION book_stay(uuid, uuid, uuid, uuid, text, integer, date, date, timestamptz,
                        timestamptz, text, bigint, timestamptz, text, text, text, text, uuid,
                        date[], bigint[], integer, bigint);
CREATE FUNCTION book_stay(
    p_hotel uuid, p_type uuid, p_plan uuid, p_guest uuid, p_guest_name text, p_guests integer,
    p_check_in date, p_check_out date, p_starts timestamptz, p_ends timestamptz,
    p_currency text, p_total bigint, p_free_until timestamptz, p_penalty text,
    p_card_last4 text, p_transaction text, p_special text, p_actor uuid,
    p_nights date[], p_amounts bigint[], p_unsecured_limit integer,
    p_catalogue_version bigint, p_guest_email text DEFAULT NULL, p_guest_phone text DEFAULT NULL)
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
                              guest_email, guest_phone)
        VALUES (p_hotel, 'stay', 'confirmed', v_room, p_type, p_plan, p_guest, p_guest_name,
                p_guests, p_check_in, p_check_out, tstzrange(p_starts, p_ends, '[)'), p_currency,
                p_total, p_free_until, p_penalty, p_card_last4, p_transaction, p_special, p_actor,
                p_guest_email, p_guest_phone)
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
    INSERT INTO invoice_lines (hotel_id, invoice_id, line_no, description, service_date,
                               amount_minor)
    SELECT p_hotel, v_invoice, ord::int4, 'Night of ' || to_char(n, 'YYYY-MM-DD'), n, a
      FROM unnest(p_nights, p_amounts) WITH ORDINALITY AS u(n, a, ord);
    v_invoice_total := add_invoice_taxes(p_hotel, v_booking, v_invoice);

    RETURN QUERY SELECT 'booked'::text, v_booking, v_room, v_room_number, v_invoice,
                        NULL::bigint, v_created, v_invoice_total;
END
$$;
