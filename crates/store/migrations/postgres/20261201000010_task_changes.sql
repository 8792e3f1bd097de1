-- Changes during the year (调整, issue 17): a task withdrawn (撤销) or merged into another stays
-- in the database for the history and for published notices, but no longer counts.
ALTER TABLE tasks ADD COLUMN withdrawn_at TEXT;
ALTER TABLE tasks ADD COLUMN withdrawn_reason TEXT;
ALTER TABLE tasks ADD COLUMN merged_into BIGINT REFERENCES tasks (id);
