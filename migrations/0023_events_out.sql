-- Events out (issue 15, part 1): a feed of booking events in the order they became visible,
-- webhook subscriptions per hotel, and their outbox (docs/ARCHITECTURE.md "Events out").

-- booking_events.id comes from a sequence taken inside the writing transaction, so ids do not
-- follow commit order: a reader resuming "after id N" could skip an event with a smaller id
-- that committed later. Each event therefore gets a second number, `seq`, after it commits,
-- from a numbering step (number_booking_events below) that runs one at a time across nodes:
-- a step sees only committed events and every later step numbers higher, so a reader that has
-- seen seq N will only ever see new events above N.
ALTER TABLE booking_events ADD COLUMN seq bigint;

CREATE TABLE booking_event_counter (
    one  boolean PRIMARY KEY DEFAULT true CHECK (one),
    last bigint NOT NULL
);

WITH n AS (SELECT hotel_id, id, row_number() OVER (ORDER BY id) AS seq FROM booking_events)
UPDATE booking_events e SET seq = n.seq FROM n WHERE e.hotel_id = n.hotel_id AND e.id = n.id;
INSERT INTO booking_event_counter (last) SELECT coalesce(max(seq), 0) FROM booking_events;

CREATE UNIQUE INDEX booking_events_feed_idx ON booking_events (hotel_id, seq)
    WHERE seq IS NOT NULL;
CREATE INDEX booking_events_unnumbered_idx ON booking_events (id) WHERE seq IS NULL;

-- A hotel's webhook subscriptions. The secret is write-only for the API. A deleted
-- subscription keeps its row (and its deliveries' history) with deleted_at set. lease_until
-- and lease_token are the delivery lease of the node working on it (at most one at a time;
-- every write of a delivery names the token, so a holder whose lease lapsed stops).
CREATE TABLE webhook_subscriptions (
    hotel_id    uuid NOT NULL REFERENCES hotels (id),
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    url         text NOT NULL,
    events      text[] NOT NULL,
    secret      text NOT NULL,
    created_by  uuid,
    created_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz,
    lease_until timestamptz,
    lease_token uuid,
    PRIMARY KEY (hotel_id, id),
    CONSTRAINT webhook_subscriptions_url_length CHECK (char_length(url) BETWEEN 1 AND 2048),
    CONSTRAINT webhook_subscriptions_events_present CHECK (cardinality(events) >= 1)
);
CREATE INDEX webhook_subscriptions_live_idx ON webhook_subscriptions (hotel_id)
    WHERE deleted_at IS NULL;

-- The outbox: one row per (subscription, event) the subscription asked for, written by the
-- numbering step in the transaction that numbers the event. pending → delivered, or → dead
-- once retries ran past the window; a replay sets a row pending again.
CREATE TABLE webhook_deliveries (
    hotel_id        uuid NOT NULL,
    subscription_id uuid NOT NULL,
    seq             bigint NOT NULL,
    event_id        bigint NOT NULL,
    status          text NOT NULL DEFAULT 'pending',
    attempts        integer NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_attempt_at timestamptz,
    last_status     integer,
    last_error      text,
    delivered_at    timestamptz,
    PRIMARY KEY (hotel_id, subscription_id, seq),
    FOREIGN KEY (hotel_id, subscription_id) REFERENCES webhook_subscriptions (hotel_id, id),
    CONSTRAINT webhook_deliveries_status_valid CHECK (status IN ('pending', 'delivered', 'dead'))
);
-- The head of each subscription's queue (its lowest pending seq).
CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (hotel_id, subscription_id, seq)
    WHERE status = 'pending';

-- One numbering step: numbers up to max_rows committed, unnumbered events in id order and
-- writes their outbox rows, in one transaction. Steps of all nodes run one at a time; a step
-- that finds another running returns -1 at once (that one does the work).
CREATE FUNCTION number_booking_events(max_rows integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    base bigint;
    n    integer;
BEGIN
    IF NOT pg_try_advisory_xact_lock(7318094402116640513) THEN  -- 'hotel event numbering'
        RETURN -1;
    END IF;
    SELECT c.last INTO base FROM booking_event_counter c FOR UPDATE;
    WITH pending AS (
        SELECT e.hotel_id, e.id, row_number() OVER (ORDER BY e.id) AS rn
        FROM booking_events e WHERE e.seq IS NULL ORDER BY e.id LIMIT max_rows),
    numbered AS (
        UPDATE booking_events e SET seq = base + p.rn FROM pending p
        WHERE e.hotel_id = p.hotel_id AND e.id = p.id
        RETURNING e.hotel_id, e.id, e.seq, e.type),
    outbox AS (
        INSERT INTO webhook_deliveries (hotel_id, subscription_id, seq, event_id)
        SELECT n.hotel_id, s.id, n.seq, n.id
        FROM numbered n JOIN webhook_subscriptions s
          ON s.hotel_id = n.hotel_id AND s.deleted_at IS NULL
         AND (n.type = ANY (s.events) OR '*' = ANY (s.events))
        RETURNING 1)
    SELECT count(*) INTO n FROM numbered;
    UPDATE booking_event_counter SET last = last + n;
    RETURN n;
END $$;
