-- Offline sync, part two (docs/sync.md §2 and §6): work leases, and the notification inbox in
-- the commit-ordered change feed so an officer's device pulls its own notifications.

-- A lease checks an application out to one device of one officer for offline work. It ends at
-- expires_at, when released (released_at), or when its device is revoked (released_at too).
-- Whether one is in force is decided with the application's row locked (api/sync/leases.py),
-- so two devices never both hold one.
CREATE TABLE sync_leases (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    application_id uuid NOT NULL REFERENCES applications (id),
    device_id uuid NOT NULL REFERENCES sync_devices (id),
    staff_id uuid NOT NULL REFERENCES staff (id),
    taken_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    released_at timestamptz,
    CHECK (expires_at > taken_at)
);
-- Leases not released: what the move check, the pull and the queue look at (expiry is
-- compared at read time).
CREATE INDEX sync_leases_open_idx ON sync_leases (application_id) WHERE released_at IS NULL;
CREATE INDEX sync_leases_device_open_idx ON sync_leases (device_id) WHERE released_at IS NULL;

-- A lease taken or ended moves its application in the feed, so other devices' pulls carry
-- who holds it (the update fires bump_change_seq; no version change).
CREATE FUNCTION touch_application_of_lease() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE applications SET change_seq = change_seq WHERE id = NEW.application_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER sync_leases_touch_application
    AFTER INSERT OR UPDATE OF released_at ON sync_leases
    FOR EACH ROW EXECUTE FUNCTION touch_application_of_lease();

-- The inbox in the change feed (api/core/changes.py): existing rows get xid 0 (committed
-- before this migration), new and updated ones their transaction's id. A notification marked
-- read moves to a new position, so the read mark reaches the officer's devices.
ALTER TABLE notifications
    ADD COLUMN change_seq bigint NOT NULL DEFAULT nextval('change_seq'),
    ADD COLUMN change_xid xid8 NOT NULL DEFAULT '0';
ALTER TABLE notifications ALTER COLUMN change_xid SET DEFAULT pg_current_xact_id();

-- bump_change_seq also sets updated_at, which notifications do not have.
CREATE FUNCTION bump_change_position() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.change_seq := nextval('change_seq');
    NEW.change_xid := pg_current_xact_id();
    RETURN NEW;
END;
$$;
CREATE TRIGGER notifications_changed BEFORE UPDATE ON notifications
    FOR EACH ROW EXECUTE FUNCTION bump_change_position();

-- The pull reads one officer's notifications in feed order.
CREATE INDEX notifications_recipient_change_feed_idx
    ON notifications (recipient, change_xid, change_seq);
