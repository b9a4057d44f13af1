-- Things' identifiers in the open music databases (domain.Identifier):
-- kept with the thing as JSON to show them without a read, and one row
-- each to find a thing by one (search) and to give each to one thing.
ALTER TABLE nodes ADD COLUMN identifiers TEXT NOT NULL DEFAULT '';
CREATE TABLE identifiers (
	value   TEXT NOT NULL,
	scheme  TEXT NOT NULL,
	node_id INTEGER NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
	PRIMARY KEY (value, scheme)
) WITHOUT ROWID;
CREATE INDEX identifiers_node ON identifiers (node_id);
