-- Indexes for the public statistics (api/tracking/repository.py, _PUBLIC_STATS): one per arm
-- of its row filter, so a period's figures read the rows that count instead of the whole table.

-- Received in the period.
CREATE INDEX applications_received_on_idx ON applications (received_on)
    WHERE received_on IS NOT NULL;

-- Processing finished in the period.
CREATE INDEX applications_completed_at_idx ON applications (completed_at)
    WHERE completed_at IS NOT NULL;

-- Overdue now: open, clock running, due date passed. The status list and the clock condition
-- must stay exactly as written in the query for the planner to use this index.
CREATE INDEX applications_running_due_idx ON applications (due_date)
    WHERE status IN ('submitted', 'received', 'processing', 'supplement_requested', 'approved')
      AND clock_paused_on IS NULL;
