-- Offline sync for officers' devices (docs/sync.md): devices, reserved receipt codes, commands
-- answered once, resumable uploads, and document changes moving their application in the feed.

CREATE TABLE sync_devices (
    id uuid PRIMARY KEY,
    staff_id uuid NOT NULL REFERENCES staff (id),
    unit_code text NOT NULL REFERENCES units (code),
    label text NOT NULL,
    registered_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    revoked_by uuid REFERENCES staff (id)
);
CREATE INDEX sync_devices_staff_idx ON sync_devices (staff_id);

-- Receipt codes handed to a device ahead of time, finished (with their keyed check segment).
CREATE TABLE sync_receipt_blocks (
    id uuid PRIMARY KEY,
    device_id uuid NOT NULL REFERENCES sync_devices (id),
    unit_code text NOT NULL REFERENCES units (code),
    day date NOT NULL,
    first_number integer NOT NULL,
    count integer NOT NULL CHECK (count BETWEEN 1 AND 200),
    reserved_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sync_receipt_codes (
    code text PRIMARY KEY,
    block_id uuid NOT NULL REFERENCES sync_receipt_blocks (id),
    application_id uuid REFERENCES applications (id),
    used_at timestamptz
);
CREATE INDEX sync_receipt_codes_block_idx ON sync_receipt_codes (block_id);

-- One row per command id: claimed by the transaction that applies it, holding its first final
-- answer. Command ids are client-made UUIDs, unique across devices.
CREATE TABLE sync_commands (
    command_id uuid PRIMARY KEY,
    device_id uuid NOT NULL REFERENCES sync_devices (id),
    staff_id uuid NOT NULL REFERENCES staff (id),
    type text NOT NULL,
    fingerprint text NOT NULL,
    application_ref uuid UNIQUE,
    application_id uuid REFERENCES applications (id),
    outcome text NOT NULL CHECK (outcome IN ('applied', 'conflict', 'rejected')),
    answer jsonb NOT NULL,
    device_time timestamptz,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sync_commands_device_idx ON sync_commands (device_id, received_at);

-- Chunked uploads: the declaration and how far it got; chunks wait here until a command
-- attaches the file (then both go).
CREATE TABLE sync_uploads (
    id uuid PRIMARY KEY,
    device_id uuid NOT NULL REFERENCES sync_devices (id),
    content_type text NOT NULL,
    size integer NOT NULL CHECK (size >= 1),
    sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    received integer NOT NULL DEFAULT 0,
    complete boolean NOT NULL DEFAULT false,
    document_id uuid REFERENCES application_documents (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (received BETWEEN 0 AND size)
);

CREATE TABLE sync_upload_chunks (
    upload_id uuid NOT NULL REFERENCES sync_uploads (id) ON DELETE CASCADE,
    start_offset integer NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (upload_id, start_offset)
);

-- A document added, stored or refused moves its application in the change feed (the update
-- fires bump_change_seq), so the offline pull, which follows applications per unit, sees it.
-- Every writer of application_documents already holds the application's row lock.
CREATE FUNCTION touch_application_of_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE applications SET change_seq = change_seq WHERE id = NEW.application_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER application_documents_touch_application
    AFTER INSERT OR UPDATE ON application_documents
    FOR EACH ROW EXECUTE FUNCTION touch_application_of_document();
