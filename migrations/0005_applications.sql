-- Applications, their documents, receipt numbers, the append-only audit log and the outbox.

CREATE TABLE public_holidays (
    day date PRIMARY KEY,
    name_vi text NOT NULL,
    name_en text NOT NULL
);

CREATE TABLE applications (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    procedure_code text NOT NULL REFERENCES procedures (code),
    unit_code text NOT NULL REFERENCES units (code),
    citizen_id uuid REFERENCES citizens (id),
    channel text NOT NULL CHECK (channel IN ('online', 'counter', 'offline_sync')),
    status text NOT NULL CHECK (status IN (
        'draft', 'submitted', 'received', 'returned', 'processing', 'supplement_requested',
        'approved', 'rejected', 'result_issued', 'completed', 'withdrawn')),
    -- Who the application is for, copied from the profile (or typed at the counter) when filed.
    applicant jsonb NOT NULL,
    form jsonb NOT NULL DEFAULT '{}'::jsonb,
    receipt_code text UNIQUE,
    submitted_at timestamptz,
    received_on date,
    due_date date,
    clock_paused_on date,
    completed_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    created_by_kind text NOT NULL CHECK (created_by_kind IN ('citizen', 'staff', 'api_key')),
    created_by_id uuid NOT NULL,
    idempotency_key uuid NOT NULL,
    request_fingerprint text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    change_seq bigint NOT NULL DEFAULT nextval('change_seq'),
    UNIQUE (created_by_kind, created_by_id, idempotency_key)
);
CREATE INDEX applications_citizen_idx ON applications (citizen_id, created_at DESC, id DESC);
CREATE INDEX applications_unit_queue_idx ON applications (unit_code, status, due_date, id);
CREATE INDEX applications_change_seq_idx ON applications (change_seq);
CREATE TRIGGER applications_changed BEFORE UPDATE ON applications
    FOR EACH ROW EXECUTE FUNCTION bump_change_seq();

CREATE TABLE application_documents (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    application_id uuid NOT NULL REFERENCES applications (id),
    kind text NOT NULL CHECK (kind IN ('input', 'result')),
    requirement text NOT NULL,
    object_key text NOT NULL UNIQUE,
    declared_content_type text NOT NULL,
    declared_size integer NOT NULL,
    declared_sha256 text NOT NULL CHECK (declared_sha256 ~ '^[0-9a-f]{64}$'),
    status text NOT NULL CHECK (status IN ('pending', 'stored', 'rejected')),
    content_type text,
    size integer,
    sha256 text,
    upload_expires_at timestamptz NOT NULL,
    uploaded_by_kind text NOT NULL,
    uploaded_by_id uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),
    change_seq bigint NOT NULL DEFAULT nextval('change_seq')
);
CREATE INDEX application_documents_app_idx ON application_documents (application_id, created_at);
CREATE TRIGGER application_documents_changed BEFORE UPDATE ON application_documents
    FOR EACH ROW EXECUTE FUNCTION bump_change_seq();

-- Per unit and day; allocation is one UPSERT so concurrent submits never share a number.
CREATE TABLE receipt_counters (
    unit_code text NOT NULL REFERENCES units (code),
    day date NOT NULL,
    last_number integer NOT NULL CHECK (last_number BETWEEN 1 AND 9999),
    PRIMARY KEY (unit_code, day)
);

-- Append-only: who did what to which application, and every officer read of personal data.
CREATE TABLE audit_log (
    id bigserial PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    device_time timestamptz,
    actor_kind text NOT NULL CHECK (actor_kind IN ('citizen', 'staff', 'api_key', 'system')),
    actor_id uuid,
    actor_role text NOT NULL,
    action text NOT NULL,
    application_id uuid REFERENCES applications (id),
    unit_code text,
    from_status text,
    to_status text,
    note text,
    request_id text
);
CREATE INDEX audit_log_application_idx ON audit_log (application_id, id);

CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();

-- Transactional outbox: written in the same transaction as the change it describes.
CREATE TABLE events (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    application_id uuid NOT NULL REFERENCES applications (id),
    seq integer NOT NULL,
    type text NOT NULL,
    payload jsonb NOT NULL,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    change_seq bigint NOT NULL DEFAULT nextval('change_seq'),
    UNIQUE (application_id, seq)
);
CREATE INDEX events_change_seq_idx ON events (change_seq);

CREATE FUNCTION notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox', NEW.id::text);
    RETURN NEW;
END;
$$;
CREATE TRIGGER events_notify AFTER INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION notify_outbox();
