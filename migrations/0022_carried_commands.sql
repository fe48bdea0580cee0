-- A revoked device's outbox reaches the server through another device of the same unit
-- (docs/sync.md §1). The audit log says on which device such a command was taken and which
-- officer had registered that device, beside the officer who pushed it (actor_id).
ALTER TABLE audit_log
    ADD COLUMN origin_device_id uuid REFERENCES sync_devices (id),
    ADD COLUMN origin_staff_id uuid;
