-- How a notice was published: the date printed under its title (印发日期, chosen by the office),
-- whether it lists only the problems (未完成、未报送), and its summary line for the public list.
ALTER TABLE notices ADD COLUMN notice_date TEXT;
ALTER TABLE notices ADD COLUMN only_problems INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notices ADD COLUMN summary TEXT;
