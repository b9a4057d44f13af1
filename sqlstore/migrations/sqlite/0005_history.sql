-- Every node has a revision, raised by each change, so that an edit naming
-- a stale revision is refused rather than overwriting another editor's.
ALTER TABLE nodes ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;

-- changes is the edit history: one row per node per change, kept after the
-- node is deleted (so node_id has no foreign key). before and after are the
-- node as its mutation input would write it (JSON, "" when it did not
-- exist), so that a diff, and a revert, need nothing else.
CREATE TABLE changes (
	seq      INTEGER PRIMARY KEY,
	node_id  INTEGER NOT NULL,
	kind     TEXT NOT NULL,
	revision INTEGER NOT NULL,
	action   TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'revert')),
	actor    TEXT NOT NULL,
	at       TEXT NOT NULL,
	summary  TEXT NOT NULL DEFAULT '',
	before   TEXT NOT NULL DEFAULT '',
	after    TEXT NOT NULL DEFAULT '',
	UNIQUE (node_id, revision)
);
CREATE INDEX changes_actor ON changes (actor, seq);
