package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/artistgraph/artistgraph/domain"
)

// Draft reads one node as a draft (see domain.Draft): the fixture
// document export would write for it, without the facts a thing holds, and
// with the thing a held fact is written in. It returns a nil node when there
// is none.
func (db *DB) Draft(ctx context.Context, id int64) (domain.Node, domain.Draft, error) {
	nodes, err := db.Nodes(ctx, []int64{id})
	if err != nil || nodes[0] == nil {
		return nil, nil, err
	}
	x := &documents{ctx: ctx, db: db, refs: map[int64]thingRef{}}
	if err := x.loadRefs(id); err != nil {
		return nil, nil, err
	}
	sources, err := x.sources([]int64{id})
	if err != nil {
		return nil, nil, err
	}
	var doc any
	var holder domain.Node
	if thing, ok := nodes[0].(domain.AnyThing); ok {
		doc, err = x.thingDoc(thing, sources)
	} else {
		// A held fact's draft names its holder ("group": "bts"); a
		// performance's document also needs its event's start.
		if h := domain.HolderID(nodes[0]); h != 0 {
			held, err := db.Nodes(ctx, []int64{h})
			if err != nil {
				return nil, nil, err
			}
			if holder = held[0]; holder == nil {
				return nil, nil, fmt.Errorf("node %d: the thing %d it is written in is missing", id, h)
			}
		}
		doc, err = x.factDoc(nodes[0], sources, holder)
	}
	if err != nil {
		return nil, nil, err
	}
	d, err := domain.NewDraft(doc)
	if err != nil {
		return nil, nil, err
	}
	if holder != nil {
		kind, slug := x.Ref(holder.NodeID())
		d[strings.ToLower(string(kind))] = slug
	}
	if c, ok := nodes[0].(*domain.Credit); ok {
		d["position"] = float64(c.Position)
	}
	return nodes[0], d, nil
}

// loadRefs learns the kind and slug of every thing the nodes ids name: themselves,
// the things a fact joins, their sources and a record's ranking platform.
func (x *documents) loadRefs(ids ...int64) error {
	list := idList(ids)
	rows, err := x.db.read.QueryContext(x.ctx, `SELECT id, kind, slug FROM nodes WHERE slug IS NOT NULL AND id IN (
		SELECT value FROM `+idTable+` ids UNION SELECT thing_id FROM fact_links WHERE fact_id `+inList+`
		UNION SELECT source_id FROM citations WHERE node_id `+inList+`
		UNION SELECT ranking_platform_id FROM records WHERE id `+inList+`)`, list, list, list, list)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ref thingRef
		var rid int64
		if err := rows.Scan(&rid, &ref.kind, &ref.slug); err != nil {
			return err
		}
		x.refs[rid] = ref
	}
	return rows.Err()
}

// thingDoc writes one thing as its fixture document, without its facts.
func (x *documents) thingDoc(t domain.AnyThing, sources map[int64][]string) (any, error) {
	names, err := x.db.Names(x.ctx, []int64{t.NodeID()})
	if err != nil {
		return nil, err
	}
	return thingPart{names: names, sources: sources}.thingDoc(t)
}

// thingDocs reads stored things as fixture items (their held facts
// aside), all at once, by ID.
func (db *DB) thingDocs(ctx context.Context, ids []int64) (map[int64]any, error) {
	nodes, err := db.Nodes(ctx, ids)
	if err != nil {
		return nil, err
	}
	x := &documents{ctx: ctx, db: db, refs: map[int64]thingRef{}}
	if err := x.loadRefs(ids...); err != nil {
		return nil, err
	}
	sources, err := x.sources(ids)
	if err != nil {
		return nil, err
	}
	names, err := db.Names(ctx, ids)
	if err != nil {
		return nil, err
	}
	part := thingPart{names: names, sources: sources}
	out := make(map[int64]any, len(ids))
	for _, n := range nodes {
		if t, ok := n.(domain.AnyThing); ok {
			if out[t.NodeID()], err = part.thingDoc(t); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
