-- The built-in test payment gateway keeps a ledger, as a real provider would on its side:
-- every authorization and whether it was voided. Only the token's last four digits are kept.
CREATE TABLE test_gateway_ledger (
    transaction_id text PRIMARY KEY,
    card_last4     text NOT NULL,
    currency       text NOT NULL,
    amount_minor   bigint NOT NULL,
    reference      text NOT NULL,
    status         text NOT NULL DEFAULT 'authorized',
    created_at     timestamptz NOT NULL DEFAULT now(),
    voided_at      timestamptz,
    CONSTRAINT test_gateway_ledger_status_valid CHECK (status IN ('authorized', 'voided'))
);

-- Listing a hotel's stays by arrival; listing a guest's stays exists already.
CREATE INDEX bookings_hotel_stays_idx ON bookings (hotel_id, check_in) WHERE kind = 'stay';
