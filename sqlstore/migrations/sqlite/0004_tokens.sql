-- API tokens for writers. A token reads "ag_<id>_<secret>"; only a SHA-256
-- of the secret is kept, and it is compared in constant time (tokens.go).
CREATE TABLE tokens (
	id      TEXT PRIMARY KEY,
	name    TEXT NOT NULL,
	role    TEXT NOT NULL CHECK (role IN ('editor', 'admin')),
	hash    BLOB NOT NULL,
	created TEXT NOT NULL,
	revoked TEXT
);
CREATE UNIQUE INDEX tokens_live_name ON tokens (name) WHERE revoked IS NULL;
