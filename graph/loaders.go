package graph

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vikstrous/dataloadgen"

	"github.com/artistgraph/artistgraph/domain"
)

// DefaultBatchWait is how long a loader collects keys before it reads them
// in one statement. gqlgen starts the resolvers of sibling objects together,
// so a short wait gathers a whole level of a query.
const DefaultBatchWait = 250 * time.Microsecond

// loaders batch the reads of one operation: each resolver asks for one key,
// and the keys asked for together become one statement. They also cache, so
// a node reached twice in one operation is read once.
type loaders struct {
	store domain.Store
	wait  time.Duration
	// plan is whether root fields read ahead what is selected below them
	// (see plan.go).
	plan bool

	nodes            *dataloadgen.Loader[int64, domain.Node]
	names            *dataloadgen.Loader[int64, []*domain.Name]
	citedSources     *dataloadgen.Loader[int64, []int64]
	recordsAbout     *dataloadgen.Loader[int64, []int64]
	performancesOf   *dataloadgen.Loader[int64, []int64]
	membershipsOf    *dataloadgen.Loader[int64, []*domain.Membership]
	creditsOfWork    *dataloadgen.Loader[int64, []*domain.Credit]
	tracksOfAlbum    *dataloadgen.Loader[int64, []*domain.Track]
	tracksOfSong     *dataloadgen.Loader[int64, []*domain.Track]
	awardResultsOf   *dataloadgen.Loader[int64, []*domain.AwardResult]
	chartRunsOfWork  *dataloadgen.Loader[int64, []*domain.ChartRun]
	milestonesOfWork *dataloadgen.Loader[int64, []*domain.Milestone]
	timelines        *dataloadgen.Loader[int64, []domain.TimelineEntry]
	steps            *dataloadgen.Loader[stepsKey, []domain.Step]
	mu               sync.Mutex
	pages            map[pageKey]*dataloadgen.Loader[int64, domain.Page]
	linking          map[linkKey]*dataloadgen.Loader[int64, []domain.Node]
}

// linkKey names the facts of one kind that join things in one role (a
// label's signings: KindSigning, "label").
type linkKey struct {
	kind domain.Kind
	role string
}

// pageKey names the pages of one list asked for with the same arguments:
// filter is the list's own arguments (a role, a date range), comparable.
type pageKey struct {
	list   string
	filter any
	args   domain.PageArgs
}

// stepsKey asks for the facts of one thing, of some kinds (a sorted,
// comma-joined list; all when empty).
type stepsKey struct {
	id    int64
	kinds string
}

// each makes a loader from a store read of one key: it reads each key of a
// batch in turn, once per operation however often the key is asked for,
// for reads too costly to repeat (a prolific act's whole timeline).
func each[K comparable, V any](wait time.Duration, fetch func(context.Context, K) (V, error)) *dataloadgen.Loader[K, V] {
	return dataloadgen.NewLoader(func(ctx context.Context, keys []K) ([]V, []error) {
		out := make([]V, len(keys))
		errs := make([]error, len(keys))
		for i, k := range keys {
			out[i], errs[i] = fetch(ctx, k)
		}
		return out, errs
	}, dataloadgen.WithWait(wait))
}

// mapped makes a loader from a store read that answers many keys with a map.
func mapped[V any](wait time.Duration, fetch func(context.Context, []int64) (map[int64]V, error)) *dataloadgen.Loader[int64, V] {
	return dataloadgen.NewLoader(func(ctx context.Context, keys []int64) ([]V, []error) {
		found, err := fetch(ctx, keys)
		if err != nil {
			return nil, []error{err}
		}
		out := make([]V, len(keys))
		for i, k := range keys {
			out[i] = found[k]
		}
		return out, nil
	}, dataloadgen.WithWait(wait))
}

func newLoaders(store domain.Store, wait time.Duration, plan bool) *loaders {
	return &loaders{
		store: store,
		wait:  wait,
		plan:  plan,
		nodes: dataloadgen.NewLoader(func(ctx context.Context, ids []int64) ([]domain.Node, []error) {
			nodes, err := store.Nodes(ctx, ids)
			if err != nil {
				return nil, []error{err}
			}
			return nodes, nil
		}, dataloadgen.WithWait(wait)),
		names:            mapped(wait, store.Names),
		citedSources:     mapped(wait, store.CitedSourceIDs),
		recordsAbout:     mapped(wait, store.RecordIDsAbout),
		performancesOf:   mapped(wait, store.PerformanceIDsOfSongs),
		membershipsOf:    mapped(wait, store.MembershipsOfArtists),
		creditsOfWork:    mapped(wait, store.CreditsOfWorks),
		tracksOfAlbum:    mapped(wait, store.TracksOfAlbums),
		tracksOfSong:     mapped(wait, store.TracksOfSongs),
		awardResultsOf:   mapped(wait, store.AwardResultsOfWorks),
		chartRunsOfWork:  mapped(wait, store.ChartRunsOfWorks),
		milestonesOfWork: mapped(wait, store.MilestonesOfWorks),
		timelines:        each(wait, store.Timeline),
		steps: each(wait, func(ctx context.Context, k stepsKey) ([]domain.Step, error) {
			var kinds []domain.Kind
			for _, name := range strings.Split(k.kinds, ",") {
				if name != "" {
					kinds = append(kinds, domain.Kind(name))
				}
			}
			steps, _, err := store.Steps(ctx, []int64{k.id}, kinds, maxRelatedSteps)
			return steps, err
		}),
		pages:   map[pageKey]*dataloadgen.Loader[int64, domain.Page]{},
		linking: map[linkKey]*dataloadgen.Loader[int64, []domain.Node]{},
	}
}

// linked loads the facts of one kind that join a thing in one role,
// batched with the same facts of sibling things: the relation read any kind
// of fact has through the links every fact keeps (Store.FactsLinking).
func (l *loaders) linked(ctx context.Context, kind domain.Kind, role string, thing int64) ([]domain.Node, error) {
	return l.linkedLoader(kind, role).Load(ctx, thing)
}

func (l *loaders) linkedLoader(kind domain.Kind, role string) *dataloadgen.Loader[int64, []domain.Node] {
	key := linkKey{kind, role}
	l.mu.Lock()
	defer l.mu.Unlock()
	loader, ok := l.linking[key]
	if !ok {
		loader = mapped(l.wait, func(ctx context.Context, things []int64) (map[int64][]domain.Node, error) {
			return l.store.FactsLinking(ctx, kind, role, things)
		})
		l.linking[key] = loader
	}
	return loader
}

// page loads one page of a per-parent list, batched with the same list of
// sibling parents asked for with the same arguments.
func (l *loaders) page(ctx context.Context, list string, filter any, parent int64, p domain.PageArgs, fetch func(context.Context, []int64, domain.PageArgs) (map[int64]domain.Page, error)) (domain.Page, error) {
	return l.pagesOf(pageKey{list, filter, p}, fetch).Load(ctx, parent)
}

// pagesOf returns the loader of a list's pages for one set of arguments.
func (l *loaders) pagesOf(key pageKey, fetch func(context.Context, []int64, domain.PageArgs) (map[int64]domain.Page, error)) *dataloadgen.Loader[int64, domain.Page] {
	l.mu.Lock()
	defer l.mu.Unlock()
	loader, ok := l.pages[key]
	if !ok {
		loader = mapped(l.wait, func(ctx context.Context, parents []int64) (map[int64]domain.Page, error) {
			return fetch(ctx, parents, key.args)
		})
		l.pages[key] = loader
	}
	return loader
}

type loadersKey struct{}

// DataLoaders is a gqlgen extension that gives each operation its own
// loaders, so batching and caching never cross requests.
type DataLoaders struct {
	Store domain.Store
	// Wait is how long loaders gather keys; DefaultBatchWait when zero.
	Wait time.Duration
	// Unplanned turns off reading ahead (plan.go), leaving every read to
	// the loaders: for comparing answers and costs, not for serving.
	Unplanned bool
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
} = DataLoaders{}

// ExtensionName names the extension for gqlgen.
func (DataLoaders) ExtensionName() string { return "DataLoaders" }

// Validate accepts any schema.
func (DataLoaders) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation puts fresh loaders in the operation's context, and
// keeps the operation's reads within its share of the read pool.
func (d DataLoaders) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	wait := d.Wait
	if wait == 0 {
		wait = DefaultBatchWait
	}
	return next(context.WithValue(d.Store.ShareReads(ctx), loadersKey{}, newLoaders(d.Store, wait, !d.Unplanned)))
}

// load returns the operation's loaders. Without the DataLoaders extension
// every call gets fresh ones: correct, but nothing is batched.
func (r *Resolver) load(ctx context.Context) *loaders {
	if l, ok := ctx.Value(loadersKey{}).(*loaders); ok {
		return l
	}
	return newLoaders(r.Store, time.Nanosecond, false)
}
