package graph

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/graph/model"
)

// enum turns a stored lower-case value into its GraphQL enum.
func enum[E ~string](stored string) E { return E(strings.ToUpper(stored)) }

// enums turns a list of stored values into GraphQL enums.
func enums[E ~string](stored []string) []E {
	out := make([]E, len(stored))
	for i, s := range stored {
		out[i] = enum[E](s)
	}
	return out
}

func pageArgs(first *int, after *string) domain.PageArgs {
	var p domain.PageArgs
	if first != nil {
		p.First = *first
		if p.First == 0 {
			p.First = -1 // asked for nothing: refused by the store's bounds check
		}
	}
	if after != nil {
		p.After = *after
	}
	return p
}

// connect loads a page's nodes and builds its edges and page info.
func connect[T, E any](ctx context.Context, page domain.Page, err error, load func(context.Context, []int64) ([]T, error), edge func(cursor string, node T) E) ([]E, *model.PageInfo, int, error) {
	if err != nil {
		return nil, nil, 0, err
	}
	nodes, err := load(ctx, page.IDs)
	if err != nil {
		return nil, nil, 0, err
	}
	edges := make([]E, len(nodes))
	for i, n := range nodes {
		edges[i] = edge(page.Cursors[i], n)
	}
	info := &model.PageInfo{HasNextPage: page.HasNext, HasPreviousPage: page.HasPrevious}
	if len(page.Cursors) > 0 {
		info.StartCursor = &page.Cursors[0]
		info.EndCursor = &page.Cursors[len(page.Cursors)-1]
	}
	return edges, info, page.Total, nil
}

// first returns the single item of a by-ID load, or nil.
func first[T any](items []*T, err error) (*T, error) {
	if err != nil || len(items) == 0 {
		return nil, err
	}
	return items[0], nil
}

// bySlug fetches a thing by slug for a nullable root field: a missing slug
// is null, not an error.
func bySlug[T any](ctx context.Context, r *Resolver, kind domain.Kind, slug string, load func(context.Context, []int64) ([]*T, error)) (*T, error) {
	id, err := r.Store.IDBySlug(ctx, kind, slug)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return first(load(ctx, []int64{id}))
}

// node reads one node of any kind by ID; nil when there is none.
func (r *Resolver) node(ctx context.Context, id int64) (domain.Node, error) {
	nodes, err := r.Store.Nodes(ctx, []int64{id})
	if err != nil || nodes[0] == nil {
		return nil, err
	}
	return nodes[0], nil
}

// nodeAs reads one node that must be of type T (an act, a work).
func nodeAs[T domain.Node](ctx context.Context, r *Resolver, id int64) (T, error) {
	var zero T
	n, err := r.node(ctx, id)
	if err != nil || n == nil {
		return zero, err
	}
	t, ok := n.(T)
	if !ok {
		return zero, fmt.Errorf("node %d is a %s, which this field cannot hold", id, n.NodeKind())
	}
	return t, nil
}

// nodeList reads nodes by ID; the store keeps their order.
func nodeList[T domain.Node](ctx context.Context, r *Resolver, ids []int64) ([]T, error) {
	nodes, err := r.Store.Nodes(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(nodes))
	for _, n := range nodes {
		if n != nil {
			out = append(out, n.(T))
		}
	}
	return out, nil
}

// creditLine joins the performers of a work as billed.
func (r *Resolver) creditLine(ctx context.Context, work int64) (string, error) {
	credits, err := r.Store.CreditsOfWork(ctx, work)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, c := range credits {
		if c.Role != "primary" && c.Role != "featured" {
			continue
		}
		name, err := r.creditedAs(ctx, c)
		if err != nil {
			return "", err
		}
		if b.Len() > 0 && !strings.HasSuffix(b.String(), " ") {
			b.WriteString(", ")
		}
		b.WriteString(name)
		b.WriteString(c.JoinPhrase)
	}
	return strings.TrimSpace(b.String()), nil
}

func (r *Resolver) creditedAs(ctx context.Context, c *domain.Credit) (string, error) {
	if c.CreditedAs != "" {
		return c.CreditedAs, nil
	}
	act, err := nodeAs[domain.Act](ctx, r, c.ActID)
	if err != nil || act == nil {
		return "", errors.Join(err, errors.New("a credit names an act that is missing"))
	}
	return act.NodeName(), nil
}

// releaseOf returns a work's release date.
func (r *Resolver) releaseOf(ctx context.Context, work int64) (domain.Date, error) {
	w, err := nodeAs[domain.Work](ctx, r, work)
	if err != nil {
		return domain.Date{}, err
	}
	switch w := w.(type) {
	case *domain.Song:
		return w.Released, nil
	case *domain.Album:
		return w.Released, nil
	}
	return domain.Date{}, nil
}

func rangeOrNil(from, to domain.Date, f func(a, b domain.Date) domain.Range) *domain.Range {
	if from.IsZero() || to.IsZero() {
		return nil
	}
	r := f(from, to)
	return &r
}

func quantityText(q domain.Quantity) string {
	switch q.Bound {
	case "at_least":
		return "at least " + strconv.FormatInt(q.Value, 10)
	case "more_than":
		return "more than " + strconv.FormatInt(q.Value, 10)
	case "about":
		return "about " + strconv.FormatInt(q.Value, 10)
	}
	return strconv.FormatInt(q.Value, 10)
}

func songIDs(entries []domain.SetListEntry) []int64 {
	ids := make([]int64, len(entries))
	for i, e := range entries {
		ids[i] = e.SongID
	}
	return ids
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
