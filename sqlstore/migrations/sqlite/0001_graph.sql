-- Every thing and every fact is a node: one ID space for global IDs,
-- names and citations. Tables keyed by two or three columns are WITHOUT
-- ROWID: one B-tree each instead of a table and its key index.
CREATE TABLE nodes (
	id          INTEGER PRIMARY KEY,
	kind        TEXT NOT NULL,
	slug        TEXT,          -- things only: the human key, unique per kind
	fact_key    TEXT,          -- facts only: the natural key that makes loads idempotent
	name        TEXT NOT NULL DEFAULT '',
	description TEXT NOT NULL DEFAULT '',
	note        TEXT NOT NULL DEFAULT '',
	CHECK ((slug IS NULL) <> (fact_key IS NULL))
);
-- Partial indexes: things are looked up by slug and listed by name, facts
-- by their key; neither index carries rows of the other.
CREATE UNIQUE INDEX nodes_slug ON nodes (kind, slug) WHERE slug IS NOT NULL;
CREATE UNIQUE INDEX nodes_fact_key ON nodes (kind, fact_key) WHERE fact_key IS NOT NULL;
CREATE INDEX nodes_kind_name ON nodes (kind, lower(name), id) WHERE slug IS NOT NULL;

CREATE TABLE names (
	node_id  INTEGER NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	value    TEXT NOT NULL,
	locale   TEXT NOT NULL DEFAULT '',
	kind     TEXT NOT NULL,
	compact  TEXT NOT NULL DEFAULT '', -- the name folded for search (see search.go)
	PRIMARY KEY (node_id, position)
) WITHOUT ROWID;
CREATE INDEX names_compact ON names (compact);

CREATE TABLE citations (
	node_id   INTEGER NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
	source_id INTEGER NOT NULL REFERENCES nodes (id),
	position  INTEGER NOT NULL,
	PRIMARY KEY (node_id, source_id)
) WITHOUT ROWID;
CREATE INDEX citations_source ON citations (source_id, node_id);

-- Dates are text at their own precision ('2013', '2024-02', '2013-06-13'),
-- which sorts correctly as text.
CREATE TABLE artists (
	id          INTEGER PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	birth_date  TEXT NOT NULL DEFAULT '',
	birth_place TEXT NOT NULL DEFAULT '',
	country     TEXT NOT NULL DEFAULT '',
	occupations TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
	education   TEXT NOT NULL DEFAULT '[]'  -- JSON array of objects
);

CREATE TABLE groups_ (
	id        INTEGER PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	formed    TEXT NOT NULL DEFAULT '',
	debuted   TEXT NOT NULL DEFAULT '',
	disbanded TEXT NOT NULL DEFAULT '',
	country   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE songs (
	id               INTEGER PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	released         TEXT NOT NULL DEFAULT '',
	duration_seconds INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE albums (
	id         INTEGER PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	album_kind TEXT NOT NULL,
	released   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE awards (
	id        INTEGER PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	presenter TEXT NOT NULL DEFAULT '',
	country   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE events (
	id          INTEGER PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	event_kind  TEXT NOT NULL,
	start_date  TEXT NOT NULL,
	end_date    TEXT NOT NULL DEFAULT '',
	venue       TEXT NOT NULL DEFAULT '',
	city        TEXT NOT NULL DEFAULT '',
	country     TEXT NOT NULL DEFAULT '',
	organiser   TEXT NOT NULL DEFAULT '',
	broadcaster TEXT NOT NULL DEFAULT ''
);

CREATE TABLE charts (
	id        INTEGER PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	publisher TEXT NOT NULL DEFAULT '',
	region    TEXT NOT NULL DEFAULT '',
	measures  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE platforms (
	id            INTEGER PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	platform_kind TEXT NOT NULL,
	owner         TEXT NOT NULL DEFAULT ''
);

CREATE TABLE sources (
	id        INTEGER PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	publisher TEXT NOT NULL DEFAULT '',
	author    TEXT NOT NULL DEFAULT '',
	published TEXT NOT NULL DEFAULT '',
	url       TEXT NOT NULL DEFAULT ''
);

CREATE TABLE memberships (
	id         INTEGER PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	artist_id  INTEGER NOT NULL REFERENCES nodes (id),
	group_id   INTEGER NOT NULL REFERENCES nodes (id),
	roles      TEXT NOT NULL DEFAULT '[]',
	start_date TEXT NOT NULL DEFAULT '',
	end_date   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX memberships_artist ON memberships (artist_id, start_date);
CREATE INDEX memberships_group ON memberships (group_id, start_date);

CREATE TABLE credits (
	id          INTEGER PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	work_id     INTEGER NOT NULL REFERENCES nodes (id),
	act_id      INTEGER NOT NULL REFERENCES nodes (id),
	role        TEXT NOT NULL,
	position    INTEGER NOT NULL,
	join_phrase TEXT NOT NULL DEFAULT '',
	credited_as TEXT NOT NULL DEFAULT '',
	released    TEXT NOT NULL DEFAULT '' -- the work's, kept by the loader: an act's credits page by it
);
CREATE INDEX credits_work ON credits (work_id, position);
CREATE INDEX credits_act ON credits (act_id, released, id);

CREATE TABLE tracks (
	id        INTEGER PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	album_id  INTEGER NOT NULL REFERENCES nodes (id),
	song_id   INTEGER NOT NULL REFERENCES nodes (id),
	disc      INTEGER NOT NULL DEFAULT 1,
	position  INTEGER NOT NULL DEFAULT 0,
	relations TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX tracks_album ON tracks (album_id, disc, position);
CREATE INDEX tracks_song ON tracks (song_id);

CREATE TABLE award_results (
	id       INTEGER PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	award_id INTEGER NOT NULL REFERENCES nodes (id),
	date     TEXT NOT NULL,
	category TEXT NOT NULL DEFAULT '',
	result   TEXT NOT NULL,
	work_id  INTEGER REFERENCES nodes (id)
);
CREATE INDEX award_results_award ON award_results (award_id, date, id);
CREATE INDEX award_results_work ON award_results (work_id);

CREATE TABLE award_recipients (
	result_id INTEGER NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
	act_id    INTEGER NOT NULL REFERENCES nodes (id),
	position  INTEGER NOT NULL,
	PRIMARY KEY (result_id, act_id)
) WITHOUT ROWID;
CREATE INDEX award_recipients_act ON award_recipients (act_id, result_id);

CREATE TABLE performances (
	id       INTEGER PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	event_id INTEGER NOT NULL REFERENCES nodes (id),
	date     TEXT NOT NULL
);
CREATE INDEX performances_event ON performances (event_id, date, id);

CREATE TABLE performers (
	performance_id INTEGER NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
	act_id         INTEGER NOT NULL REFERENCES nodes (id),
	position       INTEGER NOT NULL,
	PRIMARY KEY (performance_id, act_id)
) WITHOUT ROWID;
CREATE INDEX performers_act ON performers (act_id, performance_id);

CREATE TABLE set_list (
	performance_id INTEGER NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
	position       INTEGER NOT NULL,
	song_id        INTEGER NOT NULL REFERENCES nodes (id),
	note           TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (performance_id, position)
) WITHOUT ROWID;
CREATE INDEX set_list_song ON set_list (song_id);

CREATE TABLE chart_runs (
	id          INTEGER PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	chart_id    INTEGER NOT NULL REFERENCES nodes (id),
	work_id     INTEGER NOT NULL REFERENCES nodes (id),
	entered     TEXT NOT NULL DEFAULT '',
	peak        INTEGER NOT NULL DEFAULT 0,
	peak_date   TEXT NOT NULL DEFAULT '',
	weeks       INTEGER,
	weeks_bound TEXT NOT NULL DEFAULT '',
	as_of       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX chart_runs_chart ON chart_runs (chart_id, entered, id);
CREATE INDEX chart_runs_work ON chart_runs (work_id);

CREATE TABLE milestones (
	id          INTEGER PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	work_id     INTEGER NOT NULL REFERENCES nodes (id),
	platform_id INTEGER NOT NULL REFERENCES nodes (id),
	metric      TEXT NOT NULL,
	threshold   INTEGER NOT NULL,
	reached     TEXT NOT NULL
);
CREATE INDEX milestones_work ON milestones (work_id, metric, threshold);
CREATE INDEX milestones_platform ON milestones (platform_id, metric, threshold, reached);

CREATE TABLE records (
	id                  INTEGER PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	claim               TEXT NOT NULL,
	date                TEXT NOT NULL DEFAULT '',
	ranking_platform_id INTEGER REFERENCES nodes (id),
	ranking_metric      TEXT NOT NULL DEFAULT '',
	ranking_threshold   INTEGER NOT NULL DEFAULT 0,
	ranking_rank        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE record_subjects (
	record_id  INTEGER NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
	subject_id INTEGER NOT NULL REFERENCES nodes (id),
	position   INTEGER NOT NULL,
	PRIMARY KEY (record_id, subject_id)
) WITHOUT ROWID;
CREATE INDEX record_subjects_subject ON record_subjects (subject_id, record_id);
