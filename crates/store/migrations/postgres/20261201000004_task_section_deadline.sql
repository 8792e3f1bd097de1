-- A division plan (分工方案) places each task under its headings and may set it a deadline
-- (完成时限), as written.
ALTER TABLE tasks ADD COLUMN section TEXT;
ALTER TABLE tasks ADD COLUMN deadline TEXT;
