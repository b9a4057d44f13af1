package sqlstore

import (
	"context"
	"strings"

	"github.com/artistgraph/artistgraph/domain"
)

// kindStorage is how the store keeps one kind of node (see domain's
// registry of kinds): kindStorages declares it for every kind, and the
// writer, the readers, the export and drafts find a kind's code through it
// instead of switching on kinds. TestEveryKindIsStored walks the registry to
// check that each kind has one, with its table and every part it needs.
// How a stored node reads as a document is the domain's (FactDocOf,
// ThingDocOf); the store only reads.
type kindStorage struct {
	// table is the kind's detail table: one row per node, keyed by id.
	table string
	// keyDate reads a thing's key date by ID (see domain's registry),
	// which facts about it may not precede; "" for a kind without one.
	keyDate string
	// read reads nodes of the kind by ID, in order; nil where there is
	// none.
	read func(ctx context.Context, db *DB, ids []int64) ([]domain.Node, error)
	// bySlug reads the thing of the kind with a slug, in one statement;
	// nil when there is none.
	bySlug func(ctx context.Context, db *DB, slug string) (domain.Node, error)
	// detail is the detail row a thing's document writes: "table
	// (columns)" and the values after the ID.
	detail func(item any) (string, []any)
	// held reads the facts of a held kind that things hold, by holder,
	// each list in the order it was written.
	held func(ctx context.Context, db *DB, holders []int64) (map[int64][]domain.Node, error)
	// facts writes the facts an item of the kind holds (a group's
	// members) or is (a chart run); nil when it has none.
	facts func(l *writer, item any) error
	// links writes what a thing names of other things outside facts (a
	// group's formedOn event): after the facts in a load, since the
	// thing named may come later; nil when it names none.
	links func(l *writer, item any) error
	// export emits every item of a kind that has a fixture section, its
	// held facts inside it.
	export func(x *documents) error
}

// storedThing declares how a kind of thing is stored, with its document D.
type storedThing[T domain.AnyThing, D any] struct {
	spec    spec[T]
	keyDate string         // the SQL of its key date, over its detail table d
	columns string         // the detail columns its document writes
	values  func(*D) []any // and their values
	facts   func(l *writer, d *D) error
	links   func(l *writer, d *D) error
}

func (k storedThing[T, D]) storage() kindStorage {
	s := k.spec
	head := s.table + " (id, " + k.columns + ")"
	out := kindStorage{
		table: s.table,
		read:  reads(s),
		bySlug: func(ctx context.Context, db *DB, slug string) (domain.Node, error) {
			things, err := query(ctx, db, s, `WHERE n.kind = ? AND n.slug = ?`, string(s.kind), slug)
			if err != nil || len(things) == 0 {
				return nil, err
			}
			return things[0], nil
		},
		detail: func(item any) (string, []any) { return head, k.values(item.(*D)) },
		export: func(x *documents) error { return exportThings(x, s) },
	}
	if k.keyDate != "" {
		out.keyDate = `SELECT ` + k.keyDate + ` FROM ` + s.table + ` d WHERE d.id = ?`
	}
	if k.facts != nil || k.links != nil {
		out.facts = func(l *writer, item any) error {
			if k.facts != nil {
				if err := k.facts(l, item.(*D)); err != nil {
					return err
				}
			}
			if k.links == nil {
				return nil
			}
			return k.links(l, item.(*D))
		}
	}
	if k.links != nil {
		out.links = func(l *writer, item any) error { return k.links(l, item.(*D)) }
	}
	return out
}

// storedFact declares how a kind of fact is stored, with its document D:
// one written inside its holder (holder, the column naming it, and order,
// how a holder's list is read), or one with a section of its own (write,
// and order, the order of the export, which needs no IDs).
type storedFact[T domain.Node, D any] struct {
	spec   spec[T]
	holder string
	order  string
	write  func(l *writer, d *D) error
}

func (k storedFact[T, D]) storage() kindStorage {
	s := k.spec
	out := kindStorage{table: s.table, read: reads(s)}
	if k.holder != "" {
		out.held = func(ctx context.Context, db *DB, holders []int64) (map[int64][]domain.Node, error) {
			found, err := byParent(ctx, db, s, k.holder, holders, k.order, func(f T) int64 { return domain.HolderID(f) })
			out := make(map[int64][]domain.Node, len(found))
			for h, list := range found {
				out[h] = asNodes(list)
			}
			return out, err
		}
	}
	if k.write != nil {
		out.facts = func(l *writer, item any) error { return k.write(l, item.(*D)) }
		out.export = func(x *documents) error { return exportFacts(x, s, k.order) }
	}
	return out
}

func reads[T domain.Node](s spec[T]) func(ctx context.Context, db *DB, ids []int64) ([]domain.Node, error) {
	return func(ctx context.Context, db *DB, ids []int64) ([]domain.Node, error) {
		return nodeSlice(byIDs(ctx, db, s, ids))
	}
}

func asNodes[T domain.Node](items []T) []domain.Node {
	out := make([]domain.Node, len(items))
	for i, it := range items {
		out[i] = it
	}
	return out
}

// kindStorages is set once, by init, and only read after: the code it
// declares (exports) finds other kinds' storage through it, which a
// variable's initializer may not refer to.
var kindStorages map[domain.Kind]kindStorage

func init() { kindStorages = storages() }

func storages() map[domain.Kind]kindStorage {
	return map[domain.Kind]kindStorage{
		domain.KindSource: storedThing[*domain.Source, domain.SourceDoc]{
			spec: sourceSpec, keyDate: `d.published`,
			columns: "publisher, author, published, url",
			values: func(it *domain.SourceDoc) []any {
				return []any{it.Publisher, it.Author, it.Published.String(), it.URL}
			},
		}.storage(),
		domain.KindArtist: storedThing[*domain.Artist, domain.ArtistDoc]{
			spec: artistSpec, keyDate: `d.birth_date`,
			columns: "birth_date, death_date, birth_place, country, occupations, education",
			values: func(it *domain.ArtistDoc) []any {
				return []any{it.BirthDate.String(), it.DeathDate.String(), it.BirthPlace, it.Country, jsonText(it.Occupations), jsonText(it.Education)}
			},
		}.storage(),
		domain.KindGroup: storedThing[*domain.Group, domain.GroupDoc]{
			spec: groupSpec, keyDate: `CASE WHEN d.formed <> '' THEN d.formed ELSE d.debuted END`,
			columns: "formed, debuted, disbanded, country, hiatuses",
			values: func(it *domain.GroupDoc) []any {
				return []any{it.Formed.String(), it.Debuted.String(), it.Disbanded.String(), it.Country, jsonText(it.Hiatuses)}
			},
			facts: (*writer).memberships,
			links: (*writer).formation,
		}.storage(),
		domain.KindSong: storedThing[*domain.Song, domain.SongDoc]{
			spec: songSpec, keyDate: `d.released`,
			columns: "released, duration_seconds",
			values:  func(it *domain.SongDoc) []any { return []any{it.Released.String(), int(it.DurationSeconds)} },
			facts: func(l *writer, s *domain.SongDoc) error {
				released, err := l.released(domain.KindSong, &s.ThingDoc, s.Released)
				if err != nil {
					return err
				}
				return l.credits(l.ids[domain.KindSong][s.Slug], released, s.Credits, s.NamedBy != "")
			},
		}.storage(),
		domain.KindAlbum: storedThing[*domain.Album, domain.AlbumDoc]{
			spec: albumSpec, keyDate: `d.released`,
			columns: "album_kind, released",
			values:  func(it *domain.AlbumDoc) []any { return []any{it.Kind, it.Released.String()} },
			facts: func(l *writer, a *domain.AlbumDoc) error {
				album := l.ids[domain.KindAlbum][a.Slug]
				released, err := l.released(domain.KindAlbum, &a.ThingDoc, a.Released)
				if err != nil {
					return err
				}
				if err := l.credits(album, released, a.Credits, a.NamedBy != ""); err != nil {
					return err
				}
				return l.tracks(album, a.Tracks)
			},
		}.storage(),
		domain.KindAward: storedThing[*domain.Award, domain.AwardDoc]{
			spec:    awardSpec,
			columns: "presenter, country",
			values:  func(it *domain.AwardDoc) []any { return []any{it.Presenter, it.Country} },
			facts: func(l *writer, a *domain.AwardDoc) error {
				return l.awardResults(l.ids[domain.KindAward][a.Slug], a.Results)
			},
		}.storage(),
		domain.KindEvent: storedThing[*domain.Event, domain.EventDoc]{
			spec: eventSpec, keyDate: `d.start_date`,
			columns: "event_kind, edition, start_date, end_date, venue, city, country, organiser, broadcaster",
			values: func(it *domain.EventDoc) []any {
				return []any{it.Kind, int(it.Edition), it.Start.String(), it.End.String(), it.Venue, it.City, it.Country, it.Organiser, it.Broadcaster}
			},
			facts: func(l *writer, e *domain.EventDoc) error {
				return l.performances(l.ids[domain.KindEvent][e.Slug], e)
			},
		}.storage(),
		domain.KindChart: storedThing[*domain.Chart, domain.ChartDoc]{
			spec:    chartSpec,
			columns: "publisher, region, measures",
			values:  func(it *domain.ChartDoc) []any { return []any{it.Publisher, it.Region, it.Measures} },
		}.storage(),
		domain.KindPlatform: storedThing[*domain.Platform, domain.PlatformDoc]{
			spec:    platformSpec,
			columns: "platform_kind, owner",
			values:  func(it *domain.PlatformDoc) []any { return []any{it.Kind, it.Owner} },
		}.storage(),
		domain.KindLabel: labelStorage.storage(),

		domain.KindMembership: storedFact[*domain.Membership, domain.MembershipDoc]{spec: membershipSpec, holder: "d.group_id", order: "d.start_date, n.id"}.storage(),
		domain.KindCredit:     storedFact[*domain.Credit, domain.CreditDoc]{spec: creditSpec, holder: "d.work_id", order: "d.position, n.id"}.storage(),
		domain.KindTrack:      storedFact[*domain.Track, domain.TrackDoc]{spec: trackSpec, holder: "d.album_id", order: "d.disc, d.position = 0, d.position, n.id"}.storage(),
		domain.KindAwardResult: storedFact[*domain.AwardResult, domain.AwardResultDoc]{
			spec: awardResultSpec, holder: "d.award_id", order: "d.date, n.id",
		}.storage(),
		domain.KindPerformance: storedFact[*domain.Performance, domain.PerformanceDoc]{
			spec: performanceSpec, holder: "d.event_id", order: "d.date, n.id",
		}.storage(),
		domain.KindChartRun: storedFact[*domain.ChartRun, domain.ChartRunDoc]{
			spec: chartRunSpec, write: (*writer).chartRun,
			order: `JOIN nodes c ON c.id = d.chart_id JOIN nodes w ON w.id = d.work_id ORDER BY c.slug, w.kind, w.slug, d.entered, n.id`,
		}.storage(),
		domain.KindMilestone: storedFact[*domain.Milestone, domain.MilestoneDoc]{
			spec: milestoneSpec, write: (*writer).milestone,
			order: `JOIN nodes w ON w.id = d.work_id JOIN nodes p ON p.id = d.platform_id ORDER BY w.kind, w.slug, p.slug, d.metric, d.threshold`,
		}.storage(),
		domain.KindRecord: storedFact[*domain.Record, domain.RecordDoc]{
			spec: recordSpec, write: (*writer).record, order: `ORDER BY d.claim, d.date, n.id`,
		}.storage(),
		domain.KindSigning:      signingStorage.storage(),
		domain.KindLabelRelease: labelReleaseStorage.storage(),
	}
}

// storageOf returns how a kind is stored; a kind without one is a
// programming error that TestEveryKindIsStored catches.
func storageOf(kind domain.Kind) (kindStorage, error) {
	k, ok := kindStorages[kind]
	if !ok {
		return kindStorage{}, domain.Errorf(domain.EINTERNAL, "the store does not keep %s nodes", strings.ToLower(string(kind)))
	}
	return k, nil
}
