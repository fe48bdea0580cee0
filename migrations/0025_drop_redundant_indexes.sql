DROP INDEX applications_change_seq_idx;
DROP INDEX events_change_seq_idx;
DROP INDEX applications_unit_queue_idx;
