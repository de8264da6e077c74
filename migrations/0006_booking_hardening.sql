-- Hardening of the booking path (issue 10).

-- An Idempotency-Key is claimed by a row with a lease, not by a lock held on a pooled
-- connection: the claim costs one autocommit statement and holds nothing while the booking is
-- priced and paid for. A claim whose request died (a crash) lapses at `locked_until`; the
-- completed row (response_status set) is the stored response, as before.
ALTER TABLE idempotency_keys
    ADD COLUMN claim_id     uuid,
    ADD COLUMN locked_until timestamptz;

-- The test gateway's ledger follows a hold through its life: the amount held now (raised or
-- lowered as the booking changes), then captured (exactly the fee, or the total at check-out)
-- or voided.
ALTER TABLE test_gateway_ledger
    ADD COLUMN captured_minor bigint,
    ADD COLUMN updated_at     timestamptz NOT NULL DEFAULT now(),
    DROP CONSTRAINT test_gateway_ledger_status_valid,
    ADD CONSTRAINT test_gateway_ledger_status_valid
        CHECK (status IN ('authorized', 'voided', 'captured'));

-- What a guest has already accrued towards a cancellation fee when the booking was changed
-- inside its penalty window: a later cancellation costs at least this (docs/DOMAIN.md).
ALTER TABLE bookings ADD COLUMN fee_floor_minor bigint NOT NULL DEFAULT 0
    CONSTRAINT bookings_fee_floor_nonnegative CHECK (fee_floor_minor >= 0);
