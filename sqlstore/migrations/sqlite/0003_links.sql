-- fact_links lists the things each fact joins, with the part each plays, so
-- that paths, neighbours and timelines walk one table instead of eight.
CREATE TABLE fact_links (
	fact_id  INTEGER NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
	thing_id INTEGER NOT NULL REFERENCES nodes (id),
	role     TEXT NOT NULL,
	PRIMARY KEY (fact_id, thing_id, role)
) WITHOUT ROWID;
CREATE INDEX fact_links_thing ON fact_links (thing_id, fact_id);

INSERT OR IGNORE INTO fact_links (fact_id, thing_id, role)
	SELECT id, artist_id, 'member' FROM memberships
	UNION ALL SELECT id, group_id, 'group' FROM memberships
	UNION ALL SELECT id, act_id, 'act' FROM credits
	UNION ALL SELECT id, work_id, 'work' FROM credits
	UNION ALL SELECT id, song_id, 'song' FROM tracks
	UNION ALL SELECT id, album_id, 'album' FROM tracks
	UNION ALL SELECT id, award_id, 'award' FROM award_results
	UNION ALL SELECT id, work_id, 'work' FROM award_results WHERE work_id IS NOT NULL
	UNION ALL SELECT result_id, act_id, 'recipient' FROM award_recipients
	UNION ALL SELECT id, event_id, 'event' FROM performances
	UNION ALL SELECT performance_id, act_id, 'performer' FROM performers
	UNION ALL SELECT performance_id, song_id, 'song' FROM set_list
	UNION ALL SELECT id, chart_id, 'chart' FROM chart_runs
	UNION ALL SELECT id, work_id, 'work' FROM chart_runs
	UNION ALL SELECT id, work_id, 'work' FROM milestones
	UNION ALL SELECT id, platform_id, 'platform' FROM milestones
	UNION ALL SELECT record_id, subject_id, 'subject' FROM record_subjects;

-- A trigram index over the folded names, for typo-tolerant search: a query
-- shares most of its trigrams with the name it misspells.
CREATE VIRTUAL TABLE name_trigrams USING fts5 (
	compact,
	node_id UNINDEXED,
	tokenize = 'trigram'
);
INSERT INTO name_trigrams (rowid, compact, node_id) SELECT rowid, compact, node_id FROM name_search;
