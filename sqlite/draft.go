package sqlite

import (
	"context"
	"fmt"

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
	var holder map[string]string
	if thing, ok := nodes[0].(domain.AnyThing); ok {
		doc, err = x.thingDoc(thing, sources)
	} else {
		var storage kindStorage
		if storage, err = storageOf(nodes[0].NodeKind()); err == nil {
			doc, holder, err = storage.draft(x, nodes[0], sources)
		}
	}
	if err != nil {
		return nil, nil, err
	}
	if doc == nil {
		return nil, nil, fmt.Errorf("no draft for node %d", id)
	}
	d, err := domain.NewDraft(doc)
	if err != nil {
		return nil, nil, err
	}
	for k, slug := range holder {
		if slug != "" {
			d[k] = slug
		}
	}
	if c, ok := nodes[0].(*domain.Credit); ok {
		d["position"] = float64(c.Position)
	}
	return nodes[0], d, nil
}

// loadRefs learns the kind and slug of every thing the nodes ids name: themselves,
// the things a fact joins, their sources and a record's ranking platform.
func (x *documents) loadRefs(ids ...int64) error {
	list := jsonText(ids)
	rows, err := x.db.read.QueryContext(x.ctx, `SELECT id, kind, slug FROM nodes WHERE slug IS NOT NULL AND id IN (
		SELECT value FROM json_each($1) UNION SELECT thing_id FROM fact_links WHERE fact_id IN (SELECT value FROM json_each($1))
		UNION SELECT source_id FROM citations WHERE node_id IN (SELECT value FROM json_each($1))
		UNION SELECT ranking_platform_id FROM records WHERE id IN (SELECT value FROM json_each($1)))`, list)
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
	return thingPart{names: names, sources: sources}.thingDoc(t), nil
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
			out[t.NodeID()] = part.thingDoc(t)
		}
	}
	return out, nil
}
