package sqlstore

import (
	"context"
	"slices"

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
	// named lists the slugs of the things of a kind that share a name
	// (in lower case), in slug order: the order the export writes and
	// a load reads them.
	named map[thingRef][]string
	emit  func(section string, item any) error
}

// Export calls emit with every thing and fact of the graph as fixture items
// (a *domain.SourceDoc, *domain.ArtistDoc, ... with its facts inside), in a
// stable order: things by kind then slug, facts by what they link. Loading
// what it gives into an empty database rebuilds the same graph.
func (db *DB) Export(ctx context.Context, emit func(section string, item any) error) error {
	x := &documents{ctx: ctx, db: db, refs: map[int64]thingRef{}, named: map[thingRef][]string{}, emit: emit}
	rows, err := db.read.QueryContext(ctx, `SELECT id, kind, slug, name FROM nodes WHERE slug IS NOT NULL ORDER BY kind, slug`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var r thingRef
		var name string
		if err := rows.Scan(&id, &r.kind, &r.slug, &name); err != nil {
			rows.Close()
			return err
		}
		x.refs[id] = r
		key := thingRef{r.kind, domain.NameKey(name)}
		x.named[key] = append(x.named[key], r.slug)
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

// sources lists the slugs of the sources each node cites.
func (x *documents) sources(ids []int64) (map[int64][]string, error) {
	cited, err := x.db.CitedSourceIDs(x.ctx, ids)
	out := make(map[int64][]string, len(cited))
	for id, srcs := range cited {
		out[id] = x.slugs(srcs)
	}
	return out, err
}

// Ref names a thing the documents refer to (domain.Refs).
func (x *documents) Ref(id int64) (domain.Kind, string) {
	r := x.refs[id]
	return r.kind, r.slug
}

// factDoc writes a stored fact as its document; holder is the thing it is
// written in, nil for a fact with a section of its own.
func (x *documents) factDoc(f domain.Node, sources map[int64][]string, holder domain.Node) (any, error) {
	base := domain.FactDoc{Sources: sources[f.NodeID()]}
	if fact, ok := f.(domain.AnyFact); ok {
		base.Note, base.Support = string(fact.FactFields().Note), fact.FactFields().Support
	}
	return domain.FactDocOf(f, base, x, holder)
}

// thingPart holds what every exported thing of a chunk needs.
type thingPart struct {
	names   map[int64][]*domain.Name
	sources map[int64][]string
}

func (p thingPart) doc(t domain.Thing) domain.ThingDoc {
	doc := domain.ThingDoc{Slug: t.Slug, Name: t.Name, Description: string(t.Description), Note: string(t.Note), Sources: p.sources[t.ID], IDs: t.IdentifierMap()}
	for _, n := range p.names[t.ID] {
		if n.Kind != "primary" {
			doc.Names = append(doc.Names, domain.NameDoc{Value: n.Value, Locale: n.Locale, Kind: n.Kind})
		}
	}
	return doc
}

// exportThings reads the things of one kind in slug order, a chunk at a
// time, with the facts their documents hold, and emits each.
func exportThings[T domain.AnyThing](x *documents, s spec[T]) error {
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
		items, err := x.withHeldFacts(asNodes(things), part)
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

// distinct says of a thing which things of its kind and name come before
// it in the export, so that loading it back does not take it for one of
// them under a mistyped slug.
func (x *documents) distinct(doc any) {
	kind, t := domain.ItemThing(doc)
	same := x.named[thingRef{kind, domain.NameKey(t.Name)}]
	if i := slices.Index(same, t.Slug); i > 0 {
		t.DistinctFrom = same[:i]
	}
}

// withHeldFacts writes things of one kind as their documents, each with
// the facts it holds (a group's members, an album's credits and tracks),
// read for all of them at once, a list of each held kind.
func (x *documents) withHeldFacts(things []domain.Node, part thingPart) ([]any, error) {
	ids := make([]int64, len(things))
	for i, t := range things {
		ids[i] = t.NodeID()
	}
	held := domain.HeldKinds(things[0].NodeKind())
	facts := make([]map[int64][]domain.Node, len(held))
	var all []int64
	for i, kind := range held {
		storage, err := storageOf(kind)
		if err != nil {
			return nil, err
		}
		if facts[i], err = storage.held(x.ctx, x.db, ids); err != nil {
			return nil, err
		}
		for _, list := range facts[i] {
			for _, f := range list {
				all = append(all, f.NodeID())
			}
		}
	}
	sources, err := x.sources(all)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(things))
	for i, t := range things {
		doc, err := part.thingDoc(t.(domain.AnyThing))
		if err != nil {
			return nil, err
		}
		x.distinct(doc)
		for j, kind := range held {
			var docs []any
			for _, f := range facts[j][t.NodeID()] {
				d, err := x.factDoc(f, sources, t)
				if err != nil {
					return nil, err
				}
				docs = append(docs, d)
			}
			if err := domain.HoldAll(doc, kind, docs); err != nil {
				return nil, err
			}
		}
		out[i] = doc
	}
	return out, nil
}

// thingDoc writes a thing as its fixture document, without the facts it
// holds.
func (p thingPart) thingDoc(t domain.AnyThing) (any, error) {
	return domain.ThingDocOf(t, p.doc(*t.ThingFields()))
}

// sectionOf is the fixture section that lists a kind.
func sectionOf(kind domain.Kind) string {
	spec, _ := domain.SpecOf(kind)
	return spec.Section
}

// exportFacts reads the facts of a kind with a section of its own in an
// order that needs no IDs (order: joins and ORDER BY), a chunk at a time.
func exportFacts[T domain.Node](x *documents, s spec[T], order string) error {
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
			doc, err := x.factDoc(f, sources, nil)
			if err != nil {
				return err
			}
			if err := x.emit(section, doc); err != nil {
				return err
			}
		}
	}
}
