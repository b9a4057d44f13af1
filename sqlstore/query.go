package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/artistgraph/artistgraph/domain"
)

// dateCol scans a stored date into a domain.Date.
type dateCol struct{ d *domain.Date }

func (c dateCol) Scan(v any) error {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case []byte:
		s = string(x)
	case nil:
	default:
		return fmt.Errorf("date column holds %T", v)
	}
	*c.d = parseStoredDate(s)
	return nil
}

// jsonCol scans a JSON text column into a Go value.
type jsonCol struct{ v any }

func (c jsonCol) Scan(v any) error {
	switch x := v.(type) {
	case string:
		return json.Unmarshal([]byte(x), c.v)
	case []byte:
		return json.Unmarshal(x, c.v)
	}
	return nil
}

// spec tells the generic readers how to read one kind of node: its detail
// table (aliased d, joined to nodes n), the detail columns, and where each
// column lands.
type spec[T domain.Node] struct {
	kind  domain.Kind
	table string
	cols  string
	row   func() (T, []any)
	fill  func(ctx context.Context, db *DB, items []T) error
}

func thingDest(t *domain.Thing) []any {
	return []any{&t.ID, &t.Kind, &t.Revision, &t.Slug, &t.Name, &t.Description, &t.Note, &t.LocalNames, &t.IDs}
}

func factDest(f *domain.Fact) []any { return []any{&f.ID, &f.Kind, &f.Revision, &f.Note, &f.Support} }

func (s spec[T]) selectSQL() string {
	base := "n.id, n.kind, n.revision, n.note, n.support"
	if s.kind.IsThing() {
		base = "n.id, n.kind, n.revision, n.slug, n.name, n.description, n.note, n.local_names, n.identifiers"
	}
	return "SELECT " + base + ", " + s.cols + " FROM nodes n JOIN " + s.table + " d ON d.id = n.id "
}

// query reads the nodes that tail ("WHERE ... ORDER BY ...") selects.
func query[T domain.Node](ctx context.Context, db *DB, s spec[T], tail string, args ...any) ([]T, error) {
	rows, err := db.read.QueryContext(ctx, s.selectSQL()+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", s.kind, err)
	}
	defer rows.Close()
	var items []T
	for rows.Next() {
		item, dest := s.row()
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("read %s: %w", s.kind, err)
		}
		items = append(items, item)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if s.fill != nil && len(items) > 0 {
		if err := s.fill(ctx, db, items); err != nil {
			return nil, err
		}
	}
	return items, nil
}

// byIDs reads nodes by ID, in the order asked; a missing ID gives a zero T.
func byIDs[T domain.Node](ctx context.Context, db *DB, s spec[T], ids []int64) ([]T, error) {
	out := make([]T, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	items, err := query(ctx, db, s, "WHERE n.id "+inList, idList(ids))
	if err != nil {
		return nil, err
	}
	found := make(map[int64]T, len(items))
	for _, it := range items {
		found[it.NodeID()] = it
	}
	for i, id := range ids {
		out[i] = found[id]
	}
	return out, nil
}

// childIDs reads ordered ID lists attached to owners, such as the recipients
// of award results; children in the same position (the records of a
// subject, each listing it first) follow by ID.
func (db *DB) childIDs(ctx context.Context, table, owner, child string, owners []int64) (map[int64][]int64, error) {
	rows, err := db.read.QueryContext(ctx, fmt.Sprintf(`SELECT %s, %s FROM %s WHERE %s %s ORDER BY %s, position, %s`,
		owner, child, table, owner, inList, owner, child), idList(owners))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]int64{}
	for rows.Next() {
		var o, c int64
		if err := rows.Scan(&o, &c); err != nil {
			return nil, err
		}
		out[o] = append(out[o], c)
	}
	return out, rows.Err()
}

var (
	artistSpec = spec[*domain.Artist]{
		kind: domain.KindArtist, table: "artists", cols: "d.birth_date, d.death_date, d.birth_place, d.country, d.occupations, d.education",
		row: func() (*domain.Artist, []any) {
			a := &domain.Artist{}
			return a, append(thingDest(&a.Thing), dateCol{&a.BirthDate}, dateCol{&a.DeathDate}, &a.BirthPlace, &a.Country, jsonCol{&a.Occupations}, jsonCol{&a.Education})
		},
	}
	groupSpec = spec[*domain.Group]{
		kind: domain.KindGroup, table: "groups_",
		cols: "d.formed, d.debuted, d.disbanded, d.country, coalesce(d.formed_on, 0), coalesce((SELECT e.slug FROM nodes e WHERE e.id = d.formed_on), ''), d.hiatuses",
		row: func() (*domain.Group, []any) {
			g := &domain.Group{}
			return g, append(thingDest(&g.Thing), dateCol{&g.Formed}, dateCol{&g.Debuted}, dateCol{&g.Disbanded}, &g.Country, &g.FormedOnID, &g.FormedOn, jsonCol{&g.Hiatuses})
		},
	}
	songSpec = spec[*domain.Song]{
		kind: domain.KindSong, table: "songs", cols: "d.released, d.duration_seconds",
		row: func() (*domain.Song, []any) {
			s := &domain.Song{}
			return s, append(thingDest(&s.Thing), dateCol{&s.Released}, &s.DurationSeconds)
		},
	}
	albumSpec = spec[*domain.Album]{
		kind: domain.KindAlbum, table: "albums", cols: "d.album_kind, d.released",
		row: func() (*domain.Album, []any) {
			a := &domain.Album{}
			return a, append(thingDest(&a.Thing), &a.AlbumKind, dateCol{&a.Released})
		},
	}
	awardSpec = spec[*domain.Award]{
		kind: domain.KindAward, table: "awards", cols: "d.presenter, d.country",
		row: func() (*domain.Award, []any) {
			a := &domain.Award{}
			return a, append(thingDest(&a.Thing), &a.Presenter, &a.Country)
		},
	}
	eventSpec = spec[*domain.Event]{
		kind: domain.KindEvent, table: "events", cols: "d.event_kind, d.edition, d.start_date, d.end_date, d.venue, d.city, d.country, d.organiser, d.broadcaster",
		row: func() (*domain.Event, []any) {
			e := &domain.Event{}
			return e, append(thingDest(&e.Thing), &e.EventKind, &e.Edition, dateCol{&e.Start}, dateCol{&e.End}, &e.Venue, &e.City, &e.Country, &e.Organiser, &e.Broadcaster)
		},
	}
	chartSpec = spec[*domain.Chart]{
		kind: domain.KindChart, table: "charts", cols: "d.publisher, d.region, d.measures",
		row: func() (*domain.Chart, []any) {
			c := &domain.Chart{}
			return c, append(thingDest(&c.Thing), &c.Publisher, &c.Region, &c.Measures)
		},
	}
	platformSpec = spec[*domain.Platform]{
		kind: domain.KindPlatform, table: "platforms", cols: "d.platform_kind, d.owner",
		row: func() (*domain.Platform, []any) {
			p := &domain.Platform{}
			return p, append(thingDest(&p.Thing), &p.PlatformKind, &p.Owner)
		},
	}
	sourceSpec = spec[*domain.Source]{
		kind: domain.KindSource, table: "sources", cols: "d.publisher, d.author, d.published, d.url",
		row: func() (*domain.Source, []any) {
			s := &domain.Source{}
			return s, append(thingDest(&s.Thing), &s.Publisher, &s.Author, dateCol{&s.Published}, &s.URL)
		},
	}
	membershipSpec = spec[*domain.Membership]{
		kind: domain.KindMembership, table: "memberships", cols: "d.artist_id, d.group_id, d.roles, d.start_date, d.end_date",
		row: func() (*domain.Membership, []any) {
			m := &domain.Membership{}
			return m, append(factDest(&m.Fact), &m.ArtistID, &m.GroupID, jsonCol{&m.Roles}, dateCol{&m.Start}, dateCol{&m.End})
		},
	}
	creditSpec = spec[*domain.Credit]{
		kind: domain.KindCredit, table: "credits", cols: "d.work_id, d.act_id, d.role, d.position, d.join_phrase, d.credited_as",
		row: func() (*domain.Credit, []any) {
			c := &domain.Credit{}
			return c, append(factDest(&c.Fact), &c.WorkID, &c.ActID, &c.Role, &c.Position, &c.JoinPhrase, &c.CreditedAs)
		},
	}
	trackSpec = spec[*domain.Track]{
		kind: domain.KindTrack, table: "tracks", cols: "d.album_id, d.song_id, d.disc, d.position, d.relations",
		row: func() (*domain.Track, []any) {
			t := &domain.Track{}
			return t, append(factDest(&t.Fact), &t.AlbumID, &t.SongID, &t.Disc, &t.Position, jsonCol{&t.Relations})
		},
	}
	awardResultSpec = spec[*domain.AwardResult]{
		kind: domain.KindAwardResult, table: "award_results", cols: "d.award_id, d.date, d.category, d.result, coalesce(d.work_id, 0), coalesce(d.ceremony_id, 0)",
		row: func() (*domain.AwardResult, []any) {
			r := &domain.AwardResult{}
			return r, append(factDest(&r.Fact), &r.AwardID, dateCol{&r.Date}, &r.Category, &r.Result, &r.WorkID, &r.CeremonyID)
		},
		fill: func(ctx context.Context, db *DB, items []*domain.AwardResult) error {
			ids := make([]int64, len(items))
			for i, r := range items {
				ids[i] = r.ID
			}
			acts, err := db.childIDs(ctx, "award_recipients", "result_id", "act_id", ids)
			for _, r := range items {
				r.RecipientIDs = acts[r.ID]
			}
			return err
		},
	}
	performanceSpec = spec[*domain.Performance]{
		kind: domain.KindPerformance, table: "performances", cols: "d.event_id, d.date",
		row: func() (*domain.Performance, []any) {
			p := &domain.Performance{}
			return p, append(factDest(&p.Fact), &p.EventID, dateCol{&p.Date})
		},
		fill: fillPerformances,
	}
	chartRunSpec = spec[*domain.ChartRun]{
		kind: domain.KindChartRun, table: "chart_runs", cols: "d.chart_id, d.work_id, d.entered, d.peak, d.peak_date, d.weeks, d.weeks_bound, d.weeks_at_peak, d.weeks_at_peak_bound, d.as_of",
		row: func() (*domain.ChartRun, []any) {
			r := &domain.ChartRun{}
			return r, append(factDest(&r.Fact), &r.ChartID, &r.WorkID, dateCol{&r.Entered}, &r.Peak, dateCol{&r.PeakDate},
				quantityCol{&r.Weeks}, boundCol{&r.Weeks}, quantityCol{&r.WeeksAtPeak}, boundCol{&r.WeeksAtPeak}, dateCol{&r.AsOf})
		},
	}
	milestoneSpec = spec[*domain.Milestone]{
		kind: domain.KindMilestone, table: "milestones", cols: "d.work_id, d.platform_id, d.metric, d.threshold, d.reached",
		row: func() (*domain.Milestone, []any) {
			m := &domain.Milestone{}
			return m, append(factDest(&m.Fact), &m.WorkID, &m.PlatformID, &m.Metric, &m.Threshold, dateCol{&m.Reached})
		},
	}
	recordSpec = spec[*domain.Record]{
		kind: domain.KindRecord, table: "records", cols: "d.claim, d.date, coalesce(d.ranking_platform_id, 0), d.ranking_metric, d.ranking_threshold, d.ranking_rank",
		row: func() (*domain.Record, []any) {
			r := &domain.Record{Ranking: &domain.Ranking{}}
			return r, append(factDest(&r.Fact), &r.Claim, dateCol{&r.Date}, &r.Ranking.PlatformID, &r.Ranking.Metric, &r.Ranking.Threshold, &r.Ranking.Rank)
		},
		fill: func(ctx context.Context, db *DB, items []*domain.Record) error {
			ids := make([]int64, len(items))
			for i, r := range items {
				ids[i] = r.ID
				if r.Ranking.PlatformID == 0 {
					r.Ranking = nil
				}
			}
			subjects, err := db.childIDs(ctx, "record_subjects", "record_id", "subject_id", ids)
			for _, r := range items {
				r.SubjectIDs = subjects[r.ID]
			}
			return err
		},
	}
)

// weeksCol and boundCol scan a chart run's optional week count.
// quantityCol reads a count kept as a nullable number and its bound, in
// two columns: NULL is not known.
type quantityCol struct{ q **domain.Quantity }

func (c quantityCol) Scan(v any) error {
	if n, ok := v.(int64); ok {
		*c.q = &domain.Quantity{Value: n, Bound: "exact"}
	}
	return nil
}

type boundCol struct{ q **domain.Quantity }

func (c boundCol) Scan(v any) error {
	s, _ := v.(string)
	if *c.q != nil && s != "" {
		(*c.q).Bound = s
	}
	return nil
}

func fillPerformances(ctx context.Context, db *DB, items []*domain.Performance) error {
	ids := make([]int64, len(items))
	byID := map[int64]*domain.Performance{}
	for i, p := range items {
		ids[i] = p.ID
		byID[p.ID] = p
	}
	acts, err := db.childIDs(ctx, "performers", "performance_id", "act_id", ids)
	if err != nil {
		return err
	}
	for _, p := range items {
		p.PerformerIDs = acts[p.ID]
	}
	rows, err := db.read.QueryContext(ctx, `SELECT performance_id, song_id, note FROM set_list WHERE performance_id `+inList+` ORDER BY performance_id, position`, idList(ids))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var owner int64
		var e domain.SetListEntry
		if err := rows.Scan(&owner, &e.SongID, &e.Note); err != nil {
			return err
		}
		byID[owner].SetList = append(byID[owner].SetList, e)
	}
	return rows.Err()
}

// Artists reads artists by ID, in order; a missing one is nil.
func (db *DB) Artists(ctx context.Context, ids []int64) ([]*domain.Artist, error) {
	return byIDs(ctx, db, artistSpec, ids)
}

// Groups reads groups by ID.
func (db *DB) Groups(ctx context.Context, ids []int64) ([]*domain.Group, error) {
	return byIDs(ctx, db, groupSpec, ids)
}

// Songs reads songs by ID.
func (db *DB) Songs(ctx context.Context, ids []int64) ([]*domain.Song, error) {
	return byIDs(ctx, db, songSpec, ids)
}

// Albums reads albums by ID.
func (db *DB) Albums(ctx context.Context, ids []int64) ([]*domain.Album, error) {
	return byIDs(ctx, db, albumSpec, ids)
}

// Awards reads awards by ID.
func (db *DB) Awards(ctx context.Context, ids []int64) ([]*domain.Award, error) {
	return byIDs(ctx, db, awardSpec, ids)
}

// Events reads events by ID.
func (db *DB) Events(ctx context.Context, ids []int64) ([]*domain.Event, error) {
	return byIDs(ctx, db, eventSpec, ids)
}

// Charts reads charts by ID.
func (db *DB) Charts(ctx context.Context, ids []int64) ([]*domain.Chart, error) {
	return byIDs(ctx, db, chartSpec, ids)
}

// Platforms reads platforms by ID.
func (db *DB) Platforms(ctx context.Context, ids []int64) ([]*domain.Platform, error) {
	return byIDs(ctx, db, platformSpec, ids)
}

// Sources reads sources by ID.
func (db *DB) Sources(ctx context.Context, ids []int64) ([]*domain.Source, error) {
	return byIDs(ctx, db, sourceSpec, ids)
}

// Memberships reads memberships by ID.
func (db *DB) Memberships(ctx context.Context, ids []int64) ([]*domain.Membership, error) {
	return byIDs(ctx, db, membershipSpec, ids)
}

// Credits reads credits by ID.
func (db *DB) Credits(ctx context.Context, ids []int64) ([]*domain.Credit, error) {
	return byIDs(ctx, db, creditSpec, ids)
}

// Tracks reads tracks by ID.
func (db *DB) Tracks(ctx context.Context, ids []int64) ([]*domain.Track, error) {
	return byIDs(ctx, db, trackSpec, ids)
}

// AwardResults reads award results by ID.
func (db *DB) AwardResults(ctx context.Context, ids []int64) ([]*domain.AwardResult, error) {
	return byIDs(ctx, db, awardResultSpec, ids)
}

// Performances reads performances by ID.
func (db *DB) Performances(ctx context.Context, ids []int64) ([]*domain.Performance, error) {
	return byIDs(ctx, db, performanceSpec, ids)
}

// ChartRuns reads chart runs by ID.
func (db *DB) ChartRuns(ctx context.Context, ids []int64) ([]*domain.ChartRun, error) {
	return byIDs(ctx, db, chartRunSpec, ids)
}

// Milestones reads milestones by ID.
func (db *DB) Milestones(ctx context.Context, ids []int64) ([]*domain.Milestone, error) {
	return byIDs(ctx, db, milestoneSpec, ids)
}

// Records reads records by ID.
func (db *DB) Records(ctx context.Context, ids []int64) ([]*domain.Record, error) {
	return byIDs(ctx, db, recordSpec, ids)
}

// Nodes reads nodes of any kind by ID, in order; a missing one is nil. Each
// is a pointer to its domain type (*domain.Artist, *domain.Credit, ...).
func (db *DB) Nodes(ctx context.Context, ids []int64) ([]domain.Node, error) {
	out := make([]domain.Node, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id, kind FROM nodes WHERE id `+inList, idList(ids))
	if err != nil {
		return nil, err
	}
	byKind := map[domain.Kind][]int64{}
	for rows.Next() {
		var id int64
		var kind domain.Kind
		if err := rows.Scan(&id, &kind); err != nil {
			rows.Close()
			return nil, err
		}
		byKind[kind] = append(byKind[kind], id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	found := map[int64]domain.Node{}
	for kind, kindIDs := range byKind {
		items, err := db.nodesOfKind(ctx, kind, kindIDs)
		if err != nil {
			return nil, err
		}
		for i, it := range items {
			found[kindIDs[i]] = it
		}
	}
	for i, id := range ids {
		out[i] = found[id]
	}
	return out, nil
}

// nodeSlice turns a read of one kind into nodes, a missing one nil (not a
// nil pointer of the kind's type).
func nodeSlice[T domain.Node](items []T, err error) ([]domain.Node, error) {
	out := make([]domain.Node, len(items))
	for i, it := range items {
		if !reflect.ValueOf(it).IsNil() {
			out[i] = it
		}
	}
	return out, err
}

// NodesOfKind reads nodes of one kind by ID, in order; a missing one, or
// one of another kind, is nil.
func (db *DB) NodesOfKind(ctx context.Context, kind domain.Kind, ids []int64) ([]domain.Node, error) {
	return db.nodesOfKind(ctx, kind, ids)
}

func (db *DB) nodesOfKind(ctx context.Context, kind domain.Kind, ids []int64) ([]domain.Node, error) {
	k, err := storageOf(kind)
	if err != nil {
		return nil, err
	}
	return k.read(ctx, db, ids)
}

// ThingBySlug reads the thing of a kind with a slug, in one statement; nil
// when there is none.
func (db *DB) ThingBySlug(ctx context.Context, kind domain.Kind, slug string) (domain.Node, error) {
	k, err := storageOf(kind)
	if err != nil {
		return nil, err
	}
	if k.bySlug == nil {
		return nil, domain.Errorf(domain.EINVALID, "a %s has no slug", strings.ToLower(string(kind)))
	}
	return k.bySlug(ctx, db, slug)
}

// Node reads one node of the given kind, or reports ENOTFOUND.
func (db *DB) Node(ctx context.Context, kind domain.Kind, id int64) (domain.Node, error) {
	var stored domain.Kind
	err := db.read.QueryRowContext(ctx, `SELECT kind FROM nodes WHERE id = ?`, id).Scan(&stored)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && stored != kind) {
		return nil, domain.Errorf(domain.ENOTFOUND, "no %s has that ID", strings.ToLower(string(kind)))
	}
	if err != nil {
		return nil, err
	}
	items, err := db.nodesOfKind(ctx, kind, []int64{id})
	if err != nil {
		return nil, err
	}
	return items[0], nil
}

// IDBySlug finds a thing's ID, or reports ENOTFOUND.
func (db *DB) IDBySlug(ctx context.Context, kind domain.Kind, slug string) (int64, error) {
	var id int64
	err := db.read.QueryRowContext(ctx, `SELECT id FROM nodes WHERE kind = ? AND slug = ?`, string(kind), slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, domain.Errorf(domain.ENOTFOUND, "no %s has the slug %q", strings.ToLower(string(kind)), slug)
	}
	return id, err
}

// byParent reads the nodes whose parent column holds one of parents, grouped
// by parent, each group in the order tail gives.
func byParent[T domain.Node](ctx context.Context, db *DB, s spec[T], col string, parents []int64, order string, parentOf func(T) int64) (map[int64][]T, error) {
	out := map[int64][]T{}
	if len(parents) == 0 {
		return out, nil
	}
	items, err := query(ctx, db, s, `WHERE `+col+` `+inList+` ORDER BY `+order, idList(parents))
	for _, it := range items {
		out[parentOf(it)] = append(out[parentOf(it)], it)
	}
	return out, err
}

// Names lists the names of things, the primary one first.
func (db *DB) Names(ctx context.Context, nodes []int64) (map[int64][]*domain.Name, error) {
	out := map[int64][]*domain.Name{}
	if len(nodes) == 0 {
		return out, nil
	}
	rows, err := db.read.QueryContext(ctx, `SELECT node_id, value, locale, kind FROM names WHERE node_id `+inList+` ORDER BY node_id, position`, idList(nodes))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		n := &domain.Name{}
		if err := rows.Scan(&id, &n.Value, &n.Locale, &n.Kind); err != nil {
			return nil, err
		}
		out[id] = append(out[id], n)
	}
	return out, rows.Err()
}

// CitedSourceIDs lists the sources each node cites, in the order given.
func (db *DB) CitedSourceIDs(ctx context.Context, nodes []int64) (map[int64][]int64, error) {
	return db.childIDs(ctx, "citations", "node_id", "source_id", nodes)
}

// RecordIDsAbout lists the records that name each thing among their subjects.
func (db *DB) RecordIDsAbout(ctx context.Context, subjects []int64) (map[int64][]int64, error) {
	return db.childIDs(ctx, "record_subjects", "subject_id", "record_id", subjects)
}

// PerformanceIDsOfSongs lists the performances whose set list has each song.
func (db *DB) PerformanceIDsOfSongs(ctx context.Context, songs []int64) (map[int64][]int64, error) {
	return db.childIDs(ctx, "set_list", "song_id", "performance_id", songs)
}

// MembershipsOfArtists lists each artist's memberships by start date.
func (db *DB) MembershipsOfArtists(ctx context.Context, artists []int64) (map[int64][]*domain.Membership, error) {
	return byParent(ctx, db, membershipSpec, "d.artist_id", artists, "d.start_date, n.id", func(m *domain.Membership) int64 { return m.ArtistID })
}

// CreditsOfWorks lists each work's credits in billing order.
func (db *DB) CreditsOfWorks(ctx context.Context, works []int64) (map[int64][]*domain.Credit, error) {
	return byParent(ctx, db, creditSpec, "d.work_id", works, "d.position, n.id", func(c *domain.Credit) int64 { return c.WorkID })
}

// TracksOfAlbums lists each album's track list: by disc and position,
// tracks of unknown position last.
func (db *DB) TracksOfAlbums(ctx context.Context, albums []int64) (map[int64][]*domain.Track, error) {
	return byParent(ctx, db, trackSpec, "d.album_id", albums, "d.disc, d.position = 0, d.position, n.id", func(t *domain.Track) int64 { return t.AlbumID })
}

// TracksOfSongs lists the album tracks of each song.
func (db *DB) TracksOfSongs(ctx context.Context, songs []int64) (map[int64][]*domain.Track, error) {
	return byParent(ctx, db, trackSpec, "d.song_id", songs, "n.id", func(t *domain.Track) int64 { return t.SongID })
}

// AwardResultsOfWorks lists the award results given for each work.
func (db *DB) AwardResultsOfWorks(ctx context.Context, works []int64) (map[int64][]*domain.AwardResult, error) {
	return byParent(ctx, db, awardResultSpec, "d.work_id", works, "d.date, n.id", func(r *domain.AwardResult) int64 { return r.WorkID })
}

// ChartRunsOfWorks lists each work's chart runs.
func (db *DB) ChartRunsOfWorks(ctx context.Context, works []int64) (map[int64][]*domain.ChartRun, error) {
	return byParent(ctx, db, chartRunSpec, "d.work_id", works, "d.entered, n.id", func(r *domain.ChartRun) int64 { return r.WorkID })
}

// MilestonesOfWorks lists each work's milestones in the order reached.
func (db *DB) MilestonesOfWorks(ctx context.Context, works []int64) (map[int64][]*domain.Milestone, error) {
	return byParent(ctx, db, milestoneSpec, "d.work_id", works, "d.reached, d.threshold, n.id", func(m *domain.Milestone) int64 { return m.WorkID })
}

// listQuery is a list of nodes to page through: an SQL body that yields the
// columns id and key, ordered by (key, id).
type listQuery struct {
	body string
	args []any
	desc bool // largest key first
	// order names the ordering, for a list that has several: a cursor
	// carries it, and one made under another ordering is refused.
	order string
}

// bounds turns a page's cursors into conditions on (key, id) for a list in
// the given order: after the After cursor, before the Before one.
func bounds(p domain.PageArgs, order string, desc bool) (string, []any, error) {
	var conds []string
	var args []any
	for _, c := range []struct {
		name, cursor string
		op           string
	}{{"after", p.After, ">"}, {"before", p.Before, "<"}} {
		if c.cursor == "" {
			continue
		}
		k, err := domain.DecodeCursor(c.name, c.cursor, order)
		if err != nil {
			return "", nil, err
		}
		op := c.op
		if desc {
			op = map[string]string{">": "<", "<": ">"}[op]
		}
		conds = append(conds, `(key, id) `+op+` (?, ?)`)
		args = append(args, k.Key, k.ID)
	}
	if len(conds) == 0 {
		return "", nil, nil
	}
	return ` WHERE ` + strings.Join(conds, ` AND `), args, nil
}

// direction is the ORDER BY of a page: the list's order, or its reverse
// when the page is counted from the end.
func direction(desc, fromEnd bool) string {
	if desc != fromEnd {
		return "key DESC, id DESC"
	}
	return "key, id"
}

// page reads one page of a list with keyset pagination: the cursors hold
// the (key, id) of the rows at the page's edges, so pages stay correct while
// rows are added. A page counted from the end (last) reads the list
// backwards and turns the rows round.
func (db *DB) page(ctx context.Context, q listQuery, p domain.PageArgs) (domain.Page, error) {
	size, fromEnd, err := p.Size()
	if err != nil {
		return domain.Page{}, err
	}
	var out domain.Page
	where, args, err := bounds(p, q.order, q.desc)
	if err != nil {
		return out, err
	}
	if p.WithTotal {
		if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM (`+q.body+`) AS list`, q.args...).Scan(&out.Total); err != nil {
			return out, err
		}
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id, key FROM (`+q.body+`) AS list`+where+` ORDER BY `+direction(q.desc, fromEnd)+` LIMIT ?`,
		append(append(append([]any{}, q.args...), args...), size+1)...)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	more := false
	for rows.Next() {
		var id int64
		var key any
		if err := rows.Scan(&id, &key); err != nil {
			return out, err
		}
		if len(out.IDs) == size {
			more = true
			break
		}
		out.IDs = append(out.IDs, id)
		out.Cursors = append(out.Cursors, domain.EncodeCursor(key, id, q.order))
	}
	out.Finish(p, fromEnd, more)
	return out, rows.Err()
}

// thingFilters declares, for each kind whose list takes filters, its table
// and the columns the filters read ("" where the kind has none); each has
// an index (migration 0008).
var thingFilters = map[domain.Kind]struct{ table, date, country, kind string }{
	domain.KindArtist: {"artists", "birth_date", "country", ""},
	domain.KindGroup:  {"groups_", "formed", "country", ""},
	domain.KindAlbum:  {"albums", "released", "", "album_kind"},
	domain.KindEvent:  {"events", "start_date", "country", "event_kind"},
}

// ListThings pages through the things of a kind in name order, filtered.
func (db *DB) ListThings(ctx context.Context, kind domain.Kind, f domain.ThingFilter, p domain.PageArgs) (domain.Page, error) {
	if f == (domain.ThingFilter{}) {
		return db.page(ctx, listQuery{body: `SELECT id, lower(name) AS key FROM nodes WHERE kind = ? AND slug IS NOT NULL`, args: []any{string(kind)}}, p)
	}
	cols, ok := thingFilters[kind]
	body := `SELECT n.id AS id, lower(n.name) AS key FROM nodes n JOIN ` + cols.table + ` d ON d.id = n.id WHERE n.kind = ? AND n.slug IS NOT NULL`
	args := []any{string(kind)}
	for _, c := range []struct{ col, value, name string }{{cols.country, f.Country, "country"}, {cols.kind, f.Kind, "kind"}} {
		if c.value == "" {
			continue
		}
		if !ok || c.col == "" {
			return domain.Page{}, domain.Errorf(domain.EINVALID, "a list of %s cannot be filtered by %s", strings.ToLower(string(kind)), c.name)
		}
		body += ` AND d.` + c.col + ` = ?`
		args = append(args, c.value)
	}
	if !f.From.IsZero() || !f.To.IsZero() {
		if !ok {
			return domain.Page{}, domain.Errorf(domain.EINVALID, "a list of %s cannot be filtered by date", strings.ToLower(string(kind)))
		}
		where, dateArgs := dateRangeSQL("d."+cols.date, f.From, f.To)
		body += where
		args = append(args, dateArgs...)
	}
	return db.page(ctx, listQuery{body: body, args: args}, p)
}

// dateRangeSQL keeps rows whose partial date column may fall within [from,
// to], as overlapSQL does, with bounds on the column itself that let an
// index on it narrow the rows first: a partial date sorts before every full
// date it stands for ("1990" < "1990-06-01"), so the column is at least the
// year of from and at most the last day of to.
func dateRangeSQL(col string, from, to domain.Date) (string, []any) {
	var where string
	var args []any
	if !from.IsZero() {
		where += ` AND ` + col + ` >= ?`
		args = append(args, from.Earliest().Format("2006"))
	}
	if !to.IsZero() {
		where += ` AND ` + col + ` <= ?`
		args = append(args, to.Latest().Format("2006-01-02"))
	}
	exact, exactArgs := overlapSQL(col, from, to)
	return where + exact, append(args, exactArgs...)
}

// childList is a list to page through for many parents at once. columns
// yields parent, id and key from tables, filtered by where (which may hold
// parameters, args); parent and id name the columns that hold them.
type childList struct {
	columns string
	tables  string
	where   string
	parent  string
	id      string
	args    []any
	desc    bool
}

// pageMany reads one page of a list for each parent in one statement of
// fixed text: for each parent (a list parameter), a subquery reads the page
// by a range of the parent's index and stops, so a parent with a million
// children costs the page, not the million (a window function over the
// parents' children would read them all); each engine writes the statement
// its way (engine.pagePerParent). Totals, when asked, are one more
// statement.
func (db *DB) pageMany(ctx context.Context, q childList, parents []int64, p domain.PageArgs) (map[int64]domain.Page, error) {
	size, fromEnd, err := p.Size()
	if err != nil {
		return nil, err
	}
	cond, cursors, err := bounds(p, "", q.desc)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]domain.Page, len(parents))
	if len(parents) == 0 {
		return out, nil
	}
	query, args := db.eng.pagePerParent(q, cond, direction(q.desc, fromEnd), idList(parents), cursors, size+1)
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	more := map[int64]bool{}
	for rows.Next() {
		var parent, id int64
		var key any
		if err := rows.Scan(&parent, &id, &key); err != nil {
			return nil, err
		}
		pg := out[parent]
		if len(pg.IDs) == size {
			more[parent] = true
			continue
		}
		pg.IDs = append(pg.IDs, id)
		pg.Cursors = append(pg.Cursors, domain.EncodeCursor(key, id, ""))
		out[parent] = pg
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, parent := range parents {
		pg := out[parent]
		pg.Finish(p, fromEnd, more[parent])
		out[parent] = pg
	}
	if p.WithTotal {
		if err := db.countPages(ctx, q, parents, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (db *DB) countPages(ctx context.Context, q childList, parents []int64, out map[int64]domain.Page) error {
	rows, err := db.read.QueryContext(ctx, `SELECT parent, count(*) FROM (SELECT `+q.columns+` FROM `+q.tables+` WHERE `+q.where+` AND `+q.parent+` `+inList+`) AS page_rows GROUP BY parent`,
		append(append([]any{}, q.args...), idList(parents))...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var parent int64
		var n int
		if err := rows.Scan(&parent, &n); err != nil {
			return err
		}
		pg := out[parent]
		pg.Total = n
		out[parent] = pg
	}
	return rows.Err()
}

// CreditsOfActs pages through each act's credits by the work's release
// date, only those in the given role when role is not empty.
func (db *DB) CreditsOfActs(ctx context.Context, acts []int64, role string, p domain.PageArgs) (map[int64]domain.Page, error) {
	return db.pageMany(ctx, childList{
		columns: `c.act_id AS parent, c.id AS id, c.released AS key`,
		tables:  `credits c`, where: `(? = '' OR c.role = ?)`,
		parent: `c.act_id`, id: `c.id`, args: []any{role, role},
	}, acts, p)
}

// MembershipsOfGroups pages through each group's memberships by start date.
func (db *DB) MembershipsOfGroups(ctx context.Context, groups []int64, p domain.PageArgs) (map[int64]domain.Page, error) {
	return db.pageMany(ctx, childList{columns: `m.group_id AS parent, m.id AS id, m.start_date AS key`, tables: `memberships m`, where: `TRUE`, parent: `m.group_id`, id: `m.id`}, groups, p)
}

func awardResultSQL(f domain.AwardResultFilter) (string, []any) {
	year := yearText(f.Year)
	return ` AND (? = '' OR r.result = ?) AND (? = '' OR substr(r.date, 1, 4) = ?)`, []any{f.Result, f.Result, year, year}
}

// yearText is a year as the first four characters of a stored date, ""
// for 0 (any year).
func yearText(year int) string {
	if year == 0 {
		return ""
	}
	return fmt.Sprintf("%04d", year)
}

// AwardResultsOfActs pages through the award results each act received, by date.
func (db *DB) AwardResultsOfActs(ctx context.Context, acts []int64, f domain.AwardResultFilter, p domain.PageArgs) (map[int64]domain.Page, error) {
	where, args := awardResultSQL(f)
	return db.pageMany(ctx, childList{
		columns: `ar.act_id AS parent, r.id AS id, r.date AS key`,
		tables:  `award_results r JOIN award_recipients ar ON ar.result_id = r.id`, where: `TRUE` + where,
		parent: `ar.act_id`, id: `r.id`, args: args,
	}, acts, p)
}

// AwardResultsOfAwards pages through each award's results by date.
func (db *DB) AwardResultsOfAwards(ctx context.Context, awards []int64, f domain.AwardResultFilter, p domain.PageArgs) (map[int64]domain.Page, error) {
	where, args := awardResultSQL(f)
	return db.pageMany(ctx, childList{columns: `r.award_id AS parent, r.id AS id, r.date AS key`, tables: `award_results r`, where: `TRUE` + where, parent: `r.award_id`, id: `r.id`, args: args}, awards, p)
}

func performanceSQL(f domain.PerformanceFilter) (string, []any) {
	where, args := overlapSQL("p.date", f.From, f.To)
	return ` AND (? = '' OR e.event_kind = ?)` + where, append([]any{f.EventKind, f.EventKind}, args...)
}

// overlapSQL keeps rows whose partial date column may fall within [from, to],
// comparing the first and last day each date can stand for.
func overlapSQL(col string, from, to domain.Date) (string, []any) {
	var where string
	var args []any
	if !from.IsZero() {
		where += ` AND ` + col + ` || substr('-12-31', length(` + col + `) - 3) >= ?`
		args = append(args, from.Earliest().Format("2006-01-02"))
	}
	if !to.IsZero() {
		where += ` AND ` + col + ` <> '' AND ` + col + ` || substr('-01-01', length(` + col + `) - 3) <= ?`
		args = append(args, to.Latest().Format("2006-01-02"))
	}
	return where, args
}

// PerformancesOfActs pages through each act's performances by date.
func (db *DB) PerformancesOfActs(ctx context.Context, acts []int64, f domain.PerformanceFilter, p domain.PageArgs) (map[int64]domain.Page, error) {
	where, args := performanceSQL(f)
	return db.pageMany(ctx, childList{
		columns: `pf.act_id AS parent, p.id AS id, p.date AS key`,
		tables:  `performances p JOIN performers pf ON pf.performance_id = p.id JOIN events e ON e.id = p.event_id`, where: `TRUE` + where,
		parent: `pf.act_id`, id: `p.id`, args: args,
	}, acts, p)
}

// PerformancesOfEvents pages through each event's performances by date.
func (db *DB) PerformancesOfEvents(ctx context.Context, events []int64, p domain.PageArgs) (map[int64]domain.Page, error) {
	return db.pageMany(ctx, childList{columns: `p.event_id AS parent, p.id AS id, p.date AS key`, tables: `performances p`, where: `TRUE`, parent: `p.event_id`, id: `p.id`}, events, p)
}

// ListPerformances pages through every performance by date.
func (db *DB) ListPerformances(ctx context.Context, f domain.PerformanceFilter, p domain.PageArgs) (domain.Page, error) {
	where, args := performanceSQL(f)
	return db.page(ctx, listQuery{body: `SELECT p.id AS id, p.date AS key FROM performances p JOIN events e ON e.id = p.event_id WHERE TRUE` + where, args: args}, p)
}

// ListSongs pages through songs, filtered and ordered.
func (db *DB) ListSongs(ctx context.Context, f domain.SongFilter, p domain.PageArgs) (domain.Page, error) {
	// Each ordering reads an index in order and stops at the page: the
	// kind and slug conditions let SQLite read nodes_kind_name for names;
	// the other orderings read songs alone, by songs_released and
	// songs_streams (migration 0007), whose expressions these are.
	body := `SELECT n.id AS id, lower(n.name) AS key FROM nodes n JOIN songs s ON s.id = n.id WHERE n.kind = 'Song' AND n.slug IS NOT NULL`
	switch f.OrderBy {
	case "released":
		body = `SELECT s.id AS id, CASE WHEN s.released = '' THEN '9999' ELSE s.released END AS key FROM songs s WHERE TRUE`
	case "streams":
		body = `SELECT s.id AS id, s.streams AS key FROM songs s WHERE TRUE`
	}
	where, args := overlapSQL("s.released", f.From, f.To)
	if f.ActID != 0 {
		where += ` AND EXISTS (SELECT 1 FROM credits c WHERE c.work_id = s.id AND c.act_id = ? AND (? = '' OR c.role = ?))`
		args = append(args, f.ActID, f.Role, f.Role)
	} else if f.Role != "" {
		where += ` AND EXISTS (SELECT 1 FROM credits c WHERE c.work_id = s.id AND c.role = ?)`
		args = append(args, f.Role)
	}
	order := "by " + cmp.Or(f.OrderBy, "name")
	if f.Desc {
		order += ", descending"
	}
	return db.page(ctx, listQuery{body: body + where, args: args, desc: f.Desc, order: order}, p)
}

// ChartRunsOfCharts pages through each chart's runs by entry date.
func (db *DB) ChartRunsOfCharts(ctx context.Context, charts []int64, p domain.PageArgs) (map[int64]domain.Page, error) {
	return db.pageMany(ctx, childList{columns: `r.chart_id AS parent, r.id AS id, r.entered AS key`, tables: `chart_runs r`, where: `TRUE`, parent: `r.chart_id`, id: `r.id`}, charts, p)
}

// MilestonesOfPlatforms pages through each platform's milestones by date reached.
func (db *DB) MilestonesOfPlatforms(ctx context.Context, platforms []int64, p domain.PageArgs) (map[int64]domain.Page, error) {
	return db.pageMany(ctx, childList{columns: `m.platform_id AS parent, m.id AS id, m.reached AS key`, tables: `milestones m`, where: `TRUE`, parent: `m.platform_id`, id: `m.id`}, platforms, p)
}

// NodesCiting pages through the nodes that cite each source.
func (db *DB) NodesCiting(ctx context.Context, sources []int64, p domain.PageArgs) (map[int64]domain.Page, error) {
	return db.pageMany(ctx, childList{columns: `c.source_id AS parent, c.node_id AS id, c.node_id AS key`, tables: `citations c`, where: `TRUE`, parent: `c.source_id`, id: `c.node_id`}, sources, p)
}

// AllMembershipsOfGroups lists every membership of each group by start date.
func (db *DB) AllMembershipsOfGroups(ctx context.Context, groups []int64) (map[int64][]*domain.Membership, error) {
	return byParent(ctx, db, membershipSpec, "d.group_id", groups, "d.start_date, n.id", func(m *domain.Membership) int64 { return m.GroupID })
}

// FactsLinking reads, for each thing, the facts of one kind that join it
// in one role (a label's signings: KindSigning, "label"), by fact ID: one
// relation read for any kind of fact, through the links every fact keeps.
func (db *DB) FactsLinking(ctx context.Context, kind domain.Kind, role string, things []int64) (map[int64][]domain.Node, error) {
	out := map[int64][]domain.Node{}
	if len(things) == 0 {
		return out, nil
	}
	rows, err := db.read.QueryContext(ctx, `SELECT l.thing_id, l.fact_id FROM fact_links l JOIN nodes n ON n.id = l.fact_id
		WHERE l.thing_id `+inList+` AND l.role = ? AND n.kind = ? ORDER BY l.thing_id, l.fact_id`, idList(things), role, string(kind))
	if err != nil {
		return nil, err
	}
	var owners, facts []int64
	for rows.Next() {
		var owner, fact int64
		if err := rows.Scan(&owner, &fact); err != nil {
			rows.Close()
			return nil, err
		}
		owners, facts = append(owners, owner), append(facts, fact)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	nodes, err := db.nodesOfKind(ctx, kind, facts)
	if err != nil {
		return nil, err
	}
	for i, n := range nodes {
		if n != nil {
			out[owners[i]] = append(out[owners[i]], n)
		}
	}
	return out, nil
}
