-- Account notices in the inbox: notices that no application event caused (an officer told of
-- suspicious sign-in failures on their account, an agency's admins told that a webhook
-- endpoint was disabled). Such a notice has no event and may have no application; it has a
-- dedupe key instead, unique per recipient, so whatever creates it twice creates it once.
-- Event notices keep their uniqueness on (event_id, recipient).

ALTER TABLE notifications
    ALTER COLUMN event_id DROP NOT NULL,
    ALTER COLUMN application_id DROP NOT NULL,
    ADD COLUMN dedupe_key text CHECK (length(dedupe_key) BETWEEN 1 AND 200),
    -- Exactly one source: an application event, or a notice's dedupe key.
    ADD CONSTRAINT notifications_source_check CHECK ((event_id IS NULL) <> (dedupe_key IS NULL)),
    -- An event notice is always about its application.
    ADD CONSTRAINT notifications_event_application_check
        CHECK (event_id IS NULL OR application_id IS NOT NULL);

CREATE UNIQUE INDEX notifications_dedupe_idx ON notifications (dedupe_key, recipient)
    WHERE dedupe_key IS NOT NULL;
