-- Walk-in and phone bookings (issue 13): the front desk books for a guest who has no account.
-- Such a stay has no guest_id; it carries the guest's name and a way to reach them (an email
-- address, a phone number, or both) instead.
ALTER TABLE bookings
    ADD COLUMN guest_email text,
    ADD COLUMN guest_phone text;
ALTER TABLE bookings
    DROP CONSTRAINT bookings_stay_complete,
    ADD CONSTRAINT bookings_stay_complete CHECK (
        kind = 'out_of_service'
        OR (rate_plan_id IS NOT NULL AND guests >= 1
            AND currency ~ '^[A-Z]{3}$' AND total_minor >= 0
            AND (guest_id IS NOT NULL
                 OR (guest_name IS NOT NULL
                     AND (guest_email IS NOT NULL OR guest_phone IS NOT NULL)))));

-- book_stay takes the contact (p_guest_email, p_guest_phone) from migration 0021 on, which
-- restates it once for this and for the invoice's taxes.
