-- A booking's own rows without foreign-key checks (issue 12).
--
-- A booking writes its nights, its event, its invoice and the invoice's lines right after the
-- booking row, in the same transaction (book_stay), and every later change writes them while
-- holding the booking's row lock (the cancel and transition UPDATEs, booking_lock). Each of
-- those child rows paid a foreign-key check on a parent written or locked a moment before by the
-- same transaction: a row lock taken and WAL-logged on the parent per child row. Measured in the
-- same run (bench/booking_throughput.sh with BENCH_VARIANT, docs/PERFORMANCE.md), dropping these
-- four checks took pgbench's book_stay from 825 to 1,257 bookings/s at 20 hotels (1.52x) and its
-- time per call from 5.4 to 2.7 ms; dropping the checks on the shared parents instead (hotel,
-- type, plan, guest, creator) changed nothing (0.98x), so those stay.
--
-- What the foreign keys guaranteed, and what guarantees it now:
-- - a child row names an existing parent: only the code above writes them, always in the
--   transaction that created or locked that parent, and parents are never deleted by the
--   application (bookings are cancelled, invoices voided);
-- - deleting a parent is refused while it has an event or an invoice (the keys had no ON
--   DELETE action), and takes its nights and an invoice's lines with it (ON DELETE CASCADE):
--   the triggers below do the same. A delete locks the parent row, and child rows are only
--   written under that lock, so no child can be added beside a delete that checked for none.

ALTER TABLE booking_nights DROP CONSTRAINT booking_nights_hotel_id_booking_id_fkey;
ALTER TABLE booking_events DROP CONSTRAINT booking_events_hotel_id_booking_id_fkey;
ALTER TABLE invoices DROP CONSTRAINT invoices_hotel_id_booking_id_fkey;
ALTER TABLE invoice_lines DROP CONSTRAINT invoice_lines_hotel_id_invoice_id_fkey;

CREATE FUNCTION bookings_before_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM booking_events
                WHERE hotel_id = OLD.hotel_id AND booking_id = OLD.id)
       OR EXISTS (SELECT 1 FROM invoices WHERE hotel_id = OLD.hotel_id AND booking_id = OLD.id)
    THEN
        RAISE EXCEPTION 'booking % has events or invoices and cannot be deleted', OLD.id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    DELETE FROM booking_nights WHERE hotel_id = OLD.hotel_id AND booking_id = OLD.id;
    RETURN OLD;
END
$$;
CREATE TRIGGER bookings_before_delete BEFORE DELETE ON bookings
    FOR EACH ROW EXECUTE FUNCTION bookings_before_delete();

CREATE FUNCTION invoices_before_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM invoice_lines WHERE hotel_id = OLD.hotel_id AND invoice_id = OLD.id;
    RETURN OLD;
END
$$;
CREATE TRIGGER invoices_before_delete BEFORE DELETE ON invoices
    FOR EACH ROW EXECUTE FUNCTION invoices_before_delete();
