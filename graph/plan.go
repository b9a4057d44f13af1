package graph

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/graph/model"
)

// Planned reads. When a root field has its nodes, the planner reads the
// whole selection below them before any resolver runs: for each relation
// the query asks for (an artist's memberships, a membership's group, a
// group's members, ...) one read for every parent at that level at once,
// then the nodes those reads name, then the next level. What it reads goes
// into the operation's loaders, so the resolvers below find it there; how
// many statements a query costs depends on its shape, not on the timing of
// goroutines. A field the planner does not know falls back to the loaders'
// batching.

// A relation is one field of an object type that leads to other nodes:
// plan reads it for every parent of a level, primes the loaders the
// field's resolver reads, and returns the nodes below with the selection
// that applies to them.
type relation func(pl *planner, parents []domain.Node, f graphql.CollectedField) ([]level, error)

// level is a set of nodes and the selection to read below them.
type level struct {
	nodes []domain.Node
	sel   ast.SelectionSet
}

// relations declares every relation the planner reads ahead, by GraphQL
// type and field. A field of an interface (Node's sources, Thing's names,
// Work's credits) is declared once under the interface and holds for every
// type that implements it.
var relations = map[string]map[string]relation{
	"Node": {
		"sources": refList(func(pl *planner) refLoader { return refLoader{pl.l.citedSources, pl.r.Store.CitedSourceIDs} }),
	},
	"Thing": {
		"names": owned(func(pl *planner) ownedLoader[*domain.Name] {
			return ownedLoader[*domain.Name]{pl.l.names, pl.r.Store.Names}
		}),
		"records": refList(func(pl *planner) refLoader { return refLoader{pl.l.recordsAbout, pl.r.Store.RecordIDsAbout} }),
	},
	"Artist": {
		"signings": linked(domain.KindSigning, "act"),
		"memberships": ownedNodes(func(pl *planner) ownedLoader[*domain.Membership] {
			return ownedLoader[*domain.Membership]{pl.l.membershipsOf, pl.r.Store.MembershipsOfArtists}
		}),
		"credits":      actCreditsRelation,
		"awardResults": actAwardResultsRelation,
		"performances": actPerformancesRelation,
	},
	"Group": {
		"signings": linked(domain.KindSigning, "act"),
		"formedOn": reference(func(g *domain.Group) []int64 { return []int64{g.FormedOnID} }),
		"members": paged(func(pl *planner, args map[string]any) (string, any, pageFetch, error) {
			return listGroupMembers, nil, pl.r.Store.MembershipsOfGroups, nil
		}),
		"credits":      actCreditsRelation,
		"awardResults": actAwardResultsRelation,
		"performances": actPerformancesRelation,
	},
	"Award": {
		"results": paged(func(pl *planner, args map[string]any) (string, any, pageFetch, error) {
			f := awardFilter(enumArg[model.AwardOutcome](args, "result"), intArg(args, "year"))
			return listAwardResults, f, pl.r.awardResultPages(f), nil
		}),
	},
	"Event": {
		"performances": paged(func(pl *planner, args map[string]any) (string, any, pageFetch, error) {
			return listEventPerformances, nil, pl.r.Store.PerformancesOfEvents, nil
		}),
		"awardResults": linked(domain.KindAwardResult, "ceremony"),
	},
	"Chart": {
		"runs": paged(func(pl *planner, args map[string]any) (string, any, pageFetch, error) {
			return listChartRuns, nil, pl.r.Store.ChartRunsOfCharts, nil
		}),
	},
	"Platform": {
		"milestones": paged(func(pl *planner, args map[string]any) (string, any, pageFetch, error) {
			return listPlatformMilestones, nil, pl.r.Store.MilestonesOfPlatforms, nil
		}),
	},
	"Work": {
		"credits":      ownedNodes(creditsOfWorks),
		"milestones":   ownedNodes(milestonesOfWorks),
		"chartRuns":    ownedNodes(chartRunsOfWorks),
		"awardResults": ownedNodes(awardResultsOfWorks),
		"creditLine":   creditLineRelation,
	},
	"Song": {
		"labels": linked(domain.KindLabelRelease, "work"),
		"tracks": ownedNodes(func(pl *planner) ownedLoader[*domain.Track] {
			return ownedLoader[*domain.Track]{pl.l.tracksOfSong, pl.r.Store.TracksOfSongs}
		}),
		"performances": refList(func(pl *planner) refLoader {
			return refLoader{pl.l.performancesOf, pl.r.Store.PerformanceIDsOfSongs}
		}),
	},
	"Album": {
		"labels": linked(domain.KindLabelRelease, "work"),
		"tracks": ownedNodes(func(pl *planner) ownedLoader[*domain.Track] {
			return ownedLoader[*domain.Track]{pl.l.tracksOfAlbum, pl.r.Store.TracksOfAlbums}
		}),
	},
	"Membership": {
		"artist": reference(func(m *domain.Membership) []int64 { return []int64{m.ArtistID} }),
		"group":  reference(func(m *domain.Membership) []int64 { return []int64{m.GroupID} }),
	},
	"Credit": {
		"act":  reference(func(c *domain.Credit) []int64 { return []int64{c.ActID} }),
		"work": reference(func(c *domain.Credit) []int64 { return []int64{c.WorkID} }),
	},
	"Track": {
		"album": reference(func(t *domain.Track) []int64 { return []int64{t.AlbumID} }),
		"song":  reference(func(t *domain.Track) []int64 { return []int64{t.SongID} }),
	},
	"AwardResult": {
		"award":      reference(func(a *domain.AwardResult) []int64 { return []int64{a.AwardID} }),
		"work":       reference(func(a *domain.AwardResult) []int64 { return []int64{a.WorkID} }),
		"recipients": reference(func(a *domain.AwardResult) []int64 { return a.RecipientIDs }),
		"ceremony":   reference(func(a *domain.AwardResult) []int64 { return []int64{a.CeremonyID} }),
	},
	"Performance": {
		"event":      reference(func(p *domain.Performance) []int64 { return []int64{p.EventID} }),
		"performers": reference(func(p *domain.Performance) []int64 { return p.PerformerIDs }),
	},
	"ChartRun": {
		"chart": reference(func(c *domain.ChartRun) []int64 { return []int64{c.ChartID} }),
		"work":  reference(func(c *domain.ChartRun) []int64 { return []int64{c.WorkID} }),
	},
	"Milestone": {
		"platform": reference(func(m *domain.Milestone) []int64 { return []int64{m.PlatformID} }),
		"work":     reference(func(m *domain.Milestone) []int64 { return []int64{m.WorkID} }),
	},
	"Label": {
		"signings": linked(domain.KindSigning, "label"),
		"releases": linked(domain.KindLabelRelease, "label"),
	},
	"Signing": {
		"label": reference(func(s *domain.Signing) []int64 { return []int64{s.LabelID} }),
		"act":   reference(func(s *domain.Signing) []int64 { return []int64{s.ActID} }),
	},
	"LabelRelease": {
		"label": reference(func(r *domain.LabelRelease) []int64 { return []int64{r.LabelID} }),
		"work":  reference(func(r *domain.LabelRelease) []int64 { return []int64{r.WorkID} }),
	},
}

var (
	actCreditsRelation = paged(func(pl *planner, args map[string]any) (string, any, pageFetch, error) {
		role := roleFilter(enumArg[model.CreditRole](args, "role"))
		return listActCredits, role, pl.r.actCreditPages(role), nil
	})
	actAwardResultsRelation = paged(func(pl *planner, args map[string]any) (string, any, pageFetch, error) {
		f := awardFilter(enumArg[model.AwardOutcome](args, "result"), intArg(args, "year"))
		return listActAwardResults, f, pl.r.actAwardResultPages(f), nil
	})
	actPerformancesRelation = paged(func(pl *planner, args map[string]any) (string, any, pageFetch, error) {
		from, err := dateArg(args, "from")
		if err != nil {
			return "", nil, nil, err
		}
		to, err := dateArg(args, "to")
		f := performanceFilter(enumArg[model.EventKind](args, "eventKind"), from, to)
		return listActPerformances, f, pl.r.actPerformancePages(f), err
	})
)

// creditLineRelation reads what a work's credit line is made of: its
// credits, and the acts billed under their own names.
func creditLineRelation(pl *planner, parents []domain.Node, f graphql.CollectedField) ([]level, error) {
	found, err := readOwned(pl, creditsOfWorks(pl), parents)
	if err != nil {
		return nil, err
	}
	var acts []int64
	for _, credits := range found {
		for _, c := range credits {
			if c.CreditedAs == "" {
				acts = append(acts, c.ActID)
			}
		}
	}
	_, err = pl.nodes(acts, "Act")
	return nil, err
}

func creditsOfWorks(pl *planner) ownedLoader[*domain.Credit] {
	return ownedLoader[*domain.Credit]{pl.l.creditsOfWork, pl.r.Store.CreditsOfWorks}
}

func milestonesOfWorks(pl *planner) ownedLoader[*domain.Milestone] {
	return ownedLoader[*domain.Milestone]{pl.l.milestonesOfWork, pl.r.Store.MilestonesOfWorks}
}

func chartRunsOfWorks(pl *planner) ownedLoader[*domain.ChartRun] {
	return ownedLoader[*domain.ChartRun]{pl.l.chartRunsOfWork, pl.r.Store.ChartRunsOfWorks}
}

func awardResultsOfWorks(pl *planner) ownedLoader[*domain.AwardResult] {
	return ownedLoader[*domain.AwardResult]{pl.l.awardResultsOf, pl.r.Store.AwardResultsOfWorks}
}

// relationOf finds the relation declared for a field of a type: its own,
// or one declared under an interface the type implements.
func relationOf(typ, field string) (relation, bool) {
	if rel, ok := relations[typ][field]; ok {
		return rel, true
	}
	for _, i := range parsedSchema.GetImplements(parsedSchema.Types[typ]) {
		if rel, ok := relations[i.Name][field]; ok {
			return rel, true
		}
	}
	return nil, false
}

// planner reads ahead for one root field.
type planner struct {
	ctx context.Context
	r   *Resolver
	l   *loaders
	op  *graphql.OperationContext
	// known holds the nodes read so far (nil for one that is gone), so
	// that none is read twice.
	known map[int64]domain.Node
}

// planBelow reads ahead what the current root field selects below the
// nodes it returns; path leads from the field to them ("edges", "node" for
// a connection). A failed read is left to the resolvers, which report it
// at its place in the answer.
func (r *Resolver) planBelow(ctx context.Context, nodes []domain.Node, path ...string) {
	l, ok := ctx.Value(loadersKey{}).(*loaders)
	fc := graphql.GetFieldContext(ctx)
	if !ok || !l.plan || fc == nil || fc.Object != "Query" || len(nodes) == 0 || !graphql.HasOperationContext(ctx) {
		return
	}
	pl := &planner{ctx: ctx, r: r, l: l, op: graphql.GetOperationContext(ctx), known: map[int64]domain.Node{}}
	for _, n := range nodes {
		pl.known[n.NodeID()] = n
	}
	sets := []ast.SelectionSet{fc.Field.Selections}
	typ := fc.Field.Definition.Type.Name()
	for _, name := range path {
		var next []ast.SelectionSet
		for _, set := range sets {
			for _, f := range graphql.CollectFields(pl.op, set, []string{typ}) {
				if f.Name == name {
					next = append(next, f.Selections)
					typ = f.Definition.Type.Name()
				}
			}
		}
		sets = next
	}
	for _, set := range sets {
		pl.walk(level{nodes, set})
	}
}

// walk reads every planned relation the selection asks for on the nodes,
// then the levels below.
func (pl *planner) walk(lv level) {
	if pl.ctx.Err() != nil {
		return
	}
	byType := map[string][]domain.Node{}
	var types []string
	seen := map[int64]bool{}
	for _, n := range lv.nodes {
		if seen[n.NodeID()] {
			continue
		}
		seen[n.NodeID()] = true
		t := string(n.NodeKind())
		if _, ok := byType[t]; !ok {
			types = append(types, t)
		}
		byType[t] = append(byType[t], n)
	}
	for _, t := range types {
		def := parsedSchema.Types[t]
		satisfies := []string{t}
		for _, i := range parsedSchema.GetImplements(def) {
			satisfies = append(satisfies, i.Name)
		}
		for _, f := range graphql.CollectFields(pl.op, lv.sel, satisfies) {
			rel, ok := relationOf(t, f.Name)
			if !ok {
				continue
			}
			below, err := rel(pl, byType[t], f)
			if err != nil {
				continue
			}
			for _, next := range below {
				if len(next.nodes) > 0 {
					pl.walk(next)
				}
			}
		}
	}
}

// nodes returns the nodes with these IDs in order, leaving out any that
// are gone; typ is the GraphQL type of the field that names them. Those not
// read yet are read at once and primed in the loader.
func (pl *planner) nodes(ids []int64, typ string) ([]domain.Node, error) {
	var missing []int64
	for _, id := range ids {
		if _, ok := pl.known[id]; !ok {
			pl.known[id] = nil
			missing = append(missing, id)
		}
	}
	// At most one read for each kind the field's type may be (a Work is a
	// song or an album), whatever kinds the data holds. (A planned field's
	// type is one of at most three kinds; plan_test.go checks.)
	var kinds []domain.Kind
	if def := parsedSchema.Types[typ]; def != nil {
		for _, d := range parsedSchema.GetPossibleTypes(def) {
			kinds = append(kinds, domain.Kind(d.Name))
		}
	}
	for _, kind := range kinds {
		if len(missing) == 0 {
			break
		}
		found, err := pl.r.Store.NodesOfKind(pl.ctx, kind, missing)
		if err != nil {
			return nil, err
		}
		rest := missing[:0:0]
		for i, id := range missing {
			if found[i] == nil {
				rest = append(rest, id)
				continue
			}
			pl.known[id] = found[i]
			pl.l.nodes.Prime(id, found[i])
		}
		missing = rest
	}
	for _, id := range missing {
		pl.l.nodes.Prime(id, nil) // gone: its resolver need not look again
	}
	out := make([]domain.Node, 0, len(ids))
	for _, id := range ids {
		if n := pl.known[id]; n != nil {
			out = append(out, n)
		}
	}
	return out, nil
}

func ids(nodes []domain.Node) []int64 {
	out := make([]int64, len(nodes))
	for i, n := range nodes {
		out[i] = n.NodeID()
	}
	return out
}

// reference declares a field that names other nodes by ID (a membership's
// group, a performance's performers): the nodes of a level are read at once.
func reference[P domain.Node](idsOf func(P) []int64) relation {
	return func(pl *planner, parents []domain.Node, f graphql.CollectedField) ([]level, error) {
		var want []int64
		for _, p := range parents {
			for _, id := range idsOf(p.(P)) {
				if id != 0 {
					want = append(want, id)
				}
			}
		}
		nodes, err := pl.nodes(want, f.Definition.Type.Name())
		return []level{{nodes, f.Selections}}, err
	}
}

// linked declares a field that lists the facts of one kind joining the
// parent in one role (a label's signings), read through the links every
// fact keeps: for every parent at once, then walked below.
func linked(kind domain.Kind, role string) relation {
	return func(pl *planner, parents []domain.Node, f graphql.CollectedField) ([]level, error) {
		found, err := pl.r.Store.FactsLinking(pl.ctx, kind, role, ids(parents))
		if err != nil {
			return nil, err
		}
		loader := pl.l.linkedLoader(kind, role)
		var below []domain.Node
		for _, p := range parents {
			facts := found[p.NodeID()]
			loader.Prime(p.NodeID(), facts)
			for _, n := range facts {
				pl.known[n.NodeID()] = n
				pl.l.nodes.Prime(n.NodeID(), n)
				below = append(below, n)
			}
		}
		return []level{{below, f.Selections}}, nil
	}
}

// ownedLoader is a list each parent owns, read for many parents at once,
// and the loader its resolver reads.
type ownedLoader[T any] struct {
	loader interface{ Prime(int64, []T) bool }
	fetch  func(context.Context, []int64) (map[int64][]T, error)
}

// owned declares a field that lists values each parent owns (its names).
func owned[T any](of func(*planner) ownedLoader[T]) relation {
	return func(pl *planner, parents []domain.Node, f graphql.CollectedField) ([]level, error) {
		_, err := readOwned(pl, of(pl), parents)
		return nil, err
	}
}

// ownedNodes declares a field that lists the facts a parent holds (a
// work's credits): read for every parent at once, then walked below.
func ownedNodes[T domain.Node](of func(*planner) ownedLoader[T]) relation {
	return func(pl *planner, parents []domain.Node, f graphql.CollectedField) ([]level, error) {
		found, err := readOwned(pl, of(pl), parents)
		if err != nil {
			return nil, err
		}
		var below []domain.Node
		for _, p := range parents {
			for _, n := range found[p.NodeID()] {
				pl.known[n.NodeID()] = n
				pl.l.nodes.Prime(n.NodeID(), n)
				below = append(below, n)
			}
		}
		return []level{{below, f.Selections}}, nil
	}
}

func readOwned[T any](pl *planner, o ownedLoader[T], parents []domain.Node) (map[int64][]T, error) {
	found, err := o.fetch(pl.ctx, ids(parents))
	if err != nil {
		return nil, err
	}
	for _, p := range parents {
		o.loader.Prime(p.NodeID(), found[p.NodeID()])
	}
	return found, nil
}

// refLoader is a list of other nodes' IDs each parent keeps (the sources
// a node cites), read for many parents at once, and the loader its
// resolver reads.
type refLoader struct {
	loader interface{ Prime(int64, []int64) bool }
	fetch  func(context.Context, []int64) (map[int64][]int64, error)
}

// refList declares a field that lists other nodes by the IDs each parent
// keeps: the lists of a level in one read, then their nodes in one read a
// kind.
func refList(of func(*planner) refLoader) relation {
	return func(pl *planner, parents []domain.Node, f graphql.CollectedField) ([]level, error) {
		o := of(pl)
		found, err := o.fetch(pl.ctx, ids(parents))
		if err != nil {
			return nil, err
		}
		var want []int64
		for _, p := range parents {
			o.loader.Prime(p.NodeID(), found[p.NodeID()])
			want = append(want, found[p.NodeID()]...)
		}
		nodes, err := pl.nodes(want, f.Definition.Type.Name())
		return []level{{nodes, f.Selections}}, err
	}
}

type pageFetch = func(context.Context, []int64, domain.PageArgs) (map[int64]domain.Page, error)

// paged declares a connection each parent has (an act's credits): list
// names the list and its filter from the field's arguments, as the
// field's resolver does; one page for every parent is read at once, then
// the nodes of the pages, which the selection under edges.node walks.
func paged(list func(pl *planner, args map[string]any) (name string, filter any, fetch pageFetch, err error)) relation {
	return func(pl *planner, parents []domain.Node, f graphql.CollectedField) ([]level, error) {
		args := f.ArgumentMap(pl.op.Variables)
		name, filter, fetch, err := list(pl, args)
		if err != nil {
			return nil, err
		}
		withTotal, below, nodeType := false, []ast.SelectionSet{}, ""
		// Collected as the field's resolver collects them (see selects),
		// so that both ask for the same page.
		for _, cf := range graphql.CollectFields(pl.op, f.Selections, nil) {
			switch cf.Name {
			case "totalCount":
				withTotal = true
			case "edges":
				edgeType := cf.Definition.Type.Name()
				for _, ef := range graphql.CollectFields(pl.op, cf.Selections, []string{edgeType}) {
					if ef.Name == "node" {
						below = append(below, ef.Selections)
						nodeType = ef.Definition.Type.Name()
					}
				}
			}
		}
		last := intArg(args, "last")
		first := firstUnlessLast(intArg(args, "first"), last, f.Arguments.ForName("first") != nil)
		p := pageArgsOf(withTotal, first, stringArg(args, "after"), last, stringArg(args, "before"))
		pages, err := fetch(pl.ctx, ids(parents), p)
		if err != nil {
			return nil, err
		}
		loader := pl.l.pagesOf(pageKey{name, filter, p}, fetch)
		var want []int64
		for _, parent := range parents {
			page := pages[parent.NodeID()]
			loader.Prime(parent.NodeID(), page)
			want = append(want, page.IDs...)
		}
		if len(below) == 0 {
			return nil, nil
		}
		nodes, err := pl.nodes(want, nodeType)
		if err != nil {
			return nil, err
		}
		out := make([]level, len(below))
		for i, sel := range below {
			out[i] = level{nodes, sel}
		}
		return out, nil
	}
}

// intArg reads an Int argument as the executor would: a literal comes as
// int64, a variable as a JSON number.
func intArg(args map[string]any, name string) *int {
	var n int64
	switch v := args[name].(type) {
	case int64:
		n = v
	case int:
		n = int64(v)
	case json.Number:
		var err error
		if n, err = v.Int64(); err != nil {
			return nil
		}
	case float64:
		n = int64(v)
	default:
		return nil
	}
	i := int(n)
	return &i
}

func stringArg(args map[string]any, name string) *string {
	if s, ok := args[name].(string); ok {
		return &s
	}
	return nil
}

// dateArg reads a PartialDate argument, as the scalar's unmarshaller does.
func dateArg(args map[string]any, name string) (*domain.Date, error) {
	s, ok := args[name].(string)
	if !ok {
		return nil, nil
	}
	d, err := domain.ParseDate(s)
	return &d, err
}

func enumArg[E ~string](args map[string]any, name string) *E {
	if s, ok := args[name].(string); ok {
		e := E(strings.ToUpper(s))
		return &e
	}
	return nil
}
