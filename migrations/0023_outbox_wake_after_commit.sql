-- The outbox no longer notifies from inside the writing transaction.
--
-- A NOTIFY makes its transaction take PostgreSQL's cluster-wide notification-queue lock at
-- commit and hold it through the commit's WAL flush, so every transaction that wrote an event
-- committed one after the other (357 commits/s against 4,600+ without, docs/performance.md).
-- Writers now wake the relay after they commit, from outside their transaction
-- (api/core/outbox.py); the relay's poll covers a wake-up that never came.
DROP TRIGGER events_notify ON events;
DROP FUNCTION notify_outbox();
