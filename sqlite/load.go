package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/artistgraph/artistgraph/domain"
)

// Load validates a dataset against itself and the stored graph and writes it
// in one transaction: either every thing and fact is written or, on any
// problem, nothing is. Things are matched by kind and slug and facts by their
// natural key, so loading the same dataset twice changes nothing. A load adds
// and updates; it never deletes.
func (db *DB) Load(ctx context.Context, ds *domain.Dataset) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := domain.Validate(ds, txStored{ctx: ctx, tx: tx}); err != nil {
			return err
		}
		l := &loader{ctx: ctx, tx: tx, ids: map[domain.Kind]map[string]int64{}}
		return l.load(ds)
	})
}

// txStored answers validation's questions from inside the load transaction.
type txStored struct {
	ctx context.Context
	tx  *sql.Tx
}

var keyDateSQL = map[domain.Kind]string{
	domain.KindArtist: `SELECT birth_date FROM artists WHERE id = ?`,
	domain.KindGroup:  `SELECT CASE WHEN formed <> '' THEN formed ELSE debuted END FROM groups_ WHERE id = ?`,
	domain.KindSong:   `SELECT released FROM songs WHERE id = ?`,
	domain.KindAlbum:  `SELECT released FROM albums WHERE id = ?`,
	domain.KindEvent:  `SELECT start_date FROM events WHERE id = ?`,
	domain.KindSource: `SELECT published FROM sources WHERE id = ?`,
}

func (s txStored) Known(kind domain.Kind, slug string) (domain.Known, bool, error) {
	id, err := slugID(s.ctx, s.tx, kind, slug)
	if err != nil || id == 0 {
		return domain.Known{}, false, err
	}
	known := domain.Known{Kind: kind}
	if q, ok := keyDateSQL[kind]; ok {
		var text string
		if err := s.tx.QueryRowContext(s.ctx, q, id).Scan(&text); err != nil {
			return known, false, err
		}
		known.Date = parseStoredDate(text)
	}
	return known, true, nil
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// slugID returns the ID of a thing, or 0 when there is none.
func slugID(ctx context.Context, q queryer, kind domain.Kind, slug string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM nodes WHERE kind = ? AND slug = ?`, string(kind), slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

type loader struct {
	ctx context.Context
	tx  *sql.Tx
	ids map[domain.Kind]map[string]int64
}

func (l *loader) exec(query string, args ...any) error {
	_, err := l.tx.ExecContext(l.ctx, query, args...)
	return err
}

// ref resolves a slug validation has already found, among kinds in order.
func (l *loader) ref(slug string, kinds ...domain.Kind) (int64, error) {
	for _, k := range kinds {
		if id, ok := l.ids[k][slug]; ok {
			return id, nil
		}
	}
	for _, k := range kinds {
		id, err := slugID(l.ctx, l.tx, k, slug)
		if err != nil || id != 0 {
			if l.ids[k] == nil {
				l.ids[k] = map[string]int64{}
			}
			l.ids[k][slug] = id
			return id, err
		}
	}
	return 0, fmt.Errorf("%s %q vanished during the load", kinds[0], slug)
}

func (l *loader) act(slug string) (int64, error) {
	return l.ref(slug, domain.KindArtist, domain.KindGroup)
}

func (l *loader) work(w domain.WorkRef) (int64, error) {
	if w.Song != "" {
		return l.ref(w.Song, domain.KindSong)
	}
	return l.ref(w.Album, domain.KindAlbum)
}

func (l *loader) thing(kind domain.Kind, t *domain.ThingDoc) (int64, error) {
	var id int64
	err := l.tx.QueryRowContext(l.ctx, `
		INSERT INTO nodes (kind, slug, name, description, note) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (kind, slug) DO UPDATE SET name = excluded.name, description = excluded.description, note = excluded.note
		RETURNING id`, string(kind), t.Slug, t.Name, t.Description, t.Note).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("%s %q: %w", kind, t.Slug, err)
	}
	if l.ids[kind] == nil {
		l.ids[kind] = map[string]int64{}
	}
	l.ids[kind][t.Slug] = id
	names := append([]domain.NameDoc{{Value: t.Name, Kind: "primary"}}, t.Names...)
	if err := l.replaceNames(id, names); err != nil {
		return 0, err
	}
	return id, nil
}

func (l *loader) replaceNames(id int64, names []domain.NameDoc) error {
	if err := l.exec(`DELETE FROM names WHERE node_id = ?`, id); err != nil {
		return err
	}
	if err := deleteSearchEntries(l.ctx, l.tx, id); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, n := range names {
		kind := n.Kind
		if kind == "" {
			kind = "alias"
		}
		if err := l.exec(`INSERT INTO names (node_id, position, value, locale, kind) VALUES (?, ?, ?, ?, ?)`, id, i, n.Value, n.Locale, kind); err != nil {
			return err
		}
		if !seen[n.Value] {
			seen[n.Value] = true
			if err := addSearchEntry(l.ctx, l.tx, id, n.Value); err != nil {
				return err
			}
		}
	}
	return nil
}

// fact inserts or finds a fact by its natural key and replaces its citations.
func (l *loader) fact(kind domain.Kind, key string, f *domain.FactDoc) (int64, error) {
	var id int64
	err := l.tx.QueryRowContext(l.ctx, `
		INSERT INTO nodes (kind, fact_key, note) VALUES (?, ?, ?)
		ON CONFLICT (kind, fact_key) DO UPDATE SET note = excluded.note
		RETURNING id`, string(kind), key, f.Note).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", kind, key, err)
	}
	return id, l.cite(id, f.Sources)
}

func (l *loader) cite(id int64, sources []string) error {
	if err := l.exec(`DELETE FROM citations WHERE node_id = ?`, id); err != nil {
		return err
	}
	for i, slug := range sources {
		src, err := l.ref(slug, domain.KindSource)
		if err != nil {
			return err
		}
		if err := l.exec(`INSERT OR IGNORE INTO citations (node_id, source_id, position) VALUES (?, ?, ?)`, id, src, i); err != nil {
			return err
		}
	}
	return nil
}

// link is one thing a fact joins and the part it plays.
type link struct {
	thing int64
	role  string
}

// links rewrites the things a fact joins (see fact_links).
func (l *loader) links(fact int64, links ...link) error {
	if err := l.exec(`DELETE FROM fact_links WHERE fact_id = ?`, fact); err != nil {
		return err
	}
	for _, k := range links {
		if err := l.exec(`INSERT OR IGNORE INTO fact_links (fact_id, thing_id, role) VALUES (?, ?, ?)`, fact, k.thing, k.role); err != nil {
			return err
		}
	}
	return nil
}

func thingLinks(role string, things []int64) []link {
	out := make([]link, len(things))
	for i, t := range things {
		out[i] = link{t, role}
	}
	return out
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil || string(b) == "null" {
		return "[]"
	}
	return string(b)
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

func (l *loader) acts(slugs []string) ([]int64, error) {
	ids := make([]int64, len(slugs))
	for i, s := range slugs {
		id, err := l.act(s)
		if err != nil {
			return nil, err
		}
		ids[i] = id
	}
	return ids, nil
}

func (l *loader) load(ds *domain.Dataset) error {
	steps := []func(*domain.Dataset) error{l.things, l.citeThings, l.memberships, l.credits, l.tracks, l.awardResults, l.performances, l.chartRuns, l.milestones, l.records}
	for _, step := range steps {
		if err := step(ds); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) things(ds *domain.Dataset) error {
	type row struct {
		kind   domain.Kind
		thing  *domain.ThingDoc
		detail string
		args   []any
	}
	var rows []row
	for i := range ds.Sources {
		s := &ds.Sources[i]
		rows = append(rows, row{domain.KindSource, &s.ThingDoc, `sources (id, publisher, author, published, url) VALUES (?, ?, ?, ?, ?)`,
			[]any{s.Publisher, s.Author, s.Published.String(), s.URL}})
	}
	for i := range ds.Artists {
		a := &ds.Artists[i]
		rows = append(rows, row{domain.KindArtist, &a.ThingDoc, `artists (id, birth_date, birth_place, country, occupations, education) VALUES (?, ?, ?, ?, ?, ?)`,
			[]any{a.BirthDate.String(), a.BirthPlace, a.Country, jsonText(a.Occupations), jsonText(a.Education)}})
	}
	for i := range ds.Groups {
		g := &ds.Groups[i]
		rows = append(rows, row{domain.KindGroup, &g.ThingDoc, `groups_ (id, formed, debuted, disbanded, country) VALUES (?, ?, ?, ?, ?)`,
			[]any{g.Formed.String(), g.Debuted.String(), g.Disbanded.String(), g.Country}})
	}
	for i := range ds.Songs {
		s := &ds.Songs[i]
		rows = append(rows, row{domain.KindSong, &s.ThingDoc, `songs (id, released, duration_seconds) VALUES (?, ?, ?)`,
			[]any{s.Released.String(), s.DurationSeconds}})
	}
	for i := range ds.Albums {
		a := &ds.Albums[i]
		rows = append(rows, row{domain.KindAlbum, &a.ThingDoc, `albums (id, album_kind, released) VALUES (?, ?, ?)`,
			[]any{a.Kind, a.Released.String()}})
	}
	for i := range ds.Awards {
		a := &ds.Awards[i]
		rows = append(rows, row{domain.KindAward, &a.ThingDoc, `awards (id, presenter, country) VALUES (?, ?, ?)`,
			[]any{a.Presenter, a.Country}})
	}
	for i := range ds.Events {
		e := &ds.Events[i]
		rows = append(rows, row{domain.KindEvent, &e.ThingDoc, `events (id, event_kind, start_date, end_date, venue, city, country, organiser, broadcaster) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			[]any{e.Kind, e.Start.String(), e.End.String(), e.Venue, e.City, e.Country, e.Organiser, e.Broadcaster}})
	}
	for i := range ds.Charts {
		c := &ds.Charts[i]
		rows = append(rows, row{domain.KindChart, &c.ThingDoc, `charts (id, publisher, region, measures) VALUES (?, ?, ?, ?)`,
			[]any{c.Publisher, c.Region, c.Measures}})
	}
	for i := range ds.Platforms {
		p := &ds.Platforms[i]
		rows = append(rows, row{domain.KindPlatform, &p.ThingDoc, `platforms (id, platform_kind, owner) VALUES (?, ?, ?)`,
			[]any{p.Kind, p.Owner}})
	}
	for _, r := range rows {
		id, err := l.thing(r.kind, r.thing)
		if err != nil {
			return err
		}
		if err := l.exec(`INSERT OR REPLACE INTO `+r.detail, append([]any{id}, r.args...)...); err != nil {
			return fmt.Errorf("%s %q: %w", r.kind, r.thing.Slug, err)
		}
	}
	return nil
}

// citeThings runs after every thing is written, so a thing may cite a
// source described later in the same dataset.
func (l *loader) citeThings(ds *domain.Dataset) error {
	for _, t := range ds.ThingDocs() {
		id, err := l.ref(t.Doc.Slug, t.Kind)
		if err != nil {
			return err
		}
		if err := l.cite(id, t.Doc.Sources); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) memberships(ds *domain.Dataset) error {
	for _, g := range ds.Groups {
		group := l.ids[domain.KindGroup][g.Slug]
		for _, m := range g.Members {
			artist, err := l.ref(m.Artist, domain.KindArtist)
			if err != nil {
				return err
			}
			id, err := l.fact(domain.KindMembership, fmt.Sprintf("%d/%d/%s", artist, group, m.Start), &m.FactDoc)
			if err != nil {
				return err
			}
			if err := l.exec(`INSERT OR REPLACE INTO memberships (id, artist_id, group_id, roles, start_date, end_date) VALUES (?, ?, ?, ?, ?, ?)`,
				id, artist, group, jsonText(m.Roles), m.Start.String(), m.End.String()); err != nil {
				return err
			}
			if err := l.links(id, link{artist, "member"}, link{group, "group"}); err != nil {
				return err
			}
		}
	}
	return nil
}

func (l *loader) creditList(work int64, credits []domain.CreditDoc) error {
	for i, c := range credits {
		act, err := l.act(c.Act)
		if err != nil {
			return err
		}
		id, err := l.fact(domain.KindCredit, fmt.Sprintf("%d/%d/%s", work, act, c.Role), &c.FactDoc)
		if err != nil {
			return err
		}
		if err := l.exec(`INSERT OR REPLACE INTO credits (id, work_id, act_id, role, position, join_phrase, credited_as) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, work, act, c.Role, i+1, c.JoinPhrase, c.CreditedAs); err != nil {
			return err
		}
		if err := l.links(id, link{act, "act"}, link{work, "work"}); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) credits(ds *domain.Dataset) error {
	for _, s := range ds.Songs {
		if err := l.creditList(l.ids[domain.KindSong][s.Slug], s.Credits); err != nil {
			return err
		}
	}
	for _, a := range ds.Albums {
		if err := l.creditList(l.ids[domain.KindAlbum][a.Slug], a.Credits); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) tracks(ds *domain.Dataset) error {
	for _, a := range ds.Albums {
		album := l.ids[domain.KindAlbum][a.Slug]
		for _, t := range a.Tracks {
			song, err := l.ref(t.Song, domain.KindSong)
			if err != nil {
				return err
			}
			id, err := l.fact(domain.KindTrack, fmt.Sprintf("%d/%d", album, song), &t.FactDoc)
			if err != nil {
				return err
			}
			if err := l.exec(`INSERT OR REPLACE INTO tracks (id, album_id, song_id, disc, position, relations) VALUES (?, ?, ?, ?, ?, ?)`,
				id, album, song, max(t.Disc, 1), t.Position, jsonText(t.Relations)); err != nil {
				return err
			}
			if err := l.links(id, link{song, "song"}, link{album, "album"}); err != nil {
				return err
			}
		}
	}
	return nil
}

// replaceActs rewrites an ordered list of acts attached to a fact.
func (l *loader) replaceActs(table, column string, fact int64, acts []int64) error {
	if err := l.exec(`DELETE FROM `+table+` WHERE `+column+` = ?`, fact); err != nil {
		return err
	}
	for i, act := range acts {
		if err := l.exec(`INSERT OR IGNORE INTO `+table+` (`+column+`, act_id, position) VALUES (?, ?, ?)`, fact, act, i+1); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) awardResults(ds *domain.Dataset) error {
	for _, a := range ds.Awards {
		award := l.ids[domain.KindAward][a.Slug]
		for _, r := range a.Results {
			recipients, err := l.acts(r.Recipients)
			if err != nil {
				return err
			}
			var work sql.NullInt64
			if r.Work != nil {
				if work.Int64, err = l.work(*r.Work); err != nil {
					return err
				}
				work.Valid = true
			}
			key := fmt.Sprintf("%d/%s/%s/%s/%d", award, r.Date, r.Category, joinIDs(recipients), work.Int64)
			id, err := l.fact(domain.KindAwardResult, key, &r.FactDoc)
			if err != nil {
				return err
			}
			if err := l.exec(`INSERT OR REPLACE INTO award_results (id, award_id, date, category, result, work_id) VALUES (?, ?, ?, ?, ?, ?)`,
				id, award, r.Date.String(), r.Category, r.Result, work); err != nil {
				return err
			}
			if err := l.replaceActs("award_recipients", "result_id", id, recipients); err != nil {
				return err
			}
			links := append(thingLinks("recipient", recipients), link{award, "award"})
			if work.Valid {
				links = append(links, link{work.Int64, "work"})
			}
			if err := l.links(id, links...); err != nil {
				return err
			}
		}
	}
	return nil
}

func (l *loader) performances(ds *domain.Dataset) error {
	for _, e := range ds.Events {
		event := l.ids[domain.KindEvent][e.Slug]
		for _, p := range e.Performances {
			performers, err := l.acts(p.Performers)
			if err != nil {
				return err
			}
			date := p.Date
			if date.IsZero() {
				date = e.Start
			}
			id, err := l.fact(domain.KindPerformance, fmt.Sprintf("%d/%s/%s", event, date, joinIDs(performers)), &p.FactDoc)
			if err != nil {
				return err
			}
			if err := l.exec(`INSERT OR REPLACE INTO performances (id, event_id, date) VALUES (?, ?, ?)`, id, event, date.String()); err != nil {
				return err
			}
			if err := l.replaceActs("performers", "performance_id", id, performers); err != nil {
				return err
			}
			if err := l.exec(`DELETE FROM set_list WHERE performance_id = ?`, id); err != nil {
				return err
			}
			links := append(thingLinks("performer", performers), link{event, "event"})
			for i, s := range p.SetList {
				song, err := l.ref(s.Song, domain.KindSong)
				if err != nil {
					return err
				}
				if err := l.exec(`INSERT INTO set_list (performance_id, position, song_id, note) VALUES (?, ?, ?, ?)`, id, i+1, song, s.Note); err != nil {
					return err
				}
				links = append(links, link{song, "song"})
			}
			if err := l.links(id, links...); err != nil {
				return err
			}
		}
	}
	return nil
}

func (l *loader) chartRuns(ds *domain.Dataset) error {
	for i := range ds.ChartRuns {
		r := &ds.ChartRuns[i]
		chart, err := l.ref(r.Chart, domain.KindChart)
		if err != nil {
			return err
		}
		work, err := l.work(r.WorkRef)
		if err != nil {
			return err
		}
		id, err := l.fact(domain.KindChartRun, fmt.Sprintf("%d/%d/%s", chart, work, r.Entered), &r.FactDoc)
		if err != nil {
			return err
		}
		var weeks sql.NullInt64
		var bound string
		if r.Weeks != nil {
			weeks = sql.NullInt64{Int64: r.Weeks.Value, Valid: true}
			bound = r.Weeks.Bound
		}
		if err := l.exec(`INSERT OR REPLACE INTO chart_runs (id, chart_id, work_id, entered, peak, peak_date, weeks, weeks_bound, as_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, chart, work, r.Entered.String(), r.Peak, r.PeakDate.String(), weeks, bound, r.AsOf.String()); err != nil {
			return err
		}
		if err := l.links(id, link{work, "work"}, link{chart, "chart"}); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) milestones(ds *domain.Dataset) error {
	for i := range ds.Milestones {
		m := &ds.Milestones[i]
		platform, err := l.ref(m.Platform, domain.KindPlatform)
		if err != nil {
			return err
		}
		work, err := l.work(m.WorkRef)
		if err != nil {
			return err
		}
		id, err := l.fact(domain.KindMilestone, fmt.Sprintf("%d/%d/%s/%d", work, platform, m.Metric, m.Threshold), &m.FactDoc)
		if err != nil {
			return err
		}
		if err := l.exec(`INSERT OR REPLACE INTO milestones (id, work_id, platform_id, metric, threshold, reached) VALUES (?, ?, ?, ?, ?, ?)`,
			id, work, platform, m.Metric, m.Threshold, m.Reached.String()); err != nil {
			return err
		}
		if err := l.links(id, link{work, "work"}, link{platform, "platform"}); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) records(ds *domain.Dataset) error {
	for i := range ds.Records {
		r := &ds.Records[i]
		subjects := make([]int64, len(r.Subjects))
		for j, ref := range r.Subjects {
			kind, slug, err := domain.ParseThingRef(ref)
			if err != nil {
				return err
			}
			if subjects[j], err = l.ref(slug, kind); err != nil {
				return err
			}
		}
		id, err := l.fact(domain.KindRecord, r.Claim+"/"+joinIDs(subjects), &r.FactDoc)
		if err != nil {
			return err
		}
		var platform sql.NullInt64
		var metric string
		var threshold int64
		var rank int
		if rk := r.Ranking; rk != nil {
			if platform.Int64, err = l.ref(rk.Platform, domain.KindPlatform); err != nil {
				return err
			}
			platform.Valid, metric, threshold, rank = true, rk.Metric, rk.Threshold, rk.Rank
		}
		if err := l.exec(`INSERT OR REPLACE INTO records (id, claim, date, ranking_platform_id, ranking_metric, ranking_threshold, ranking_rank) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, r.Claim, r.Date.String(), platform, metric, threshold, rank); err != nil {
			return err
		}
		if err := l.exec(`DELETE FROM record_subjects WHERE record_id = ?`, id); err != nil {
			return err
		}
		for j, s := range subjects {
			if err := l.exec(`INSERT OR IGNORE INTO record_subjects (record_id, subject_id, position) VALUES (?, ?, ?)`, id, s, j+1); err != nil {
				return err
			}
		}
		if err := l.links(id, thingLinks("subject", subjects)...); err != nil {
			return err
		}
	}
	return nil
}

func parseStoredDate(text string) domain.Date {
	if text == "" {
		return domain.Date{}
	}
	d, err := domain.ParseDate(text)
	if err != nil {
		return domain.Date{}
	}
	return d
}
