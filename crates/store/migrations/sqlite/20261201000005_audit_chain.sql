-- Each log entry holds the SHA-256 of the entry before it and of its own content, so a changed,
-- removed or inserted entry breaks the chain (`duban audit verify`), even where the triggers
-- that refuse changes were dropped. Entries written before this migration stay unchained.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
