package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/artistgraph/artistgraph/domain"
)

// kindStorage is how the store keeps one kind of node (see domain's
// registry of kinds): kindStorages declares it for every kind, and the
// writer, the readers, the export and drafts find a kind's code through it
// instead of switching on kinds. TestEveryKindIsStored walks the registry to
// check that each kind has one, with its table and every part it needs.
type kindStorage struct {
	// table is the kind's detail table: one row per node, keyed by id.
	table string
	// keyDate is the SQL, over the detail table d, of a thing's key date
	// (see domain's registry), which facts about it may not precede.
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
	// doc writes a stored thing as its fixture document, without the
	// facts it holds.
	doc func(t domain.AnyThing, base domain.ThingDoc) any
	// facts writes the facts an item of the kind holds (a group's
	// members) or is (a chart run); nil when it has none.
	facts func(l *writer, item any) error
	// export emits every item of a kind that has a fixture section, its
	// held facts inside it.
	export func(x *documents) error
	// draft writes a stored fact as its document, with the holder its
	// draft names ("group": "bts") for a fact written inside a thing.
	draft func(x *documents, n domain.Node, sources map[int64][]string) (doc any, holder map[string]string, err error)
}

// thingKind declares a thing: how it is read, the detail row its document
// writes, and the document a stored one becomes.
func thingKind[T domain.AnyThing, D any](s spec[T], columns string, values func(*D) []any, doc func(T, domain.ThingDoc) *D) kindStorage {
	head := s.table + " (id, " + columns + ")"
	return kindStorage{
		table: s.table,
		read:  reads(s),
		bySlug: func(ctx context.Context, db *DB, slug string) (domain.Node, error) {
			things, err := query(ctx, db, s, `WHERE n.kind = ? AND n.slug = ?`, string(s.kind), slug)
			if err != nil || len(things) == 0 {
				return nil, err
			}
			return things[0], nil
		},
		detail: func(item any) (string, []any) { return head, values(item.(*D)) },
		doc:    func(t domain.AnyThing, base domain.ThingDoc) any { return doc(t.(T), base) },
		export: func(x *documents) error { return exportThings(x, s, thingsOnly) },
	}
}

// holding declares the facts a thing's documents hold: how they are
// written, and exported inside their things.
func holding[T domain.AnyThing, D any](k kindStorage, s spec[T], write func(l *writer, d *D) error, export func(x *documents, things []T, part thingPart) ([]any, error)) kindStorage {
	k.facts = func(l *writer, item any) error { return write(l, item.(*D)) }
	k.export = func(x *documents) error {
		return exportThings(x, s, func(things []T, part thingPart) ([]any, error) { return export(x, things, part) })
	}
	return k
}

// factKind declares a fact: how it is read, and its draft.
func factKind[T domain.Node](s spec[T], draft func(x *documents, n T, sources map[int64][]string) (any, map[string]string, error)) kindStorage {
	return kindStorage{
		table: s.table,
		read:  reads(s),
		draft: func(x *documents, n domain.Node, sources map[int64][]string) (any, map[string]string, error) {
			return draft(x, n.(T), sources)
		},
	}
}

// standalone declares a fact that fixtures list in its own section: how
// it is written, and exported in an order that needs no IDs.
func standalone[T domain.Node, D any](k kindStorage, s spec[T], write func(l *writer, d *D) error, order string, export func(x *documents, n T, sources map[int64][]string) any) kindStorage {
	k.facts = func(l *writer, item any) error { return write(l, item.(*D)) }
	k.export = func(x *documents) error {
		return exportFacts(x, s, order, func(n T, sources map[int64][]string) any { return export(x, n, sources) })
	}
	return k
}

// keyed declares the SQL of a thing's key date.
func keyed(k kindStorage, keyDate string) kindStorage {
	k.keyDate = keyDate
	return k
}

func reads[T domain.Node](s spec[T]) func(ctx context.Context, db *DB, ids []int64) ([]domain.Node, error) {
	return func(ctx context.Context, db *DB, ids []int64) ([]domain.Node, error) {
		return nodeSlice(byIDs(ctx, db, s, ids))
	}
}

// heldBy is the draft of a fact written inside its holder, named by the
// holder's kind.
func heldBy(doc any, holder domain.Kind, slug string) (any, map[string]string, error) {
	return doc, map[string]string{strings.ToLower(string(holder)): slug}, nil
}

// kindStorages is set once, by init, and only read after: the code it
// declares (exports, drafts) finds other kinds' storage through it, which a
// variable's initializer may not refer to.
var kindStorages map[domain.Kind]kindStorage

func init() { kindStorages = storages() }

func storages() map[domain.Kind]kindStorage {
	return map[domain.Kind]kindStorage{
		domain.KindSource: keyed(thingKind(sourceSpec, "publisher, author, published, url",
			func(it *domain.SourceDoc) []any { return []any{it.Publisher, it.Author, it.Published.String(), it.URL} },
			func(t *domain.Source, d domain.ThingDoc) *domain.SourceDoc {
				return &domain.SourceDoc{ThingDoc: d, Publisher: string(t.Publisher), Author: string(t.Author), Published: t.Published, URL: string(t.URL)}
			}), `d.published`),
		domain.KindArtist: keyed(thingKind(artistSpec, "birth_date, birth_place, country, occupations, education",
			func(it *domain.ArtistDoc) []any {
				return []any{it.BirthDate.String(), it.BirthPlace, it.Country, jsonText(it.Occupations), jsonText(it.Education)}
			},
			func(t *domain.Artist, d domain.ThingDoc) *domain.ArtistDoc {
				return &domain.ArtistDoc{ThingDoc: d, BirthDate: t.BirthDate, BirthPlace: string(t.BirthPlace), Country: string(t.Country), Occupations: t.Occupations, Education: t.Education}
			}), `d.birth_date`),
		domain.KindGroup: keyed(holding(thingKind(groupSpec, "formed, debuted, disbanded, country",
			func(it *domain.GroupDoc) []any {
				return []any{it.Formed.String(), it.Debuted.String(), it.Disbanded.String(), it.Country}
			},
			func(t *domain.Group, d domain.ThingDoc) *domain.GroupDoc {
				return &domain.GroupDoc{ThingDoc: d, Formed: t.Formed, Debuted: t.Debuted, Disbanded: t.Disbanded, Country: string(t.Country)}
			}), groupSpec, (*writer).memberships, (*documents).group), `CASE WHEN d.formed <> '' THEN d.formed ELSE d.debuted END`),
		domain.KindSong: keyed(holding(thingKind(songSpec, "released, duration_seconds",
			func(it *domain.SongDoc) []any { return []any{it.Released.String(), int(it.DurationSeconds)} },
			func(t *domain.Song, d domain.ThingDoc) *domain.SongDoc {
				return &domain.SongDoc{ThingDoc: d, Released: t.Released, DurationSeconds: domain.Positive(t.DurationSeconds)}
			}), songSpec, func(l *writer, s *domain.SongDoc) error {
			return l.credits(l.ids[domain.KindSong][s.Slug], s.Released, s.Credits)
		}, (*documents).song), `d.released`),
		domain.KindAlbum: keyed(holding(thingKind(albumSpec, "album_kind, released",
			func(it *domain.AlbumDoc) []any { return []any{it.Kind, it.Released.String()} },
			func(t *domain.Album, d domain.ThingDoc) *domain.AlbumDoc {
				return &domain.AlbumDoc{ThingDoc: d, Kind: t.AlbumKind, Released: t.Released}
			}), albumSpec, func(l *writer, a *domain.AlbumDoc) error {
			album := l.ids[domain.KindAlbum][a.Slug]
			if err := l.credits(album, a.Released, a.Credits); err != nil {
				return err
			}
			return l.tracks(album, a.Tracks)
		}, (*documents).album), `d.released`),
		domain.KindAward: holding(thingKind(awardSpec, "presenter, country",
			func(it *domain.AwardDoc) []any { return []any{it.Presenter, it.Country} },
			func(t *domain.Award, d domain.ThingDoc) *domain.AwardDoc {
				return &domain.AwardDoc{ThingDoc: d, Presenter: string(t.Presenter), Country: string(t.Country)}
			}), awardSpec, func(l *writer, a *domain.AwardDoc) error {
			return l.awardResults(l.ids[domain.KindAward][a.Slug], a.Results)
		}, (*documents).award),
		domain.KindEvent: keyed(holding(thingKind(eventSpec, "event_kind, start_date, end_date, venue, city, country, organiser, broadcaster",
			func(it *domain.EventDoc) []any {
				return []any{it.Kind, it.Start.String(), it.End.String(), it.Venue, it.City, it.Country, it.Organiser, it.Broadcaster}
			},
			func(t *domain.Event, d domain.ThingDoc) *domain.EventDoc {
				return &domain.EventDoc{ThingDoc: d, Kind: t.EventKind, Start: t.Start, End: t.End, Venue: string(t.Venue), City: string(t.City),
					Country: string(t.Country), Organiser: string(t.Organiser), Broadcaster: string(t.Broadcaster)}
			}), eventSpec, func(l *writer, e *domain.EventDoc) error {
			return l.performances(l.ids[domain.KindEvent][e.Slug], e)
		}, (*documents).event), `d.start_date`),
		domain.KindChart: thingKind(chartSpec, "publisher, region, measures",
			func(it *domain.ChartDoc) []any { return []any{it.Publisher, it.Region, it.Measures} },
			func(t *domain.Chart, d domain.ThingDoc) *domain.ChartDoc {
				return &domain.ChartDoc{ThingDoc: d, Publisher: string(t.Publisher), Region: string(t.Region), Measures: string(t.Measures)}
			}),
		domain.KindPlatform: thingKind(platformSpec, "platform_kind, owner",
			func(it *domain.PlatformDoc) []any { return []any{it.Kind, it.Owner} },
			func(t *domain.Platform, d domain.ThingDoc) *domain.PlatformDoc {
				return &domain.PlatformDoc{ThingDoc: d, Kind: t.PlatformKind, Owner: string(t.Owner)}
			}),

		domain.KindMembership: factKind(membershipSpec, func(x *documents, m *domain.Membership, sources map[int64][]string) (any, map[string]string, error) {
			return heldBy(x.membership(m, sources), domain.KindGroup, x.slug(m.GroupID))
		}),
		domain.KindCredit: factKind(creditSpec, func(x *documents, c *domain.Credit, sources map[int64][]string) (any, map[string]string, error) {
			doc := x.credit(c, sources)
			work := x.work(c.WorkID)
			return &doc, map[string]string{"song": work.Song, "album": work.Album}, nil
		}),
		domain.KindTrack: factKind(trackSpec, func(x *documents, t *domain.Track, sources map[int64][]string) (any, map[string]string, error) {
			return heldBy(x.track(t, sources), domain.KindAlbum, x.slug(t.AlbumID))
		}),
		domain.KindAwardResult: factKind(awardResultSpec, func(x *documents, r *domain.AwardResult, sources map[int64][]string) (any, map[string]string, error) {
			return heldBy(x.awardResult(r, sources), domain.KindAward, x.slug(r.AwardID))
		}),
		domain.KindPerformance: factKind(performanceSpec, func(x *documents, p *domain.Performance, sources map[int64][]string) (any, map[string]string, error) {
			events, err := x.db.Events(x.ctx, []int64{p.EventID})
			if err != nil || len(events) != 1 || events[0] == nil {
				return nil, nil, cmpErr(err, fmt.Errorf("performance %d: its event %d is missing", p.ID, p.EventID))
			}
			return heldBy(x.performance(p, events[0].Start, sources), domain.KindEvent, x.slug(p.EventID))
		}),
		domain.KindChartRun: standalone(factKind(chartRunSpec, func(x *documents, r *domain.ChartRun, sources map[int64][]string) (any, map[string]string, error) {
			return x.chartRun(r, sources), nil, nil
		}), chartRunSpec, (*writer).chartRun,
			`JOIN nodes c ON c.id = d.chart_id JOIN nodes w ON w.id = d.work_id ORDER BY c.slug, w.kind, w.slug, d.entered, n.id`, (*documents).chartRun),
		domain.KindMilestone: standalone(factKind(milestoneSpec, func(x *documents, m *domain.Milestone, sources map[int64][]string) (any, map[string]string, error) {
			return x.milestone(m, sources), nil, nil
		}), milestoneSpec, (*writer).milestone,
			`JOIN nodes w ON w.id = d.work_id JOIN nodes p ON p.id = d.platform_id ORDER BY w.kind, w.slug, p.slug, d.metric, d.threshold`, (*documents).milestone),
		domain.KindRecord: standalone(factKind(recordSpec, func(x *documents, r *domain.Record, sources map[int64][]string) (any, map[string]string, error) {
			return x.record(r, sources), nil, nil
		}), recordSpec, (*writer).record, `ORDER BY d.claim, d.date, n.id`, (*documents).record),
		domain.KindLabel:        labelStorage(),
		domain.KindSigning:      signingStorage(),
		domain.KindLabelRelease: labelReleaseStorage(),
	}
}

// cmpErr returns err, or instead when err is nil.
func cmpErr(err, instead error) error {
	if err != nil {
		return err
	}
	return instead
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
