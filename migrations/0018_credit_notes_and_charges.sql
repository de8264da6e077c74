-- Folios and invoices (issue 13, part 4).
--
-- An issued invoice never changes: its number, lines and total stay as issued. A change to a
-- booking after its invoice was issued writes a credit note for that invoice (its lines negated,
-- numbered in the same gapless series, before the new invoice) and a new invoice. The credited
-- invoice is marked void (voided_at), and the credit note names it (credits_invoice_id).
ALTER TABLE invoices
    DROP CONSTRAINT invoices_kind_valid,
    ADD CONSTRAINT invoices_kind_valid
        CHECK (kind IN ('booking', 'cancellation_fee', 'credit_note')),
    ADD COLUMN credits_invoice_id uuid,
    ADD CONSTRAINT invoices_credit_note_names_its_invoice
        CHECK ((kind = 'credit_note') = (credits_invoice_id IS NOT NULL));

-- Extra charges the front desk posts to a stay (minibar, parking, a late check-out): on the
-- stay's invoice after its nights and fee.
CREATE TABLE folio_charges (
    hotel_id     uuid NOT NULL,
    id           uuid NOT NULL DEFAULT gen_random_uuid(),
    booking_id   uuid NOT NULL,
    description  text NOT NULL,
    service_date date NOT NULL,
    currency     text NOT NULL,
    amount_minor bigint NOT NULL,
    posted_at    timestamptz NOT NULL DEFAULT now(),
    posted_by    uuid REFERENCES users (id),
    PRIMARY KEY (hotel_id, id),
    FOREIGN KEY (hotel_id, booking_id) REFERENCES bookings (hotel_id, id),
    CONSTRAINT folio_charges_amount_nonzero CHECK (amount_minor <> 0),
    CONSTRAINT folio_charges_currency_iso CHECK (currency ~ '^[A-Z]{3}$')
);
CREATE INDEX folio_charges_booking_idx ON folio_charges (hotel_id, booking_id, posted_at);

-- A hotel's invoices by issue date, for its accounting.
CREATE INDEX invoices_hotel_issued_idx ON invoices (hotel_id, issued_at) WHERE number IS NOT NULL;
