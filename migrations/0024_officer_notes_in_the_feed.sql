-- Officers' notes (the offline sync `note` command writes them to the audit log as
-- application.note) belong to the timeline officers see on every device (docs/sync.md §2).

-- Read per application without the file's other audit rows (every officer read writes one).
CREATE INDEX audit_log_officer_notes_idx ON audit_log (application_id, id)
    WHERE action = 'application.note';

-- A note moves its application in the change feed, without a version change (as a lease
-- does, migration 0021), so other devices pull the record again with the note.
CREATE FUNCTION touch_application_of_note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE applications SET change_seq = change_seq WHERE id = NEW.application_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER audit_log_note_touches_application
    AFTER INSERT ON audit_log
    FOR EACH ROW WHEN (NEW.action = 'application.note')
    EXECUTE FUNCTION touch_application_of_note();
