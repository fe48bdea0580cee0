-- A change feed that never skips a committed change (see docs/changes.md).
--
-- change_seq numbers are taken at write time but become visible at commit time, so a reader
-- that follows change_seq alone can move past a number whose transaction has not committed
-- yet and never see it. Every row that carries change_seq now also records the id of the
-- transaction that wrote it last; api/core/changes.py only returns rows whose transaction is
-- older than the oldest transaction still running, ordered by (change_xid, change_seq).

-- Rows already here were all committed before this migration could lock their table: they get
-- xid 0, below every real transaction, so a reader starting from the beginning sees them first
-- (in change_seq order). A constant default keeps ADD COLUMN free of a table rewrite; new rows
-- then take the id of the transaction inserting them.
ALTER TABLE citizens ADD COLUMN change_xid xid8 NOT NULL DEFAULT '0';
ALTER TABLE citizens ALTER COLUMN change_xid SET DEFAULT pg_current_xact_id();
ALTER TABLE staff ADD COLUMN change_xid xid8 NOT NULL DEFAULT '0';
ALTER TABLE staff ALTER COLUMN change_xid SET DEFAULT pg_current_xact_id();
ALTER TABLE applications ADD COLUMN change_xid xid8 NOT NULL DEFAULT '0';
ALTER TABLE applications ALTER COLUMN change_xid SET DEFAULT pg_current_xact_id();
ALTER TABLE application_documents ADD COLUMN change_xid xid8 NOT NULL DEFAULT '0';
ALTER TABLE application_documents ALTER COLUMN change_xid SET DEFAULT pg_current_xact_id();
ALTER TABLE events ADD COLUMN change_xid xid8 NOT NULL DEFAULT '0';
ALTER TABLE events ALTER COLUMN change_xid SET DEFAULT pg_current_xact_id();

-- Same as before, plus the writing transaction's id.
CREATE OR REPLACE FUNCTION bump_change_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.change_seq := nextval('change_seq');
    NEW.change_xid := pg_current_xact_id();
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

-- The feed's order, for every table a reader follows; the offline-sync pull reads per unit.
CREATE INDEX citizens_change_feed_idx ON citizens (change_xid, change_seq);
CREATE INDEX staff_change_feed_idx ON staff (change_xid, change_seq);
CREATE INDEX applications_change_feed_idx ON applications (change_xid, change_seq);
CREATE INDEX applications_unit_change_feed_idx ON applications (unit_code, change_xid, change_seq);
CREATE INDEX application_documents_change_feed_idx
    ON application_documents (change_xid, change_seq);
CREATE INDEX events_change_feed_idx ON events (change_xid, change_seq);
