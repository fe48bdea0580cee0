-- Indexes for the officer's queue (api/applications/repository.py, _QUEUE): one unit's
-- applications in queue order (due date, undated last, then id), so a page is read from the
-- index and the scan stops after it, however many applications the unit holds.
-- The default queue (still needing work): its statuses exactly as the query spells them.
CREATE INDEX applications_open_queue_idx
    ON applications (unit_code, (coalesce(due_date, 'infinity'::date)), id)
    WHERE status IN ('submitted', 'received', 'processing', 'supplement_requested', 'approved',
                     'result_issued');
-- One status asked for by name.
CREATE INDEX applications_status_queue_idx
    ON applications (unit_code, status, (coalesce(due_date, 'infinity'::date)), id);
