-- When the guest actually arrived and left (issue 16). check_in_at and check_out_at stay the
-- scheduled instants (the hotel's check-in and check-out times on the stay's dates); these two
-- are set by the front desk's check-in and check-out, and stay NULL until then.
ALTER TABLE bookings
    ADD COLUMN checked_in_at  timestamptz,
    ADD COLUMN checked_out_at timestamptz;
