package graph

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"

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

// pageArgs reads a connection's arguments: first and after as the
// resolver was given them, last and before from the field's arguments
// (every connection has them; reading them here spares each resolver
// passing them on), and whether the client selected totalCount (counting
// a whole list is only worth it then).
func pageArgs(ctx context.Context, first *int, after *string) domain.PageArgs {
	fc := graphql.GetFieldContext(ctx)
	last, _ := fc.Args["last"].(*int)
	before, _ := fc.Args["before"].(*string)
	return pageArgsOf(selects(ctx, "totalCount"), firstUnlessLast(first, last, fc.Field.Arguments.ForName("first") != nil), after, last, before)
}

// firstUnlessLast drops first's default when the client asked for last
// and did not write first.
func firstUnlessLast(first, last *int, written bool) *int {
	if last != nil && !written {
		return nil
	}
	return first
}

// pageArgsOf reads a connection's arguments.
func pageArgsOf(withTotal bool, first *int, after *string, last *int, before *string) domain.PageArgs {
	p := domain.PageArgs{WithTotal: withTotal}
	for _, n := range []struct {
		given *int
		to    *int
	}{{first, &p.First}, {last, &p.Last}} {
		if n.given != nil {
			*n.to = *n.given
			if *n.to == 0 {
				*n.to = -1 // asked for nothing: refused by the store's bounds check
			}
		}
	}
	if after != nil {
		p.After = *after
	}
	if before != nil {
		p.Before = *before
	}
	return p
}

// connect loads a page's nodes and builds its edges and page info.
func connect[T domain.Node, E any](ctx context.Context, r *Resolver, page domain.Page, err error, edge func(cursor string, node T) E) ([]E, *model.PageInfo, int, error) {
	if err != nil {
		return nil, nil, 0, err
	}
	var nodes []T
	if selects(ctx, "edges") {
		read := nodeList[T]
		if fc := graphql.GetFieldContext(ctx); fc != nil && fc.Object == "Query" {
			read = nodesNow[T] // a root list has no siblings to wait for
		}
		if nodes, err = read(ctx, r, page.IDs); err != nil {
			return nil, nil, 0, err
		}
		r.planBelow(ctx, asNodes(nodes), "edges", "node")
	}
	edges := make([]E, len(nodes))
	for i, n := range nodes {
		edges[i] = edge(page.Cursors[i], n)
	}
	return edges, pageInfo(page), page.Total, nil
}

func pageInfo(page domain.Page) *model.PageInfo {
	info := &model.PageInfo{HasNextPage: page.HasNext, HasPreviousPage: page.HasPrevious}
	if len(page.Cursors) > 0 {
		info.StartCursor = &page.Cursors[0]
		info.EndCursor = &page.Cursors[len(page.Cursors)-1]
	}
	return info
}

// bySlug fetches a thing by slug for a nullable root field: a missing slug
// is null, not an error.
func bySlug[T domain.Node](ctx context.Context, r *Resolver, kind domain.Kind, slug string) (T, error) {
	var zero T
	n, err := r.Store.ThingBySlug(ctx, kind, slug)
	if err != nil || n == nil {
		return zero, err
	}
	r.load(ctx).nodes.Prime(n.NodeID(), n)
	t, ok := n.(T)
	if !ok {
		return zero, nil
	}
	r.planBelow(ctx, []domain.Node{n})
	return t, nil
}

func asNodes[T domain.Node](items []T) []domain.Node {
	out := make([]domain.Node, len(items))
	for i, it := range items {
		out[i] = it
	}
	return out
}

// nodesByGlobalID reads nodes by their API IDs, in order, nil for any that
// is gone: one read a kind, not one a node. An ID that is not one this API
// gave out is an error.
func (r *Resolver) nodesByGlobalID(ctx context.Context, ids []string) ([]domain.Node, error) {
	type ref struct {
		kind domain.Kind
		id   int64
	}
	refs := make([]ref, len(ids))
	byKind := map[domain.Kind][]int64{}
	var kinds []domain.Kind
	for i, id := range ids {
		kind, num, err := domain.ParseGlobalID(id)
		if err != nil {
			return nil, err
		}
		if _, ok := byKind[kind]; !ok {
			kinds = append(kinds, kind)
		}
		byKind[kind] = append(byKind[kind], num)
		refs[i] = ref{kind, num}
	}
	// Keyed by kind too: an ID whose kind is not its node's names nothing.
	found := map[ref]domain.Node{}
	for _, kind := range kinds {
		nodes, err := r.Store.NodesOfKind(ctx, kind, byKind[kind])
		if err != nil {
			return nil, err
		}
		for i, n := range nodes {
			if n != nil {
				found[ref{kind, byKind[kind][i]}] = n
				r.load(ctx).nodes.Prime(byKind[kind][i], n)
			}
		}
	}
	out := make([]domain.Node, len(ids))
	var planned []domain.Node
	for i, rf := range refs {
		if n := found[rf]; n != nil {
			out[i] = n
			planned = append(planned, n)
		}
	}
	r.planBelow(ctx, planned)
	return out, nil
}

// node reads one node of any kind by ID through the loader; nil when there
// is none.
func (r *Resolver) node(ctx context.Context, id int64) (domain.Node, error) {
	return r.load(ctx).nodes.Load(ctx, id)
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

// nodesNow reads nodes by ID straight from the store, in order, leaving
// out any that are gone, and primes the loader with them: one read, with no
// wait for keys that will not come.
func nodesNow[T domain.Node](ctx context.Context, r *Resolver, ids []int64) ([]T, error) {
	nodes, err := r.Store.Nodes(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(nodes))
	for i, n := range nodes {
		if n != nil {
			r.load(ctx).nodes.Prime(ids[i], n)
			out = append(out, n.(T))
		}
	}
	return out, nil
}

// nodeList reads nodes by ID through the loader, in order, leaving out any
// that are gone.
func nodeList[T domain.Node](ctx context.Context, r *Resolver, ids []int64) ([]T, error) {
	nodes, err := r.load(ctx).nodes.LoadAll(ctx, ids)
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
	credits, err := r.load(ctx).creditsOfWork.Load(ctx, work)
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

// sourcesOf lists the sources a node cites.
func (r *Resolver) sourcesOf(ctx context.Context, id int64) ([]*domain.Source, error) {
	ids, err := r.load(ctx).citedSources.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	return nodeList[*domain.Source](ctx, r, ids)
}

// recordsAbout lists the records that name a thing.
func (r *Resolver) recordsAbout(ctx context.Context, id int64) ([]*domain.Record, error) {
	ids, err := r.load(ctx).recordsAbout.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	return nodeList[*domain.Record](ctx, r, ids)
}

// selects reports whether the client selected a field of the value the
// current resolver returns, so that work nobody asked for is skipped.
func selects(ctx context.Context, field string) bool {
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		if f.Name == field {
			return true
		}
	}
	return false
}

// The connections every act has, shared by artists and groups.

// Lists the planner reads ahead, named once for it and the resolvers: the
// name and the list's own arguments (a filter) key the loader of its pages.
const (
	listActCredits         = "creditsOfActs"
	listGroupMembers       = "membershipsOfGroups"
	listActAwardResults    = "awardResultsOfActs"
	listActPerformances    = "performancesOfActs"
	listAwardResults       = "awardResultsOfAwards"
	listEventPerformances  = "performancesOfEvents"
	listChartRuns          = "chartRunsOfCharts"
	listPlatformMilestones = "milestonesOfPlatforms"
)

func (r *Resolver) actCreditPages(role string) pageFetch {
	return func(ctx context.Context, acts []int64, p domain.PageArgs) (map[int64]domain.Page, error) {
		return r.Store.CreditsOfActs(ctx, acts, role, p)
	}
}

func (r *Resolver) actAwardResultPages(f domain.AwardResultFilter) pageFetch {
	return func(ctx context.Context, acts []int64, p domain.PageArgs) (map[int64]domain.Page, error) {
		return r.Store.AwardResultsOfActs(ctx, acts, f, p)
	}
}

func (r *Resolver) awardResultPages(f domain.AwardResultFilter) pageFetch {
	return func(ctx context.Context, awards []int64, p domain.PageArgs) (map[int64]domain.Page, error) {
		return r.Store.AwardResultsOfAwards(ctx, awards, f, p)
	}
}

func (r *Resolver) actPerformancePages(f domain.PerformanceFilter) pageFetch {
	return func(ctx context.Context, acts []int64, p domain.PageArgs) (map[int64]domain.Page, error) {
		return r.Store.PerformancesOfActs(ctx, acts, f, p)
	}
}

func (r *Resolver) actCredits(ctx context.Context, act int64, role *model.CreditRole, first *int, after *string) (*model.CreditConnection, error) {
	page, err := r.load(ctx).page(ctx, listActCredits, roleFilter(role), act, pageArgs(ctx, first, after), r.actCreditPages(roleFilter(role)))
	edges, info, total, err := connect(ctx, r, page, err, func(c string, n *domain.Credit) *model.CreditEdge { return &model.CreditEdge{Cursor: c, Node: n} })
	return &model.CreditConnection{Edges: edges, PageInfo: info, TotalCount: total}, err
}

func (r *Resolver) actAwardResults(ctx context.Context, act int64, result *model.AwardOutcome, year *int, first *int, after *string) (*model.AwardResultConnection, error) {
	f := awardFilter(result, year)
	page, err := r.load(ctx).page(ctx, listActAwardResults, f, act, pageArgs(ctx, first, after), r.actAwardResultPages(f))
	edges, info, total, err := connect(ctx, r, page, err, func(c string, n *domain.AwardResult) *model.AwardResultEdge {
		return &model.AwardResultEdge{Cursor: c, Node: n}
	})
	return &model.AwardResultConnection{Edges: edges, PageInfo: info, TotalCount: total}, err
}

func (r *Resolver) actPerformances(ctx context.Context, act int64, eventKind *model.EventKind, from, to *domain.Date, first *int, after *string) (*model.PerformanceConnection, error) {
	f := performanceFilter(eventKind, from, to)
	page, err := r.load(ctx).page(ctx, listActPerformances, f, act, pageArgs(ctx, first, after), r.actPerformancePages(f))
	edges, info, total, err := connect(ctx, r, page, err, func(c string, n *domain.Performance) *model.PerformanceEdge {
		return &model.PerformanceEdge{Cursor: c, Node: n}
	})
	return &model.PerformanceConnection{Edges: edges, PageInfo: info, TotalCount: total}, err
}

func (r *Resolver) actTimeline(ctx context.Context, act domain.Act, from, to *domain.Date, kinds []model.TimelineEntryKind, first *int, after *string) (*model.TimelineConnection, error) {
	entries, err := r.timeline(ctx, act)
	if err != nil {
		return nil, err
	}
	return timelinePage(entries, from, to, kinds, pageArgs(ctx, first, after))
}

// orDefault reads an optional argument a client may have set to null.
func orDefault[T any](v *T, fallback T) T {
	if v == nil {
		return fallback
	}
	return *v
}

// linkedAs loads the facts of one kind that join a thing in one role, as
// their Go type.
func linkedAs[T domain.Node](ctx context.Context, r *Resolver, kind domain.Kind, role string, thing int64) ([]T, error) {
	nodes, err := r.load(ctx).linked(ctx, kind, role, thing)
	out := make([]T, 0, len(nodes))
	for _, n := range nodes {
		if t, ok := n.(T); ok {
			out = append(out, t)
		}
	}
	return out, err
}

// alive reports whether an act lives today: a group does, an artist until
// a death date.
func (r *Resolver) alive(ctx context.Context, act int64) (bool, error) {
	n, err := r.node(ctx, act)
	if a, ok := n.(*domain.Artist); ok {
		return a.AliveOn(domain.DateFromTime(time.Now())), err
	}
	return true, err
}

// quantity shows a count a source may give only as a bound.
func quantity(q *domain.Quantity) *model.Quantity {
	if q == nil {
		return nil
	}
	return &model.Quantity{Value: q.Value, Bound: enum[model.QuantityBound](q.Bound), Text: quantityText(*q)}
}
