-- Reports and plans (issue 4): what a document states besides its passages, and where each
-- task's goal came from. Indicator cells are kept as the JSON of duban-core's IndicatorValue
-- (text, numbers, bound) so the printed words survive beside the numbers.
ALTER TABLE documents ADD COLUMN number TEXT;
ALTER TABLE documents ADD COLUMN speaker TEXT;
ALTER TABLE passages ADD COLUMN lead TEXT;

ALTER TABLE tasks ADD COLUMN source_start BIGINT;
ALTER TABLE tasks ADD COLUMN source_end BIGINT;
ALTER TABLE tasks ADD COLUMN source_score DOUBLE PRECISION;

CREATE TABLE glossary_terms (
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ord         BIGINT NOT NULL,
    term        TEXT NOT NULL,
    explanation TEXT NOT NULL,
    PRIMARY KEY (document_id, ord)
);

CREATE TABLE indicators (
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ord         BIGINT NOT NULL,
    category    TEXT NOT NULL,
    name        TEXT NOT NULL,
    uom         TEXT NOT NULL,
    baseline    TEXT,
    target      TEXT,
    growth      TEXT,
    attribute   TEXT NOT NULL,
    PRIMARY KEY (document_id, ord)
);

CREATE TABLE projects (
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ord         BIGINT NOT NULL,
    box_name    TEXT NOT NULL,
    group_name  TEXT,
    name        TEXT NOT NULL,
    PRIMARY KEY (document_id, ord)
);
