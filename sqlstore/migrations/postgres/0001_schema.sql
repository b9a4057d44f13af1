-- The whole schema as SQLite's migrations 0001 to 0017 left it, for
-- PostgreSQL. Text compares byte by byte (COLLATE "C"), as in SQLite, so
-- that both engines order, page and fold case (lower) alike. IDs come from
-- id_counter, as in SQLite; writers take turns (see lockWrites), so one
-- counter row is enough.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE nodes (
	id          BIGINT PRIMARY KEY,
	kind        TEXT COLLATE "C" NOT NULL,
	slug        TEXT COLLATE "C",          -- things only: the human key, unique per kind
	fact_key    TEXT COLLATE "C",          -- facts only: the natural key that makes loads idempotent
	name        TEXT COLLATE "C" NOT NULL DEFAULT '',
	description TEXT COLLATE "C" NOT NULL DEFAULT '',
	note        TEXT COLLATE "C" NOT NULL DEFAULT '', revision BIGINT NOT NULL DEFAULT 1, local_names TEXT COLLATE "C" NOT NULL DEFAULT '', support TEXT COLLATE "C" NOT NULL DEFAULT '', identifiers TEXT COLLATE "C" NOT NULL DEFAULT '',
	CHECK ((slug IS NULL) <> (fact_key IS NULL))
);
CREATE UNIQUE INDEX nodes_slug ON nodes (kind, slug) WHERE slug IS NOT NULL;
CREATE UNIQUE INDEX nodes_fact_key ON nodes (kind, fact_key) WHERE fact_key IS NOT NULL;
CREATE TABLE names (
	node_id  BIGINT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
	position BIGINT NOT NULL,
	value    TEXT COLLATE "C" NOT NULL,
	locale   TEXT COLLATE "C" NOT NULL DEFAULT '',
	kind     TEXT COLLATE "C" NOT NULL,
	compact  TEXT COLLATE "C" NOT NULL DEFAULT '', -- the name folded for search (see search.go)
	PRIMARY KEY (node_id, position)
);
CREATE TABLE citations (
	node_id   BIGINT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
	source_id BIGINT NOT NULL REFERENCES nodes (id),
	position  BIGINT NOT NULL,
	PRIMARY KEY (node_id, source_id)
);
CREATE TABLE artists (
	id          BIGINT PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	birth_date  TEXT COLLATE "C" NOT NULL DEFAULT '',
	birth_place TEXT COLLATE "C" NOT NULL DEFAULT '',
	country     TEXT COLLATE "C" NOT NULL DEFAULT '',
	occupations TEXT COLLATE "C" NOT NULL DEFAULT '[]', -- JSON array of strings
	education   TEXT COLLATE "C" NOT NULL DEFAULT '[]'  -- JSON array of objects
, death_date TEXT COLLATE "C" NOT NULL DEFAULT '');
CREATE TABLE groups_ (
	id        BIGINT PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	formed    TEXT COLLATE "C" NOT NULL DEFAULT '',
	debuted   TEXT COLLATE "C" NOT NULL DEFAULT '',
	disbanded TEXT COLLATE "C" NOT NULL DEFAULT '',
	country   TEXT COLLATE "C" NOT NULL DEFAULT '',
 formed_on BIGINT REFERENCES nodes (id) ON DELETE SET NULL, hiatuses TEXT COLLATE "C" NOT NULL DEFAULT '[]');
CREATE TABLE songs (
	id               BIGINT PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	released         TEXT COLLATE "C" NOT NULL DEFAULT '',
	duration_seconds BIGINT NOT NULL DEFAULT 0
, streams BIGINT NOT NULL DEFAULT 0);
CREATE TABLE albums (
	id         BIGINT PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	album_kind TEXT COLLATE "C" NOT NULL,
	released   TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE TABLE awards (
	id        BIGINT PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	presenter TEXT COLLATE "C" NOT NULL DEFAULT '',
	country   TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE TABLE events (
	id          BIGINT PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	event_kind  TEXT COLLATE "C" NOT NULL,
	start_date  TEXT COLLATE "C" NOT NULL,
	end_date    TEXT COLLATE "C" NOT NULL DEFAULT '',
	venue       TEXT COLLATE "C" NOT NULL DEFAULT '',
	city        TEXT COLLATE "C" NOT NULL DEFAULT '',
	country     TEXT COLLATE "C" NOT NULL DEFAULT '',
	organiser   TEXT COLLATE "C" NOT NULL DEFAULT '',
	broadcaster TEXT COLLATE "C" NOT NULL DEFAULT '',
 edition BIGINT NOT NULL DEFAULT 0);
CREATE TABLE charts (
	id        BIGINT PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	publisher TEXT COLLATE "C" NOT NULL DEFAULT '',
	region    TEXT COLLATE "C" NOT NULL DEFAULT '',
	measures  TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE TABLE platforms (
	id            BIGINT PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	platform_kind TEXT COLLATE "C" NOT NULL,
	owner         TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE TABLE sources (
	id        BIGINT PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	publisher TEXT COLLATE "C" NOT NULL DEFAULT '',
	author    TEXT COLLATE "C" NOT NULL DEFAULT '',
	published TEXT COLLATE "C" NOT NULL DEFAULT '',
	url       TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE TABLE memberships (
	id         BIGINT PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	artist_id  BIGINT NOT NULL REFERENCES nodes (id),
	group_id   BIGINT NOT NULL REFERENCES nodes (id),
	roles      TEXT COLLATE "C" NOT NULL DEFAULT '[]',
	start_date TEXT COLLATE "C" NOT NULL DEFAULT '',
	end_date   TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE TABLE credits (
	id          BIGINT PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	work_id     BIGINT NOT NULL REFERENCES nodes (id),
	act_id      BIGINT NOT NULL REFERENCES nodes (id),
	role        TEXT COLLATE "C" NOT NULL,
	position    BIGINT NOT NULL,
	join_phrase TEXT COLLATE "C" NOT NULL DEFAULT '',
	credited_as TEXT COLLATE "C" NOT NULL DEFAULT '',
	released    TEXT COLLATE "C" NOT NULL DEFAULT '' -- the work's, kept by the loader: an act's credits page by it
);
CREATE TABLE tracks (
	id        BIGINT PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	album_id  BIGINT NOT NULL REFERENCES nodes (id),
	song_id   BIGINT NOT NULL REFERENCES nodes (id),
	disc      BIGINT NOT NULL DEFAULT 1,
	position  BIGINT NOT NULL DEFAULT 0,
	relations TEXT COLLATE "C" NOT NULL DEFAULT '[]'
);
CREATE TABLE award_results (
	id       BIGINT PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	award_id BIGINT NOT NULL REFERENCES nodes (id),
	date     TEXT COLLATE "C" NOT NULL,
	category TEXT COLLATE "C" NOT NULL DEFAULT '',
	result   TEXT COLLATE "C" NOT NULL,
	work_id  BIGINT REFERENCES nodes (id)
, ceremony_id BIGINT REFERENCES nodes (id));
CREATE TABLE award_recipients (
	result_id BIGINT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
	act_id    BIGINT NOT NULL REFERENCES nodes (id),
	position  BIGINT NOT NULL,
	PRIMARY KEY (result_id, act_id)
);
CREATE TABLE performances (
	id       BIGINT PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	event_id BIGINT NOT NULL REFERENCES nodes (id),
	date     TEXT COLLATE "C" NOT NULL
);
CREATE TABLE performers (
	performance_id BIGINT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
	act_id         BIGINT NOT NULL REFERENCES nodes (id),
	position       BIGINT NOT NULL,
	PRIMARY KEY (performance_id, act_id)
);
CREATE TABLE set_list (
	performance_id BIGINT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
	position       BIGINT NOT NULL,
	song_id        BIGINT NOT NULL REFERENCES nodes (id),
	note           TEXT COLLATE "C" NOT NULL DEFAULT '',
	PRIMARY KEY (performance_id, position)
);
CREATE TABLE chart_runs (
	id          BIGINT PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	chart_id    BIGINT NOT NULL REFERENCES nodes (id),
	work_id     BIGINT NOT NULL REFERENCES nodes (id),
	entered     TEXT COLLATE "C" NOT NULL DEFAULT '',
	peak        BIGINT NOT NULL DEFAULT 0,
	peak_date   TEXT COLLATE "C" NOT NULL DEFAULT '',
	weeks       BIGINT,
	weeks_bound TEXT COLLATE "C" NOT NULL DEFAULT '',
	as_of       TEXT COLLATE "C" NOT NULL DEFAULT '',
 weeks_at_peak BIGINT, weeks_at_peak_bound TEXT COLLATE "C" NOT NULL DEFAULT '');
CREATE TABLE milestones (
	id          BIGINT PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	work_id     BIGINT NOT NULL REFERENCES nodes (id),
	platform_id BIGINT NOT NULL REFERENCES nodes (id),
	metric      TEXT COLLATE "C" NOT NULL,
	threshold   BIGINT NOT NULL,
	reached     TEXT COLLATE "C" NOT NULL
);
CREATE TABLE records (
	id                  BIGINT PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	claim               TEXT COLLATE "C" NOT NULL,
	date                TEXT COLLATE "C" NOT NULL DEFAULT '',
	ranking_platform_id BIGINT REFERENCES nodes (id),
	ranking_metric      TEXT COLLATE "C" NOT NULL DEFAULT '',
	ranking_threshold   BIGINT NOT NULL DEFAULT 0,
	ranking_rank        BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE record_subjects (
	record_id  BIGINT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
	subject_id BIGINT NOT NULL REFERENCES nodes (id),
	position   BIGINT NOT NULL,
	PRIMARY KEY (record_id, subject_id)
);
CREATE TABLE fact_links (
	fact_id  BIGINT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
	thing_id BIGINT NOT NULL REFERENCES nodes (id),
	role     TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (fact_id, thing_id, role)
);
CREATE TABLE tokens (
	id      TEXT COLLATE "C" PRIMARY KEY,
	name    TEXT COLLATE "C" NOT NULL,
	role    TEXT COLLATE "C" NOT NULL CHECK (role IN ('editor', 'admin')),
	hash    BYTEA NOT NULL,
	created TEXT COLLATE "C" NOT NULL,
	revoked TEXT COLLATE "C"
);
CREATE TABLE changes (
	seq      BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	node_id  BIGINT NOT NULL,
	kind     TEXT COLLATE "C" NOT NULL,
	revision BIGINT NOT NULL,
	action   TEXT COLLATE "C" NOT NULL CHECK (action IN ('create', 'update', 'delete', 'revert')),
	actor    TEXT COLLATE "C" NOT NULL,
	at       TEXT COLLATE "C" NOT NULL,
	summary  TEXT COLLATE "C" NOT NULL DEFAULT '',
	before   TEXT COLLATE "C" NOT NULL DEFAULT '',
	after    TEXT COLLATE "C" NOT NULL DEFAULT '', redacted_by TEXT COLLATE "C" NOT NULL DEFAULT '', redacted_at TEXT COLLATE "C" NOT NULL DEFAULT '', redacted_reason TEXT COLLATE "C" NOT NULL DEFAULT '',
	UNIQUE (node_id, revision)
);
CREATE TABLE id_counter (
	name TEXT COLLATE "C" PRIMARY KEY,
	next BIGINT NOT NULL
);
CREATE TABLE labels (
	id      BIGINT PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	founded TEXT COLLATE "C" NOT NULL DEFAULT '',
	country TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE TABLE signings (
	id         BIGINT PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	label_id   BIGINT NOT NULL REFERENCES nodes (id),
	act_id     BIGINT NOT NULL REFERENCES nodes (id),
	start_date TEXT COLLATE "C" NOT NULL DEFAULT '',
	end_date   TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE TABLE label_releases (
	id       BIGINT PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
	label_id BIGINT NOT NULL REFERENCES nodes (id),
	work_id  BIGINT NOT NULL REFERENCES nodes (id)
);
CREATE TABLE identifiers (
	value   TEXT COLLATE "C" NOT NULL,
	scheme  TEXT COLLATE "C" NOT NULL,
	node_id BIGINT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
	PRIMARY KEY (value, scheme)
);
CREATE INDEX nodes_kind_name ON nodes (kind, lower(name), id) WHERE slug IS NOT NULL;
CREATE INDEX names_compact ON names (compact);
CREATE INDEX citations_source ON citations (source_id, node_id);
CREATE INDEX memberships_artist ON memberships (artist_id, start_date);
CREATE INDEX memberships_group ON memberships (group_id, start_date);
CREATE INDEX credits_work ON credits (work_id, position);
CREATE INDEX credits_act ON credits (act_id, released, id);
CREATE INDEX tracks_album ON tracks (album_id, disc, position);
CREATE INDEX tracks_song ON tracks (song_id);
CREATE INDEX award_results_award ON award_results (award_id, date, id);
CREATE INDEX award_results_work ON award_results (work_id);
CREATE INDEX award_recipients_act ON award_recipients (act_id, result_id);
CREATE INDEX performances_event ON performances (event_id, date, id);
CREATE INDEX performers_act ON performers (act_id, performance_id);
CREATE INDEX set_list_song ON set_list (song_id);
CREATE INDEX chart_runs_chart ON chart_runs (chart_id, entered, id);
CREATE INDEX chart_runs_work ON chart_runs (work_id);
CREATE INDEX milestones_work ON milestones (work_id, metric, threshold);
CREATE INDEX milestones_platform ON milestones (platform_id, metric, threshold, reached);
CREATE INDEX record_subjects_subject ON record_subjects (subject_id, record_id);
CREATE INDEX fact_links_thing ON fact_links (thing_id, fact_id);
CREATE UNIQUE INDEX tokens_live_name ON tokens (name) WHERE revoked IS NULL;
CREATE INDEX changes_actor ON changes (actor, seq);
CREATE INDEX songs_streams ON songs (streams, id);
CREATE INDEX songs_released ON songs ((CASE WHEN released = '' THEN '9999' ELSE released END), id);
CREATE INDEX artists_country ON artists (country, birth_date);
CREATE INDEX artists_birth ON artists (birth_date);
CREATE INDEX groups_country ON groups_ (country, formed);
CREATE INDEX groups_formed ON groups_ (formed);
CREATE INDEX albums_kind ON albums (album_kind, released);
CREATE INDEX albums_released ON albums (released);
CREATE INDEX events_kind ON events (event_kind, start_date);
CREATE INDEX events_start ON events (start_date);
CREATE INDEX signings_label ON signings (label_id, start_date);
CREATE INDEX signings_act ON signings (act_id, start_date);
CREATE INDEX label_releases_label ON label_releases (label_id);
CREATE INDEX label_releases_work ON label_releases (work_id);
CREATE INDEX identifiers_node ON identifiers (node_id);

INSERT INTO id_counter (name, next) VALUES ('nodes', 1);

-- Search: name_search finds names by the start of their words (value) or of
-- the whole folded name (compact); name_trigrams finds near spellings of the
-- name spelt letter by letter. A thing's rows are id*MaxNames and up, as in
-- SQLite's FTS5 tables. The writer gives value already folded (see
-- searchText), so the simple configuration only splits it into words.
CREATE TABLE name_search (
	rowid   BIGINT PRIMARY KEY,
	value   TEXT COLLATE "C" NOT NULL,
	compact TEXT COLLATE "C" NOT NULL,
	node_id BIGINT NOT NULL,
	terms   tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple', value), 'A') || setweight(to_tsvector('simple', compact), 'B')) STORED
);
CREATE INDEX name_search_terms ON name_search USING gin (terms);
CREATE TABLE name_trigrams (
	rowid   BIGINT PRIMARY KEY,
	compact TEXT COLLATE "C" NOT NULL,
	node_id BIGINT NOT NULL
);
CREATE INDEX name_trigrams_compact ON name_trigrams USING gin (compact gin_trgm_ops);

-- A song's streams are the highest streams milestone it has reached.
CREATE FUNCTION song_streams() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		UPDATE songs SET streams = coalesce((SELECT max(threshold) FROM milestones m WHERE m.work_id = songs.id AND m.metric = 'streams'), 0)
		WHERE id = OLD.work_id;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		UPDATE songs SET streams = coalesce((SELECT max(threshold) FROM milestones m WHERE m.work_id = songs.id AND m.metric = 'streams'), 0)
		WHERE id = NEW.work_id;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER milestones_streams AFTER INSERT OR DELETE OR UPDATE OF work_id, metric, threshold ON milestones
	FOR EACH ROW EXECUTE FUNCTION song_streams();

-- Every server's subscribers hear of a committed change at once (LISTEN).
CREATE FUNCTION notify_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('artistgraph_changes', '');
	RETURN NULL;
END $$;
CREATE TRIGGER changes_notify AFTER INSERT ON changes FOR EACH STATEMENT EXECUTE FUNCTION notify_changes();
