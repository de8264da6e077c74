-- Payments and refunds on a booking's folio (issue 13, part 4): the card's captures, recorded
-- by the node that made them, and what the front desk takes or gives back (cash, a card at the
-- desk, a bank transfer). The balance due is what the booking's invoices and credit notes add
-- up to, less the payments, plus the refunds.
CREATE TABLE folio_payments (
    hotel_id     uuid NOT NULL,
    id           uuid NOT NULL DEFAULT gen_random_uuid(),
    booking_id   uuid NOT NULL,
    kind         text NOT NULL,
    method       text NOT NULL,
    currency     text NOT NULL,
    amount_minor bigint NOT NULL,
    reference    text,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    recorded_by  uuid REFERENCES users (id),
    PRIMARY KEY (hotel_id, id),
    FOREIGN KEY (hotel_id, booking_id) REFERENCES bookings (hotel_id, id),
    CONSTRAINT folio_payments_kind_valid CHECK (kind IN ('payment', 'refund')),
    CONSTRAINT folio_payments_method_valid CHECK (method IN ('card', 'cash', 'bank_transfer')),
    CONSTRAINT folio_payments_amount_positive CHECK (amount_minor > 0),
    CONSTRAINT folio_payments_currency_iso CHECK (currency ~ '^[A-Z]{3}$')
);
CREATE INDEX folio_payments_booking_idx ON folio_payments (hotel_id, booking_id, recorded_at);
