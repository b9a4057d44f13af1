package sqlite

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/artistgraph/artistgraph/domain"
)

// exportChunk is how many things Export reads at a time.
const exportChunk = 1000

// thingRef is a thing's kind and slug, how fixtures name it.
type thingRef struct {
	kind domain.Kind
	slug string
}

// documents reads stored nodes as fixture documents: for Export, for
// drafts (Draft) and for the thing an edited fact is written in.
type documents struct {
	ctx  context.Context
	db   *DB
	refs map[int64]thingRef
	emit func(section string, item any) error
}

// Export calls emit with every thing and fact of the graph as fixture items
// (a *domain.SourceDoc, *domain.ArtistDoc, ... with its facts inside), in a
// stable order: things by kind then slug, facts by what they link. Loading
// what it gives into an empty database rebuilds the same graph.
func (db *DB) Export(ctx context.Context, emit func(section string, item any) error) error {
	x := &documents{ctx: ctx, db: db, refs: map[int64]thingRef{}, emit: emit}
	rows, err := db.read.QueryContext(ctx, `SELECT id, kind, slug FROM nodes WHERE slug IS NOT NULL`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var r thingRef
		if err := rows.Scan(&id, &r.kind, &r.slug); err != nil {
			rows.Close()
			return err
		}
		x.refs[id] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, kind := range domain.Kinds() {
		if kind.Section == "" {
			continue
		}
		storage, err := storageOf(kind.Kind)
		if err != nil {
			return err
		}
		if err := storage.export(x); err != nil {
			return err
		}
	}
	return nil
}

func (x *documents) slug(id int64) string { return x.refs[id].slug }

func (x *documents) slugs(ids []int64) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = x.slug(id)
	}
	return out
}

func (x *documents) work(id int64) domain.WorkRef {
	if r := x.refs[id]; r.kind == domain.KindAlbum {
		return domain.WorkRef{Album: r.slug}
	}
	return domain.WorkRef{Song: x.slug(id)}
}

// sources lists the slugs of the sources each node cites.
func (x *documents) sources(ids []int64) (map[int64][]string, error) {
	cited, err := x.db.CitedSourceIDs(x.ctx, ids)
	out := make(map[int64][]string, len(cited))
	for id, srcs := range cited {
		out[id] = x.slugs(srcs)
	}
	return out, err
}

func (x *documents) fact(f domain.Fact, sources map[int64][]string) domain.FactDoc {
	return domain.FactDoc{Note: string(f.Note), Sources: sources[f.ID]}
}

// thingPart holds what every exported thing of a chunk needs.
type thingPart struct {
	names   map[int64][]*domain.Name
	sources map[int64][]string
}

func (p thingPart) doc(t domain.Thing) domain.ThingDoc {
	doc := domain.ThingDoc{Slug: t.Slug, Name: t.Name, Description: string(t.Description), Note: string(t.Note), Sources: p.sources[t.ID]}
	for _, n := range p.names[t.ID] {
		if n.Kind != "primary" {
			doc.Names = append(doc.Names, domain.NameDoc{Value: n.Value, Locale: n.Locale, Kind: n.Kind})
		}
	}
	return doc
}

// exportThings reads the things of one kind in slug order, a chunk at a
// time, and emits each as convert makes it.
func exportThings[T domain.AnyThing](x *documents, s spec[T], convert func(things []T, part thingPart) ([]any, error)) error {
	section := sectionOf(s.kind)
	after := ""
	for {
		things, err := query(x.ctx, x.db, s, `WHERE n.kind = ? AND n.slug > ? ORDER BY n.slug LIMIT ?`, string(s.kind), after, exportChunk)
		if err != nil || len(things) == 0 {
			return err
		}
		ids := make([]int64, len(things))
		for i, t := range things {
			ids[i] = t.NodeID()
		}
		var part thingPart
		if part.names, err = x.db.Names(x.ctx, ids); err != nil {
			return err
		}
		if part.sources, err = x.sources(ids); err != nil {
			return err
		}
		items, err := convert(things, part)
		if err != nil {
			return err
		}
		for _, item := range items {
			if err := x.emit(section, item); err != nil {
				return err
			}
		}
		after = x.slug(ids[len(ids)-1])
	}
}

// thingDoc writes a thing as its fixture document, without the facts it
// holds.
func (p thingPart) thingDoc(t domain.AnyThing) any {
	storage, err := storageOf(t.NodeKind())
	if err != nil {
		panic(err) // every kind has its storage: TestEveryKindIsStored
	}
	return storage.doc(t, p.doc(*t.ThingFields()))
}

// sectionOf is the fixture section that lists a kind.
func sectionOf(kind domain.Kind) string {
	spec, _ := domain.SpecOf(kind)
	return spec.Section
}

// thingsOnly converts things that hold no facts.
func thingsOnly[T domain.AnyThing](things []T, part thingPart) ([]any, error) {
	out := make([]any, len(things))
	for i, t := range things {
		out[i] = part.thingDoc(t)
	}
	return out, nil
}

func ids[T domain.AnyThing](things []T) []int64 {
	out := make([]int64, len(things))
	for i, t := range things {
		out[i] = t.NodeID()
	}
	return out
}

func factIDs[T domain.Node](groups map[int64][]T) []int64 {
	var out []int64
	for _, list := range groups {
		for _, f := range list {
			out = append(out, f.NodeID())
		}
	}
	return out
}

func (x *documents) group(things []*domain.Group, part thingPart) ([]any, error) {
	members, err := x.db.AllMembershipsOfGroups(x.ctx, ids(things))
	if err != nil {
		return nil, err
	}
	sources, err := x.sources(factIDs(members))
	if err != nil {
		return nil, err
	}
	out := make([]any, len(things))
	for i, t := range things {
		doc := part.thingDoc(t).(*domain.GroupDoc)
		list := members[t.ID]
		slices.SortFunc(list, func(a, b *domain.Membership) int {
			return cmp.Or(strings.Compare(a.Start.String(), b.Start.String()), strings.Compare(x.slug(a.ArtistID), x.slug(b.ArtistID)))
		})
		for _, m := range list {
			doc.Members = append(doc.Members, x.membership(m, sources))
		}
		out[i] = doc
	}
	return out, nil
}

func (x *documents) membership(m *domain.Membership, sources map[int64][]string) domain.MembershipDoc {
	return domain.MembershipDoc{FactDoc: x.fact(m.Fact, sources), Artist: x.slug(m.ArtistID), Roles: m.Roles, Start: m.Start, End: m.End}
}

// credits turns a work's credits into fixture credits, in billing order.
func (x *documents) credits(credits []*domain.Credit, sources map[int64][]string) []domain.CreditDoc {
	var out []domain.CreditDoc
	for _, c := range credits {
		out = append(out, x.credit(c, sources))
	}
	return out
}

func (x *documents) credit(c *domain.Credit, sources map[int64][]string) domain.CreditDoc {
	return domain.CreditDoc{FactDoc: x.fact(c.Fact, sources), Act: x.slug(c.ActID), Role: c.Role, JoinPhrase: c.JoinPhrase, CreditedAs: c.CreditedAs}
}

func (x *documents) song(things []*domain.Song, part thingPart) ([]any, error) {
	credits, err := x.db.CreditsOfWorks(x.ctx, ids(things))
	if err != nil {
		return nil, err
	}
	sources, err := x.sources(factIDs(credits))
	if err != nil {
		return nil, err
	}
	out := make([]any, len(things))
	for i, t := range things {
		doc := part.thingDoc(t).(*domain.SongDoc)
		doc.Credits = x.credits(credits[t.ID], sources)
		out[i] = doc
	}
	return out, nil
}

func (x *documents) album(things []*domain.Album, part thingPart) ([]any, error) {
	albumIDs := ids(things)
	credits, err := x.db.CreditsOfWorks(x.ctx, albumIDs)
	if err != nil {
		return nil, err
	}
	tracks, err := x.db.TracksOfAlbums(x.ctx, albumIDs)
	if err != nil {
		return nil, err
	}
	sources, err := x.sources(append(factIDs(credits), factIDs(tracks)...))
	if err != nil {
		return nil, err
	}
	out := make([]any, len(things))
	for i, t := range things {
		doc := part.thingDoc(t).(*domain.AlbumDoc)
		doc.Credits = x.credits(credits[t.ID], sources)
		list := tracks[t.ID]
		slices.SortStableFunc(list, func(a, b *domain.Track) int {
			return cmp.Or(cmp.Compare(a.Disc, b.Disc), cmp.Compare(unplaced(a.Position), unplaced(b.Position)), cmp.Compare(a.Position, b.Position), strings.Compare(x.slug(a.SongID), x.slug(b.SongID)))
		})
		for _, tr := range list {
			doc.Tracks = append(doc.Tracks, x.track(tr, sources))
		}
		out[i] = doc
	}
	return out, nil
}

func (x *documents) track(tr *domain.Track, sources map[int64][]string) domain.TrackDoc {
	disc := tr.Disc
	if disc == 1 {
		disc = 0
	}
	return domain.TrackDoc{FactDoc: x.fact(tr.Fact, sources), Song: x.slug(tr.SongID), Disc: disc, Position: tr.Position, Relations: tr.Relations}
}

func (x *documents) award(things []*domain.Award, part thingPart) ([]any, error) {
	results, err := byParent(x.ctx, x.db, awardResultSpec, "d.award_id", ids(things), "d.date, n.id", func(r *domain.AwardResult) int64 { return r.AwardID })
	if err != nil {
		return nil, err
	}
	sources, err := x.sources(factIDs(results))
	if err != nil {
		return nil, err
	}
	out := make([]any, len(things))
	for i, t := range things {
		doc := part.thingDoc(t).(*domain.AwardDoc)
		var docs []domain.AwardResultDoc
		for _, r := range results[t.ID] {
			docs = append(docs, x.awardResult(r, sources))
		}
		slices.SortStableFunc(docs, func(a, b domain.AwardResultDoc) int {
			return cmp.Or(strings.Compare(a.Date.String(), b.Date.String()), strings.Compare(a.Category, b.Category),
				strings.Compare(strings.Join(a.Recipients, ","), strings.Join(b.Recipients, ",")), strings.Compare(fmt.Sprint(a.Work), fmt.Sprint(b.Work)))
		})
		doc.Results = docs
		out[i] = doc
	}
	return out, nil
}

func (x *documents) awardResult(r *domain.AwardResult, sources map[int64][]string) domain.AwardResultDoc {
	d := domain.AwardResultDoc{FactDoc: x.fact(r.Fact, sources), Date: r.Date, Category: string(r.Category), Result: r.Result, Recipients: x.slugs(r.RecipientIDs)}
	if r.WorkID != 0 {
		w := x.work(r.WorkID)
		d.Work = &w
	}
	return d
}

func (x *documents) event(things []*domain.Event, part thingPart) ([]any, error) {
	perfs, err := byParent(x.ctx, x.db, performanceSpec, "d.event_id", ids(things), "d.date, n.id", func(p *domain.Performance) int64 { return p.EventID })
	if err != nil {
		return nil, err
	}
	sources, err := x.sources(factIDs(perfs))
	if err != nil {
		return nil, err
	}
	out := make([]any, len(things))
	for i, t := range things {
		doc := part.thingDoc(t).(*domain.EventDoc)
		for _, p := range perfs[t.ID] {
			doc.Performances = append(doc.Performances, x.performance(p, t.Start, sources))
		}
		slices.SortStableFunc(doc.Performances, func(a, b domain.PerformanceDoc) int {
			return cmp.Or(strings.Compare(a.Date.String(), b.Date.String()), strings.Compare(strings.Join(a.Performers, ","), strings.Join(b.Performers, ",")))
		})
		out[i] = doc
	}
	return out, nil
}

// performance writes a performance, its date only where it is not the
// event's start, which a fixture performance takes when it gives none.
func (x *documents) performance(p *domain.Performance, eventStart domain.Date, sources map[int64][]string) domain.PerformanceDoc {
	d := domain.PerformanceDoc{FactDoc: x.fact(p.Fact, sources), Performers: x.slugs(p.PerformerIDs)}
	if p.Date != eventStart {
		d.Date = p.Date
	}
	for _, e := range p.SetList {
		d.SetList = append(d.SetList, domain.SetListDoc{Song: x.slug(e.SongID), Note: e.Note})
	}
	return d
}

// exportFacts reads facts of one kind in an order that needs no IDs, a chunk
// at a time.
func exportFacts[T domain.Node](x *documents, s spec[T], order string, convert func(T, map[int64][]string) any) error {
	section := sectionOf(s.kind)
	for offset := 0; ; offset += exportChunk {
		facts, err := query(x.ctx, x.db, s, order+` LIMIT ? OFFSET ?`, exportChunk, offset)
		if err != nil || len(facts) == 0 {
			return err
		}
		factIDs := make([]int64, len(facts))
		for i, f := range facts {
			factIDs[i] = f.NodeID()
		}
		sources, err := x.sources(factIDs)
		if err != nil {
			return err
		}
		for _, f := range facts {
			if err := x.emit(section, convert(f, sources)); err != nil {
				return err
			}
		}
	}
}

func (x *documents) chartRun(r *domain.ChartRun, sources map[int64][]string) any {
	return &domain.ChartRunDoc{FactDoc: x.fact(r.Fact, sources), WorkRef: x.work(r.WorkID), Chart: x.slug(r.ChartID), Entered: r.Entered,
		Peak: domain.Positive(r.Peak), PeakDate: r.PeakDate, Weeks: r.Weeks, AsOf: r.AsOf}
}

func (x *documents) milestone(m *domain.Milestone, sources map[int64][]string) any {
	return &domain.MilestoneDoc{FactDoc: x.fact(m.Fact, sources), WorkRef: x.work(m.WorkID), Platform: x.slug(m.PlatformID), Metric: m.Metric, Threshold: m.Threshold, Reached: m.Reached}
}

func (x *documents) record(r *domain.Record, sources map[int64][]string) any {
	doc := &domain.RecordDoc{FactDoc: x.fact(r.Fact, sources), Claim: r.Claim, Date: r.Date}
	for _, s := range r.SubjectIDs {
		ref := x.refs[s]
		doc.Subjects = append(doc.Subjects, strings.ToLower(string(ref.kind))+":"+ref.slug)
	}
	if rk := r.Ranking; rk != nil {
		doc.Ranking = &domain.RankingDoc{Platform: x.slug(rk.PlatformID), Metric: rk.Metric, Threshold: rk.Threshold, Rank: rk.Rank}
	}
	return doc
}

// unplaced sorts tracks of unknown position last.
func unplaced(position int) int {
	if position == 0 {
		return 1
	}
	return 0
}
