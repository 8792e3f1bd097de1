-- Yearly values of a plan's main indicators (规划监测, issue 19): the actual value reported or
-- entered for a year (actual), and the yearly value the office sets for an indicator whose target
-- is an assignment such as 完成市下达任务 (assigned). Two-series indicators (男性/女性) keep both
-- numbers, comma-separated.
CREATE TABLE indicator_values (
    document_id BIGINT NOT NULL,
    ord         BIGINT NOT NULL,
    year        BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    note        TEXT NOT NULL,
    entered_by  BIGINT REFERENCES accounts (id),
    entered_at  TEXT NOT NULL,
    PRIMARY KEY (document_id, ord, year, kind),
    FOREIGN KEY (document_id, ord) REFERENCES indicators (document_id, ord) ON DELETE CASCADE
);
