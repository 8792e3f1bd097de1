-- The in-app list of reminders (站内提醒, issue 21): each pass leaves the day's digest for every
-- unit with something due, whether or not a channel reaches it; its people read it on 消息.
CREATE TABLE inbox (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    day        TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (unit_id, day)
);
