-- Messages (消息) for every account, not only units' (issue 21): a unit's daily digest, a leader's
-- red items, the office's daily summary. `recipient` is unit:ID, leader:ID or office. The earlier
-- unit-only list is carried over.
CREATE TABLE messages (
    id         INTEGER PRIMARY KEY,
    recipient  TEXT NOT NULL,
    day        TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (recipient, day)
);
INSERT INTO messages (recipient, day, subject, body, created_at)
    SELECT 'unit:' || unit_id, day, subject, body, created_at FROM inbox;
DROP TABLE inbox;

-- What a notice prints beside the ledger as frozen (三色督办 of the tasks not reported, the
-- evidence listed when the office asks for it), as JSON fixed when it is published.
ALTER TABLE notices ADD COLUMN marks TEXT;
