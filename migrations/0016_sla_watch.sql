-- The SLA watch: each notice (due soon, overdue) is taken once per application, state and due
-- date, so a run that repeats, or two workers running at once, announce it once; a new due date
-- (set_new_due_date) can come due and be late again.
CREATE TABLE sla_notices (
    application_id uuid NOT NULL REFERENCES applications (id),
    state text NOT NULL CHECK (state IN ('due_soon', 'overdue')),
    due_date date NOT NULL,
    event_id uuid NOT NULL REFERENCES events (id),
    noticed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (application_id, state, due_date)
);

-- The watch looks for applications whose deadline runs and is near.
CREATE INDEX applications_sla_watch_idx ON applications (due_date, id)
    WHERE due_date IS NOT NULL;

-- The daily clean-up finds drafts untouched for long and push subscriptions that failed.
CREATE INDEX applications_stale_drafts_idx ON applications (updated_at) WHERE status = 'draft';
CREATE INDEX push_subscriptions_failed_idx ON push_subscriptions (failed_at)
    WHERE failed_at IS NOT NULL;
