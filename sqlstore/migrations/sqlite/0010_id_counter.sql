-- Node IDs come from a counter that a writer advances in one statement
-- (UPDATE ... RETURNING), so two writers never take the same ID: reading
-- max(id) + 1 was safe only while one writer ran at a time. IDs are never
-- reused: the history of a deleted node keeps its ID.
CREATE TABLE id_counter (
	name TEXT PRIMARY KEY,
	next INTEGER NOT NULL
);
INSERT INTO id_counter (name, next)
	SELECT 'nodes', max(coalesce((SELECT max(id) FROM nodes), 0), coalesce((SELECT max(node_id) FROM changes), 0)) + 1;
