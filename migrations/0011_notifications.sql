-- Notifications: push subscriptions, the in-app inbox, what each channel delivered, the outbox
-- relay's cursor, and the VAPID key generated for development and test.

-- One row per browser (its push endpoint), owned by whoever signed in on it last.
CREATE TABLE push_subscriptions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    endpoint text NOT NULL UNIQUE,
    p256dh text NOT NULL,
    auth text NOT NULL,
    citizen_id uuid REFERENCES citizens (id) ON DELETE CASCADE,
    staff_id uuid REFERENCES staff (id) ON DELETE CASCADE,
    user_agent text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    last_success_at timestamptz,
    -- The push service refused a message for good (400/403/413); the daily clean-up drops
    -- subscriptions that never succeeded again.
    failed_at timestamptz,
    CHECK ((citizen_id IS NULL) <> (staff_id IS NULL))
);
CREATE INDEX push_subscriptions_citizen_idx ON push_subscriptions (citizen_id)
    WHERE citizen_id IS NOT NULL;
CREATE INDEX push_subscriptions_staff_idx ON push_subscriptions (staff_id)
    WHERE staff_id IS NOT NULL;

-- The inbox. Texts are not stored: kind + params are rendered in the reader's language when
-- read (and when pushed), so a change of language applies to old notifications too.
CREATE TABLE notifications (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id uuid NOT NULL REFERENCES events (id),
    citizen_id uuid REFERENCES citizens (id) ON DELETE CASCADE,
    staff_id uuid REFERENCES staff (id) ON DELETE CASCADE,
    recipient uuid GENERATED ALWAYS AS (coalesce(citizen_id, staff_id)) STORED,
    kind text NOT NULL,
    application_id uuid NOT NULL REFERENCES applications (id),
    receipt_code text,
    params jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    read_at timestamptz,
    CHECK ((citizen_id IS NULL) <> (staff_id IS NULL)),
    -- A fan-out that runs twice for one event creates each recipient's notification once.
    UNIQUE (event_id, recipient)
);
CREATE INDEX notifications_inbox_idx ON notifications (recipient, created_at DESC, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (recipient, created_at DESC, id DESC)
    WHERE read_at IS NULL;

-- What each channel did with each notification, keyed so a job that runs twice sends once.
-- target: the push subscription id, a phone hash, the recipient id for the inbox.
CREATE TABLE deliveries (
    id bigserial PRIMARY KEY,
    notification_id uuid NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    channel text NOT NULL CHECK (channel IN ('inbox', 'push', 'sms', 'zalo', 'webhook')),
    target text NOT NULL,
    status text NOT NULL CHECK (status IN (
        'pending', 'delivered', 'temporary-failure', 'permanent-failure', 'technical-failure',
        'gone')),
    attempts integer NOT NULL DEFAULT 0,
    last_status_code integer,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    delivered_at timestamptz,
    UNIQUE (notification_id, channel, target)
);

-- Where each reader of the change feed is (an opaque change-feed cursor).
CREATE TABLE relay_cursors (
    name text PRIMARY KEY,
    cursor text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The VAPID key pair generated once when none is configured (development and test only;
-- production reads VAPID_PRIVATE_KEY). One row.
CREATE TABLE vapid_keys (
    id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    private_key text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
