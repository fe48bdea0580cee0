-- The daily clean-up of offline sync leftovers (api/sync/cleanup.py): unattached uploads by
-- their last change, receipt blocks by their day.
CREATE INDEX sync_uploads_unattached_idx ON sync_uploads (updated_at) WHERE document_id IS NULL;
CREATE INDEX sync_receipt_blocks_day_idx ON sync_receipt_blocks (day);
