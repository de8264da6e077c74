-- The whole domain model of DOMAIN.md. Every table that belongs to a hotel carries hotel_id,
-- and every primary, unique, foreign and exclusion key of such a table includes it, so the
-- schema can later be sharded by hotel without a rewrite.
--
-- Money is stored as integer minor units (bigint) next to the hotel's ISO 4217 currency:
-- exact, and cheap to sum. Business dates are `date`; instants are `timestamptz` (UTC).

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- People -----------------------------------------------------------------------------------

CREATE TABLE users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email         text NOT NULL,
    name          text NOT NULL,
    password_hash text NOT NULL,
    role          text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_role_valid CHECK (role IN ('guest', 'staff', 'manager', 'admin')),
    -- Emails are stored normalised (trimmed, lower-case), so uniqueness ignores case.
    CONSTRAINT users_email_normalised CHECK (email = lower(btrim(email)) AND email <> ''),
    CONSTRAINT users_name_length CHECK (char_length(name) BETWEEN 1 AND 200)
);
CREATE UNIQUE INDEX users_email_key ON users (email);

-- Hotels and time --------------------------------------------------------------------------

CREATE TABLE hotels (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name           text NOT NULL,
    city           text NOT NULL,
    country        text NOT NULL,
    timezone       text NOT NULL,   -- IANA zone, validated against the tz database on write
    currency       text NOT NULL,   -- ISO 4217
    check_in_time  time NOT NULL DEFAULT '15:00',
    check_out_time time NOT NULL DEFAULT '11:00',
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT hotels_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
    CONSTRAINT hotels_city_length CHECK (char_length(city) BETWEEN 1 AND 100),
    CONSTRAINT hotels_country_iso CHECK (country ~ '^[A-Z]{2}$'),
    CONSTRAINT hotels_currency_iso CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT hotels_timezone_present CHECK (timezone <> '')
);
-- City search is case-insensitive and ordered by name.
CREATE INDEX hotels_city_idx ON hotels (lower(city), name);

-- Which hotels a staff member or manager works for.
CREATE TABLE user_hotels (
    hotel_id uuid NOT NULL REFERENCES hotels (id) ON DELETE CASCADE,
    user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (hotel_id, user_id)
);
CREATE INDEX user_hotels_user_idx ON user_hotels (user_id);

-- Inventory --------------------------------------------------------------------------------

CREATE TABLE room_types (
    hotel_id      uuid NOT NULL REFERENCES hotels (id),
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    code          text NOT NULL,
    name          text NOT NULL,
    description   text,
    max_occupancy integer NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (hotel_id, id),
    CONSTRAINT room_types_code_key UNIQUE (hotel_id, code),
    CONSTRAINT room_types_code_valid CHECK (code ~ '^[A-Za-z0-9_-]{1,32}$'),
    CONSTRAINT room_types_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
    CONSTRAINT room_types_max_occupancy_valid CHECK (max_occupancy BETWEEN 1 AND 50)
);

CREATE TABLE rooms (
    hotel_id     uuid NOT NULL REFERENCES hotels (id),
    id           uuid NOT NULL DEFAULT gen_random_uuid(),
    room_type_id uuid NOT NULL,
    number       text NOT NULL,
    floor        integer,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (hotel_id, id),
    CONSTRAINT rooms_number_key UNIQUE (hotel_id, number),
    CONSTRAINT rooms_number_valid CHECK (char_length(number) BETWEEN 1 AND 16),
    FOREIGN KEY (hotel_id, room_type_id) REFERENCES room_types (hotel_id, id)
);
CREATE INDEX rooms_type_idx ON rooms (hotel_id, room_type_id);

-- Rates and restrictions -------------------------------------------------------------------

CREATE TABLE rate_plans (
    hotel_id                uuid NOT NULL REFERENCES hotels (id),
    id                      uuid NOT NULL DEFAULT gen_random_uuid(),
    code                    text NOT NULL,
    name                    text NOT NULL,
    refundable              boolean NOT NULL,
    -- For refundable plans: cancelling at least this many hours before check_in_at is free;
    -- after that the penalty applies. Non-refundable plans charge the whole stay.
    free_cancellation_hours integer,
    penalty                 text,
    created_at              timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (hotel_id, id),
    CONSTRAINT rate_plans_code_key UNIQUE (hotel_id, code),
    CONSTRAINT rate_plans_code_valid CHECK (code ~ '^[A-Za-z0-9_-]{1,32}$'),
    CONSTRAINT rate_plans_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
    CONSTRAINT rate_plans_policy_valid CHECK (
        (refundable AND free_cancellation_hours BETWEEN 0 AND 8760
                    AND penalty ~ '^(first_night|full_stay|percent:([0-9]|[1-9][0-9]|100))$')
        OR (NOT refundable AND free_cancellation_hours IS NULL AND penalty IS NULL))
);

-- One row per (room type, rate plan, date): the blueprint's daily_rates.
CREATE TABLE daily_rates (
    hotel_id            uuid NOT NULL,
    room_type_id        uuid NOT NULL,
    rate_plan_id        uuid NOT NULL,
    date                date NOT NULL,
    price_minor         bigint,          -- NULL: no price, so the night cannot be sold
    min_stay            integer,
    max_stay            integer,
    closed_to_arrival   boolean NOT NULL DEFAULT false,
    closed_to_departure boolean NOT NULL DEFAULT false,
    stop_sell           boolean NOT NULL DEFAULT false,
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (hotel_id, room_type_id, rate_plan_id, date),
    FOREIGN KEY (hotel_id, room_type_id) REFERENCES room_types (hotel_id, id),
    FOREIGN KEY (hotel_id, rate_plan_id) REFERENCES rate_plans (hotel_id, id),
    CONSTRAINT daily_rates_price_valid CHECK (price_minor IS NULL OR price_minor >= 0),
    CONSTRAINT daily_rates_min_stay_valid CHECK (min_stay IS NULL OR min_stay BETWEEN 1 AND 30),
    CONSTRAINT daily_rates_max_stay_valid CHECK (max_stay IS NULL OR max_stay BETWEEN 1 AND 30)
);

-- Bookings ---------------------------------------------------------------------------------

-- A booking holds one physical room (hard allocation) for `period`, the half-open interval from
-- the check-in instant to the check-out instant. Out-of-service periods are rows of this same
-- table (kind = 'out_of_service'), so that ONE exclusion constraint guards both: a room can
-- neither be sold twice nor sold while it is out of service.
CREATE TABLE bookings (
    hotel_id                uuid NOT NULL REFERENCES hotels (id),
    id                      uuid NOT NULL DEFAULT gen_random_uuid(),
    kind                    text NOT NULL DEFAULT 'stay',
    status                  text NOT NULL DEFAULT 'confirmed',
    room_id                 uuid NOT NULL,
    room_type_id            uuid NOT NULL,
    rate_plan_id            uuid,
    guest_id                uuid REFERENCES users (id),
    guest_name              text,
    guests                  integer,
    check_in                date NOT NULL,
    check_out               date NOT NULL,
    period                  tstzrange NOT NULL,
    currency                text,
    total_minor             bigint,
    -- The cancellation terms quoted at booking time.
    free_cancellation_until timestamptz,
    penalty                 text,
    cancellation_fee_minor  bigint,
    card_last4              text,
    payment_transaction_id  text,
    special_requests        text,
    reason                  text,          -- why a room is out of service
    version                 integer NOT NULL DEFAULT 1,
    created_by              uuid REFERENCES users (id),
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    cancelled_at            timestamptz,
    PRIMARY KEY (hotel_id, id),
    FOREIGN KEY (hotel_id, room_id) REFERENCES rooms (hotel_id, id),
    FOREIGN KEY (hotel_id, room_type_id) REFERENCES room_types (hotel_id, id),
    FOREIGN KEY (hotel_id, rate_plan_id) REFERENCES rate_plans (hotel_id, id),
    CONSTRAINT bookings_kind_valid CHECK (kind IN ('stay', 'out_of_service')),
    CONSTRAINT bookings_status_valid
        CHECK (status IN ('confirmed', 'checked_in', 'checked_out', 'cancelled', 'no_show')),
    CONSTRAINT bookings_dates_valid CHECK (check_out > check_in),
    CONSTRAINT bookings_period_valid
        CHECK (NOT isempty(period) AND lower_inc(period) AND NOT upper_inc(period)
               AND NOT lower_inf(period) AND NOT upper_inf(period)),
    CONSTRAINT bookings_stay_complete CHECK (
        kind = 'out_of_service'
        OR (rate_plan_id IS NOT NULL AND guest_id IS NOT NULL AND guests >= 1
            AND currency ~ '^[A-Z]{3}$' AND total_minor >= 0)),
    CONSTRAINT bookings_out_of_service_states
        CHECK (kind = 'stay' OR status IN ('confirmed', 'cancelled')),
    CONSTRAINT bookings_card_last4_valid CHECK (card_last4 IS NULL OR card_last4 ~ '^[0-9]{4}$'),
    CONSTRAINT bookings_version_positive CHECK (version >= 1),
    -- The invariant the product exists for.
    CONSTRAINT no_overlapping_stays EXCLUDE USING gist
        (hotel_id WITH =, room_id WITH =, period WITH &&)
        WHERE (status IN ('confirmed', 'checked_in', 'checked_out'))
);
-- GET /v1/bookings/{id} arrives without a hotel id.
CREATE INDEX bookings_id_idx ON bookings (id);
CREATE INDEX bookings_guest_idx ON bookings (guest_id, check_in) WHERE guest_id IS NOT NULL;
CREATE INDEX bookings_hotel_check_in_idx ON bookings (hotel_id, check_in);

-- The nightly price breakdown quoted at booking time.
CREATE TABLE booking_nights (
    hotel_id     uuid NOT NULL,
    booking_id   uuid NOT NULL,
    night        date NOT NULL,
    amount_minor bigint NOT NULL,
    PRIMARY KEY (hotel_id, booking_id, night),
    FOREIGN KEY (hotel_id, booking_id) REFERENCES bookings (hotel_id, id) ON DELETE CASCADE,
    CONSTRAINT booking_nights_amount_valid CHECK (amount_minor >= 0)
);

-- Invoices ---------------------------------------------------------------------------------

-- Invoice numbers run per hotel without gaps; this row is the counter.
CREATE TABLE invoice_counters (
    hotel_id    uuid PRIMARY KEY REFERENCES hotels (id),
    last_number bigint NOT NULL DEFAULT 0
);

CREATE TABLE invoices (
    hotel_id    uuid NOT NULL,
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    booking_id  uuid NOT NULL,
    number      bigint NOT NULL,
    kind        text NOT NULL,
    status      text NOT NULL DEFAULT 'issued',
    currency    text NOT NULL,
    total_minor bigint NOT NULL,
    issued_at   timestamptz NOT NULL DEFAULT now(),
    voided_at   timestamptz,
    PRIMARY KEY (hotel_id, id),
    CONSTRAINT invoices_number_key UNIQUE (hotel_id, number),
    FOREIGN KEY (hotel_id, booking_id) REFERENCES bookings (hotel_id, id),
    CONSTRAINT invoices_kind_valid CHECK (kind IN ('booking', 'cancellation_fee')),
    CONSTRAINT invoices_status_valid CHECK (status IN ('issued', 'void')),
    CONSTRAINT invoices_void_consistent CHECK ((status = 'void') = (voided_at IS NOT NULL)),
    CONSTRAINT invoices_currency_iso CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT invoices_number_positive CHECK (number >= 1)
);
CREATE INDEX invoices_booking_idx ON invoices (hotel_id, booking_id);

CREATE TABLE invoice_lines (
    hotel_id     uuid NOT NULL,
    invoice_id   uuid NOT NULL,
    line_no      integer NOT NULL,
    description  text NOT NULL,
    service_date date,
    amount_minor bigint NOT NULL,
    PRIMARY KEY (hotel_id, invoice_id, line_no),
    FOREIGN KEY (hotel_id, invoice_id) REFERENCES invoices (hotel_id, id) ON DELETE CASCADE,
    CONSTRAINT invoice_lines_line_no_positive CHECK (line_no >= 1)
);

-- Idempotency and events -------------------------------------------------------------------

-- Idempotency-Key records, scoped per user. A row is written in the booking's own transaction,
-- so a retry after a lost 201 finds it. Rows are kept at least 24 h and removed in batches.
CREATE TABLE idempotency_keys (
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key             text NOT NULL,
    request_hash    text NOT NULL,
    response_status integer,
    response_body   text,
    hotel_id        uuid,
    booking_id      uuid,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key),
    CONSTRAINT idempotency_keys_key_length CHECK (char_length(key) BETWEEN 1 AND 255)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- The transactional outbox: every booking state change writes one row in the same transaction.
CREATE TABLE booking_events (
    hotel_id   uuid NOT NULL,
    id         bigint GENERATED ALWAYS AS IDENTITY,
    booking_id uuid NOT NULL,
    type       text NOT NULL,
    actor_id   uuid,
    version    integer NOT NULL,
    payload    jsonb NOT NULL DEFAULT '{}',
    at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (hotel_id, id),
    FOREIGN KEY (hotel_id, booking_id) REFERENCES bookings (hotel_id, id),
    CONSTRAINT booking_events_type_valid CHECK (type ~ '^[a-z_]+\.[a-z_]+$')
);
CREATE INDEX booking_events_booking_idx ON booking_events (hotel_id, booking_id, id);
