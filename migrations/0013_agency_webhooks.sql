-- Agencies integrate without retyping: API keys for the agency API, webhook endpoints, and
-- the log of every webhook message and attempt (docs/webhooks.md).

-- A key is shown once; only its SHA-256 is kept (it is 32 random bytes, so a plain hash is
-- enough). ``prefix`` is its first characters, shown in lists so people can tell keys apart.
CREATE TABLE agency_api_keys (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_code text NOT NULL REFERENCES agencies (code),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    prefix text NOT NULL,
    secret_hash text NOT NULL UNIQUE CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
    created_by uuid REFERENCES staff (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at timestamptz
);
CREATE INDEX agency_api_keys_agency_idx ON agency_api_keys (agency_code, created_at);

-- Signing secrets are needed in clear to sign, so they are stored sealed (AES-GCM with a key
-- derived from SECRET_KEY, api/webhooks/secrets.py). During a rotation the previous secret
-- keeps signing beside the new one until previous_secret_expires_at.
CREATE TABLE webhook_endpoints (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_code text NOT NULL REFERENCES agencies (code),
    url text NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
    event_types text[] NOT NULL CHECK (cardinality(event_types) >= 1),
    enabled boolean NOT NULL DEFAULT true,
    disabled_reason text CHECK (disabled_reason IN ('manual', 'gone', 'failing')),
    sealed_secret text NOT NULL,
    sealed_previous_secret text,
    previous_secret_expires_at timestamptz,
    -- The first failed attempt of the current run of failures (none since the last success).
    failing_since timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (enabled = (disabled_reason IS NULL))
);
CREATE INDEX webhook_endpoints_agency_idx ON webhook_endpoints (agency_code, created_at);

-- One message per (event, endpoint): a fan-out that runs twice creates nothing new. The
-- webhook-id a receiver sees is the event id, on every attempt and replay.
CREATE TABLE webhook_deliveries (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id uuid NOT NULL REFERENCES events (id),
    event_type text NOT NULL,
    application_id uuid NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    -- Attempts made in the current round (a replay starts a new round at 0).
    attempts integer NOT NULL DEFAULT 0,
    -- Bumped by each replay; part of the job id, so a replay queues a new job.
    round integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_attempt_at timestamptz,
    finished_at timestamptz,
    UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at, id);

CREATE TABLE webhook_attempts (
    id bigserial PRIMARY KEY,
    delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempted_at timestamptz NOT NULL DEFAULT now(),
    status_code integer,
    duration_ms integer NOT NULL CHECK (duration_ms >= 0),
    outcome text NOT NULL CHECK (outcome IN ('delivered', 'retry', 'failed', 'gone')),
    error text,
    response_excerpt text
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id);
