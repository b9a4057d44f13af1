package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/graph/model"
)

// enumKeys are the input fields whose values are GraphQL enums, spelt in
// upper case in GraphQL and lower case in drafts and fixtures.
var enumKeys = map[string]bool{"kind": true, "role": true, "result": true, "metric": true, "relations": true, "bound": true, "support": true}

// draftOf turns a mutation input into a draft: the same field names, enum
// values in fixture spelling. The input goes through JSON first, which
// gives nested inputs and lists one shape whatever gqlgen built them as.
func draftOf(input map[string]any) domain.Draft {
	b, _ := json.Marshal(input)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var plain map[string]any
	_ = dec.Decode(&plain)
	return lowerEnums(plain)
}

func lowerEnums(input map[string]any) domain.Draft {
	out := make(domain.Draft, len(input))
	for k, v := range input {
		out[k] = fixtureValue(v, enumKeys[k])
	}
	return out
}

func fixtureValue(v any, enum bool) any {
	switch v := v.(type) {
	case string:
		if enum {
			return strings.ToLower(v)
		}
	case []any:
		out := make([]any, len(v))
		for i, item := range v {
			out[i] = fixtureValue(item, enum)
		}
		return out
	case map[string]any:
		return map[string]any(lowerEnums(v))
	}
	return v
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// edit makes an edit for the identity the request acts for: writes need
// one, with a role that may write; a cascading delete needs an admin.
func (r *Resolver) edit(ctx context.Context, e domain.Edit) ([]domain.Change, error) {
	who := domain.IdentityFrom(ctx)
	if who == nil {
		return nil, domain.Errorf(domain.EUNAUTHENTICATED, "writes need credentials: send \"Authorization: Bearer <token>\" with an editor's or admin's token")
	}
	if !who.MayWrite() {
		return nil, domain.Errorf(domain.EFORBIDDEN, "the role %q may not write; editors and admins may", who.Role)
	}
	if e.Cascade && !who.HasRole(domain.RoleAdmin) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "deleting with cascade needs the admin role")
	}
	e.Actor = who.Name
	return r.Store.Edit(ctx, e)
}

// idOf reads a global ID that must name a node of kind.
func idOf(kind domain.Kind, id string) (int64, error) {
	k, num, err := domain.ParseGlobalID(id)
	if err != nil {
		return 0, err
	}
	if kind != "" && k != kind {
		return 0, domain.Errorf(domain.EINVALID, "id: %q is the ID of a %s, not of a %s", id, strings.ToLower(string(k)), strings.ToLower(string(kind)))
	}
	return num, nil
}

// create makes a node of a kind from a mutation input and returns it.
func create[T domain.Node](ctx context.Context, r *Resolver, kind domain.Kind, input map[string]any, summary *string) (T, error) {
	changes, err := r.edit(ctx, domain.Edit{Action: domain.ActionCreate, Kind: kind, Patch: draftOf(input), Summary: deref(summary)})
	if err != nil {
		var zero T
		return zero, err
	}
	return written[T](ctx, r, changes, changes[0].NodeID)
}

// update changes a node from a mutation input and returns it.
func update[T domain.Node](ctx context.Context, r *Resolver, kind domain.Kind, id string, revision int, input map[string]any, summary *string) (T, error) {
	var zero T
	num, err := idOf(kind, id)
	if err != nil {
		return zero, err
	}
	changes, err := r.edit(ctx, domain.Edit{Action: domain.ActionUpdate, Kind: kind, ID: num, Revision: revision, Patch: draftOf(input), Summary: deref(summary)})
	if err != nil {
		return zero, err
	}
	return written[T](ctx, r, changes, num)
}

// written is the node an edit wrote, as the edit's own transaction read it
// back: another editor's commit a moment later does not show in the
// answer. The operation's loaders are primed with it, so the fields below
// read the same. An edit that changed nothing answers the node as stored.
func written[T domain.Node](ctx context.Context, r *Resolver, changes []domain.Change, id int64) (T, error) {
	for _, c := range changes {
		if c.NodeID != id || c.Node == nil {
			continue
		}
		l := r.load(ctx)
		l.nodes.Clear(id)
		l.nodes.Prime(id, c.Node)
		l.names.Clear(id)
		l.names.Prime(id, c.Names)
		t, _ := c.Node.(T)
		return t, nil
	}
	return edited[T](ctx, r, id)
}

// edited reads a node just written, from the store rather than the
// request's loader, which may hold it as it was.
func edited[T domain.Node](ctx context.Context, r *Resolver, id int64) (T, error) {
	var zero T
	nodes, err := r.Store.Nodes(ctx, []int64{id})
	if err != nil {
		return zero, err
	}
	t, _ := nodes[0].(T)
	return t, nil
}

// rename adds or removes one name of a thing, as an update of its names.
func (r *Resolver) rename(ctx context.Context, id string, revision int, summary *string, change func(names []any, primary string) ([]any, error)) (domain.AnyThing, error) {
	kind, num, err := domain.ParseGlobalID(id)
	if err != nil {
		return nil, err
	}
	if !kind.IsThing() {
		return nil, domain.Errorf(domain.EINVALID, "id: %q is a %s, which has no names", id, strings.ToLower(string(kind)))
	}
	node, d, err := r.Store.Draft(ctx, num)
	if err != nil {
		return nil, err
	}
	if node == nil {
		return nil, domain.Errorf(domain.ENOTFOUND, "nothing has the ID %s", id)
	}
	// The names read here belong to the revision the store checks again
	// when it writes, so a change in between is refused, not lost.
	if node.NodeRevision() != revision {
		return nil, domain.Errorf(domain.ECONFLICT, "%s is at revision %d, not %d: it changed since it was read; read it again and redo the edit", id, node.NodeRevision(), revision)
	}
	names, _ := d["names"].([]any)
	primary, _ := d["name"].(string)
	if names, err = change(slices.Clone(names), primary); err != nil {
		return nil, err
	}
	var patch domain.Draft = map[string]any{"names": names}
	if len(names) == 0 {
		patch["names"] = nil
	}
	changes, err := r.edit(ctx, domain.Edit{Action: domain.ActionUpdate, Kind: kind, ID: num, Revision: revision, Patch: patch, Summary: deref(summary)})
	if err != nil {
		return nil, err
	}
	return written[domain.AnyThing](ctx, r, changes, num)
}

func nameValue(n any) string {
	m, _ := n.(map[string]any)
	v, _ := m["value"].(string)
	return v
}

func (r *Resolver) addName(ctx context.Context, id string, revision int, name map[string]any, summary *string) (domain.AnyThing, error) {
	added := map[string]any(draftOf(name))
	return r.rename(ctx, id, revision, summary, func(names []any, primary string) ([]any, error) {
		for _, n := range names {
			if nameValue(n) == nameValue(added) && n.(map[string]any)["locale"] == added["locale"] {
				return nil, domain.Errorf(domain.EINVALID, "name.value: the thing already has the name %q", nameValue(added))
			}
		}
		return append(names, added), nil
	})
}

func (r *Resolver) removeName(ctx context.Context, id string, revision int, value string, summary *string) (domain.AnyThing, error) {
	return r.rename(ctx, id, revision, summary, func(names []any, primary string) ([]any, error) {
		kept := slices.DeleteFunc(names, func(n any) bool { return nameValue(n) == value })
		switch {
		case len(kept) < len(names):
			return kept, nil
		case value == primary:
			return nil, domain.Errorf(domain.EINVALID, "value: %q is the primary name; change it with the update mutation instead", value)
		}
		return nil, domain.Errorf(domain.ENOTFOUND, "value: the thing has no name %q", value)
	})
}

func (r *Resolver) deleteNode(ctx context.Context, id string, revision int, cascade *bool, summary *string) ([]*domain.Change, error) {
	kind, num, err := domain.ParseGlobalID(id)
	if err != nil {
		return nil, err
	}
	changes, err := r.edit(ctx, domain.Edit{Action: domain.ActionDelete, Kind: kind, ID: num, Revision: revision, Cascade: cascade != nil && *cascade, Summary: deref(summary)})
	return changeList(changes), err
}

func (r *Resolver) revert(ctx context.Context, id string, revision, to int, summary *string) (*domain.Change, error) {
	kind, num, err := domain.ParseGlobalID(id)
	if err != nil {
		return nil, err
	}
	changes, err := r.edit(ctx, domain.Edit{Action: domain.ActionRevert, Kind: kind, ID: num, Revision: revision, To: to, Summary: deref(summary)})
	if err != nil {
		return nil, err
	}
	return &changes[len(changes)-1], nil
}

// redact removes a revision's content from the history: admins only.
func (r *Resolver) redact(ctx context.Context, id string, revision int, reason string) (*domain.Change, error) {
	who := domain.IdentityFrom(ctx)
	if who == nil {
		return nil, domain.Errorf(domain.EUNAUTHENTICATED, "redacting needs credentials: an admin's token")
	}
	if !who.HasRole(domain.RoleAdmin) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "redacting needs the admin role")
	}
	_, num, err := domain.ParseGlobalID(id)
	if err != nil {
		return nil, err
	}
	return r.Store.Redact(ctx, num, revision, who.Name, reason)
}

func changeList(changes []domain.Change) []*domain.Change {
	out := make([]*domain.Change, len(changes))
	for i := range changes {
		out[i] = &changes[i]
	}
	return out
}

// history pages through one node's changes.
func (r *Resolver) history(ctx context.Context, id int64, first *int, after *string) (*model.ChangeConnection, error) {
	page, err := r.Store.History(ctx, id, pageArgs(ctx, first, after))
	return r.changeConnection(ctx, page, err)
}

func (r *Resolver) recentChanges(ctx context.Context, actor *string, kinds []string, first *int, after *string) (*model.ChangeConnection, error) {
	f := domain.ChangeFilter{Actor: deref(actor)}
	for _, k := range kinds {
		kind := domain.Kind(k)
		if !kind.IsThing() && !kind.IsFact() {
			return nil, domain.Errorf(domain.EINVALID, "kinds: %q is not a kind of node (Artist, Membership, ...)", k)
		}
		f.Kinds = append(f.Kinds, kind)
	}
	page, err := r.Store.RecentChanges(ctx, f, pageArgs(ctx, first, after))
	return r.changeConnection(ctx, page, err)
}

func (r *Resolver) changeConnection(ctx context.Context, page domain.Page, err error) (*model.ChangeConnection, error) {
	if err != nil {
		return nil, err
	}
	changes, err := r.Store.Changes(ctx, page.IDs)
	if err != nil {
		return nil, err
	}
	edges := make([]*model.ChangeEdge, len(changes))
	for i, c := range changes {
		edges[i] = &model.ChangeEdge{Cursor: page.Cursors[i], Node: c}
	}
	return &model.ChangeConnection{Edges: edges, PageInfo: pageInfo(page)}, nil
}

// subscribe streams committed changes, only those to ids when given.
func (r *Resolver) subscribe(ctx context.Context, ids []string) (<-chan *domain.Change, error) {
	wanted := map[int64]bool{}
	for _, id := range ids {
		num, err := idOf("", id)
		if err != nil {
			return nil, err
		}
		wanted[num] = true
	}
	feed, err := r.Store.Subscribe(ctx)
	if err != nil {
		return nil, err
	}
	out := make(chan *domain.Change)
	go func() {
		defer close(out)
		for c := range feed {
			if len(wanted) > 0 && !wanted[c.NodeID] {
				continue
			}
			select {
			case out <- &c:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// jsonText writes a draft value as JSON for clients; nil stays null.
func jsonText(v any) (*string, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	s := string(b)
	return &s, nil
}

func draftJSON(d domain.Draft) (*string, error) {
	if d == nil {
		return nil, nil
	}
	return jsonText(map[string]any(d))
}

func changedAt(c *domain.Change) string { return c.At.Format(time.RFC3339Nano) }
