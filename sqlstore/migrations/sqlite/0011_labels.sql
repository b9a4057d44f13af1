-- Record labels (domain/label.go): the label, the acts signed to it for a
-- period, and the works it released.
CREATE TABLE labels (
	id      INTEGER PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	founded TEXT NOT NULL DEFAULT '',
	country TEXT NOT NULL DEFAULT ''
);

CREATE TABLE signings (
	id         INTEGER PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	label_id   INTEGER NOT NULL REFERENCES nodes (id),
	act_id     INTEGER NOT NULL REFERENCES nodes (id),
	start_date TEXT NOT NULL DEFAULT '',
	end_date   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX signings_label ON signings (label_id, start_date);
CREATE INDEX signings_act ON signings (act_id, start_date);

CREATE TABLE label_releases (
	id       INTEGER PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	label_id INTEGER NOT NULL REFERENCES nodes (id),
	work_id  INTEGER NOT NULL REFERENCES nodes (id)
);
CREATE INDEX label_releases_label ON label_releases (label_id);
CREATE INDEX label_releases_work ON label_releases (work_id);
