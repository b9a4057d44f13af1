package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/artistgraph/artistgraph/domain"
)

// Steps lists the steps out of the given things: each fact that joins one
// of them to another thing, limited to factKinds when given, and to the
// first perThing facts of each thing, so a hub (a platform with a million
// milestones) cannot flood a search. It reports whether any thing had more.
// It is one statement however many things are asked about.
func (db *DB) Steps(ctx context.Context, from []int64, factKinds []domain.Kind, perThing int) ([]domain.Step, bool, error) {
	if len(from) == 0 {
		return nil, false, nil
	}
	kindFilter := ""
	args := []any{idList(from)}
	if len(factKinds) > 0 {
		kindFilter = ` AND n.kind ` + inTexts
		args = append(args, textList(factKinds))
	}
	args = append(args, perThing+1)
	// For each thing, its first perThing+1 facts by a range of the
	// (thing_id, fact_id) index, so a hub costs no more than the limit.
	rows, err := db.read.QueryContext(ctx, `
		SELECT a.thing_id, a.fact_id, n.kind, a.role, b.thing_id, b.role
		FROM `+idTable+` t
		JOIN fact_links a ON a.thing_id = t.value AND a.fact_id IN (
			SELECT l.fact_id FROM fact_links l JOIN nodes n ON n.id = l.fact_id
			WHERE l.thing_id = t.value`+kindFilter+` ORDER BY l.fact_id LIMIT ?)
		JOIN nodes n ON n.id = a.fact_id
		JOIN fact_links b ON b.fact_id = a.fact_id AND b.thing_id <> a.thing_id
		ORDER BY a.thing_id, a.fact_id, b.thing_id`, args...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var steps []domain.Step
	cut := false
	var thing, fact int64
	facts := 0
	for rows.Next() {
		var s domain.Step
		if err := rows.Scan(&s.From, &s.Fact, &s.FactKind, &s.FromRole, &s.To, &s.ToRole); err != nil {
			return nil, false, err
		}
		if s.From != thing {
			thing, fact, facts = s.From, 0, 0
		}
		if s.Fact != fact {
			fact = s.Fact
			facts++
		}
		if facts > perThing {
			cut = true
			continue
		}
		steps = append(steps, s)
	}
	return steps, cut, rows.Err()
}

// ResolveThing finds a thing from what a user typed: a global ID, a
// "kind:slug" reference or a bare slug that only one kind uses.
func (db *DB) ResolveThing(ctx context.Context, ref string) (int64, error) {
	if kind, id, err := domain.ParseGlobalID(ref); err == nil && kind.IsThing() {
		if _, err := db.Node(ctx, kind, id); err != nil {
			return 0, err
		}
		return id, nil
	}
	if strings.Contains(ref, ":") {
		kind, slug, err := domain.ParseThingRef(ref)
		if err != nil {
			return 0, domain.Errorf(domain.EINVALID, "%v", err)
		}
		return db.IDBySlug(ctx, kind, slug)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id, kind FROM nodes WHERE slug = ? ORDER BY kind`, ref)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var ids []int64
	var refs []string
	for rows.Next() {
		var id int64
		var kind string
		if err := rows.Scan(&id, &kind); err != nil {
			return 0, err
		}
		ids = append(ids, id)
		refs = append(refs, strings.ToLower(kind)+":"+ref)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	switch len(ids) {
	case 0:
		return 0, domain.Errorf(domain.ENOTFOUND, "nothing has the slug %q", ref)
	case 1:
		return ids[0], nil
	}
	return 0, domain.Errorf(domain.EINVALID, "%q names several things; say which: %s", ref, strings.Join(refs, ", "))
}

// A group's hiatuses are kept with it as a JSON array of objects with a
// start and maybe an end; the timelines read them as rows.
const (
	hiatusRows  = "json_each(g.hiatuses) h"
	hiatusStart = "json_extract(h.value, '$.start')"
	hiatusEnd   = "json_extract(h.value, '$.end')"
)

// Timeline lists the dated facts of an act's own career, unsorted: its birth
// or formation (with the event it was formed on), hiatuses, memberships, releases it is credited on, performances,
// awards, its works' chart entries and milestones, and records about it or
// its works. Releases are read from the credits' copy of their work's
// release date (loads and edits keep it), by the act's index: joining the
// works took a prolific act's timeline 1.2 s of its 2.6 s.
func (db *DB) Timeline(ctx context.Context, act int64) ([]domain.TimelineEntry, error) {
	return db.timeline(ctx, `
		SELECT birth_date, 'birth', 0, id, 0 FROM artists WHERE id = $1 AND birth_date <> ''
		UNION ALL SELECT death_date, 'death', 0, id, 0 FROM artists WHERE id = $1 AND death_date <> ''
		UNION ALL SELECT formed, 'formed', 0, id, coalesce(formed_on, 0) FROM groups_ WHERE id = $1 AND formed <> ''
		UNION ALL SELECT debuted, 'debut', 0, id, 0 FROM groups_ WHERE id = $1 AND debuted <> ''
		UNION ALL SELECT disbanded, 'disbanded', 0, id, 0 FROM groups_ WHERE id = $1 AND disbanded <> ''
		UNION ALL SELECT `+hiatusStart+`, 'hiatus', 0, g.id, 0 FROM groups_ g, `+hiatusRows+` WHERE g.id = $1
		UNION ALL SELECT `+hiatusEnd+`, 'return', 0, g.id, 0 FROM groups_ g, `+hiatusRows+`
			WHERE g.id = $1 AND `+hiatusEnd+` IS NOT NULL
		UNION ALL SELECT start_date, 'joined', id, artist_id, group_id FROM memberships WHERE (artist_id = $1 OR group_id = $1) AND start_date <> ''
		UNION ALL SELECT end_date, 'left', id, artist_id, group_id FROM memberships WHERE (artist_id = $1 OR group_id = $1) AND end_date <> ''
		UNION ALL SELECT c.released, 'release', c.id, c.act_id, c.work_id FROM credits c
			WHERE c.act_id = $1 AND c.released <> ''
		UNION ALL SELECT p.date, 'performance', p.id, pf.act_id, p.event_id FROM performances p
			JOIN performers pf ON pf.performance_id = p.id WHERE pf.act_id = $1
		UNION ALL SELECT r.date, 'award', r.id, ar.act_id, r.award_id FROM award_results r
			JOIN award_recipients ar ON ar.result_id = r.id WHERE ar.act_id = $1
		UNION ALL SELECT DISTINCT cr.entered, 'chart_entry', cr.id, c.act_id, cr.work_id FROM chart_runs cr
			JOIN credits c ON c.work_id = cr.work_id AND c.role IN ('primary', 'featured') WHERE c.act_id = $1 AND cr.entered <> ''
		UNION ALL SELECT DISTINCT m.reached, 'milestone', m.id, c.act_id, m.work_id FROM milestones m
			JOIN credits c ON c.work_id = m.work_id AND c.role IN ('primary', 'featured') WHERE c.act_id = $1
		UNION ALL SELECT r.date, 'record', r.id, $1, 0 FROM records r WHERE r.date <> '' AND r.id IN (
			SELECT record_id FROM record_subjects WHERE subject_id = $1
				OR subject_id IN (SELECT work_id FROM credits WHERE act_id = $1 AND role IN ('primary', 'featured')))`, act)
}

// OnThisDay lists the facts dated to a day of the year, in any year: only
// dates known to the day can match.
func (db *DB) OnThisDay(ctx context.Context, month, day int) ([]domain.TimelineEntry, error) {
	return db.timeline(ctx, `
		SELECT birth_date, 'birth', 0, id, 0 FROM artists WHERE substr(birth_date, 5) = $1
		UNION ALL SELECT death_date, 'death', 0, id, 0 FROM artists WHERE substr(death_date, 5) = $1
		UNION ALL SELECT formed, 'formed', 0, id, coalesce(formed_on, 0) FROM groups_ WHERE substr(formed, 5) = $1
		UNION ALL SELECT debuted, 'debut', 0, id, 0 FROM groups_ WHERE substr(debuted, 5) = $1
		UNION ALL SELECT disbanded, 'disbanded', 0, id, 0 FROM groups_ WHERE substr(disbanded, 5) = $1
		UNION ALL SELECT `+hiatusStart+`, 'hiatus', 0, g.id, 0 FROM groups_ g, `+hiatusRows+`
			WHERE g.hiatuses <> '[]' AND substr(`+hiatusStart+`, 5) = $1
		UNION ALL SELECT `+hiatusEnd+`, 'return', 0, g.id, 0 FROM groups_ g, `+hiatusRows+`
			WHERE g.hiatuses <> '[]' AND substr(`+hiatusEnd+`, 5) = $1
		UNION ALL SELECT start_date, 'joined', id, artist_id, group_id FROM memberships WHERE substr(start_date, 5) = $1
		UNION ALL SELECT end_date, 'left', id, artist_id, group_id FROM memberships WHERE substr(end_date, 5) = $1
		UNION ALL SELECT released, 'release', 0, 0, id FROM songs WHERE substr(released, 5) = $1
		UNION ALL SELECT released, 'release', 0, 0, id FROM albums WHERE substr(released, 5) = $1
		UNION ALL SELECT date, 'performance', id, 0, event_id FROM performances WHERE substr(date, 5) = $1
		UNION ALL SELECT date, 'award', id, 0, award_id FROM award_results WHERE substr(date, 5) = $1
		UNION ALL SELECT entered, 'chart_entry', id, 0, work_id FROM chart_runs WHERE substr(entered, 5) = $1
		UNION ALL SELECT reached, 'milestone', id, 0, work_id FROM milestones WHERE substr(reached, 5) = $1
		UNION ALL SELECT date, 'record', id, 0, 0 FROM records WHERE substr(date, 5) = $1
		UNION ALL SELECT start_date, 'event', 0, 0, id FROM events WHERE substr(start_date, 5) = $1`,
		fmt.Sprintf("-%02d-%02d", month, day))
}

func (db *DB) timeline(ctx context.Context, q string, arg any) ([]domain.TimelineEntry, error) {
	rows, err := db.read.QueryContext(ctx, q, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.TimelineEntry
	for rows.Next() {
		var e domain.TimelineEntry
		if err := rows.Scan(dateCol{&e.Date}, &e.Kind, &e.FactID, &e.ActID, &e.SubjectID); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Race lists every milestone at one threshold of one metric on a platform,
// with the release date of its work, in one statement.
func (db *DB) Race(ctx context.Context, platform int64, metric string, threshold int64) ([]domain.RaceEntry, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT m.id, m.work_id, m.reached, coalesce(s.released, a.released, ''), n.support FROM milestones m JOIN nodes n ON n.id = m.id
		LEFT JOIN songs s ON s.id = m.work_id LEFT JOIN albums a ON a.id = m.work_id
		WHERE m.platform_id = ? AND m.metric = ? AND m.threshold = ?`, platform, metric, threshold)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.RaceEntry
	for rows.Next() {
		var e domain.RaceEntry
		if err := rows.Scan(&e.MilestoneID, &e.WorkID, dateCol{&e.Reached}, dateCol{&e.Released}, &e.Support); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// RunsOnChart lists every run on a chart.
func (db *DB) RunsOnChart(ctx context.Context, chart int64) ([]*domain.ChartRun, error) {
	return query(ctx, db, chartRunSpec, `WHERE d.chart_id = ? ORDER BY n.id`, chart)
}

// AwardCounts counts award results by act, for one award (0 for all), one
// year (0 for all) and one outcome.
func (db *DB) AwardCounts(ctx context.Context, award int64, year int, result string) ([]domain.ActCount, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT ar.act_id, count(*) FROM award_results r JOIN award_recipients ar ON ar.result_id = r.id
		WHERE r.result = $1 AND ($2 = 0 OR r.award_id = $2) AND ($3 = '' OR substr(r.date, 1, 4) = $3)
		GROUP BY ar.act_id`, result, award, yearText(year))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.ActCount
	for rows.Next() {
		var c domain.ActCount
		if err := rows.Scan(&c.ActID, &c.Count); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
