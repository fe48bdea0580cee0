-- Most rows written to applications are drafts, and two of its indexes have no reader that
-- wants one (docs/performance.md, "ninth round"): every draft insert wrote an entry in each.
-- * receipt_code: a draft has none (NULL); uniqueness is only ever about real codes, and every
--   look-up by code (`receipt_code = $1`) implies NOT NULL, so the partial index serves it.
-- * the officer's queue by status: the queue never shows drafts (QueueStatus in
--   api/applications/state_machine.py); its query says `a.status <> 'draft'` in those words
--   so the planner can prove this index's predicate for any status list.
ALTER TABLE applications DROP CONSTRAINT applications_receipt_code_key;
CREATE UNIQUE INDEX applications_receipt_code_key ON applications (receipt_code)
    WHERE receipt_code IS NOT NULL;

DROP INDEX applications_status_queue_idx;
CREATE INDEX applications_status_queue_idx
    ON applications (unit_code, status, (coalesce(due_date, 'infinity'::date)), id)
    WHERE status <> 'draft';
