-- How a fact's sources support it (domain.Support): '' for stated, the
-- most common, or 'estimated' or 'inferred'.
ALTER TABLE nodes ADD COLUMN support TEXT NOT NULL DEFAULT '';
