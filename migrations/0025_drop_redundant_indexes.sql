-- Indexes that no query needs, each written on every insert and on most updates of its table
-- (docs/performance.md, "Create draft and submit, fifth round"):
-- * change_seq alone: since 0009 the change feed reads in (change_xid, change_seq) order;
-- * (unit_code, status, due_date, id): 0017's (unit_code, status, coalesce(due_date, …), id)
--   serves the same look-ups and the queue's order.
DROP INDEX applications_change_seq_idx;
DROP INDEX events_change_seq_idx;
DROP INDEX applications_unit_queue_idx;
