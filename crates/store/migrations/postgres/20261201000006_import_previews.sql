-- A table previewed in the browser waits here, under a random id, until the office confirms it
-- or it expires: the file is read once, and the browser sends back only the id. Transient, like
-- sessions: not in backups.
CREATE TABLE import_previews (
    id         TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    file       TEXT NOT NULL,
    sheet      TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX import_previews_expiry ON import_previews (expires_at);
