package graph

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/graph/model"
)

// Limits on the graph queries, so that one request cannot walk the whole graph.
const (
	maxPathDepth   = 6
	maxPathLimit   = 20
	maxPathVisited = 20_000
	// maxStepsPerThing is how many facts of one thing a path search
	// follows: a hub (a platform, a prolific act) is cut there.
	maxStepsPerThing = 100
)

// timeline builds an act's career in date order. A group's holds, besides
// its own facts, what each member did while a member, marked with ViaID.
func (r *Resolver) timeline(ctx context.Context, act domain.Act) ([]domain.TimelineEntry, error) {
	id := act.NodeID()
	own, err := r.load(ctx).timelines.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	entries := slices.Clone(own) // the loader's copy is shared within the operation
	if _, ok := act.(*domain.Group); ok {
		own := map[[2]any]bool{}
		for _, e := range entries {
			own[[2]any{e.Kind, e.FactID}] = true
		}
		members, err := r.Store.AllMembershipsOfGroups(ctx, []int64{id})
		if err != nil {
			return nil, err
		}
		for _, m := range members[id] {
			theirs, err := r.load(ctx).timelines.Load(ctx, m.ArtistID)
			if err != nil {
				return nil, err
			}
			for _, e := range theirs {
				if e.Kind == "birth" || e.Kind == "death" || own[[2]any{e.Kind, e.FactID}] || !e.Date.Overlaps(m.Start, m.End) {
					continue
				}
				e.ViaID = m.ArtistID
				own[[2]any{e.Kind, e.FactID}] = true
				entries = append(entries, e)
			}
		}
	}
	slices.SortFunc(entries, domain.CompareTimelineEntries)
	return entries, nil
}

type timelineCursor struct {
	Date    string `json:"d"`
	Kind    string `json:"k"`
	Fact    int64  `json:"f"`
	Act     int64  `json:"a"`
	Subject int64  `json:"s"`
}

func timelineCursorOf(e domain.TimelineEntry) string {
	b, _ := json.Marshal(timelineCursor{e.Date.String(), e.Kind, e.FactID, e.ActID, e.SubjectID})
	return base64.RawURLEncoding.EncodeToString(b)
}

// timelinePage filters sorted entries and cuts a keyset page from them,
// from the start (first) or from the end (last), between the cursors.
func timelinePage(entries []domain.TimelineEntry, from, to *domain.Date, kinds []model.TimelineEntryKind, p domain.PageArgs) (*model.TimelineConnection, error) {
	size, fromEnd := p.First, p.Last != 0
	switch {
	case p.First != 0 && p.Last != 0:
		return nil, domain.Errorf(domain.EINVALID, "first and last: give one of them, not both")
	case fromEnd:
		size = p.Last
	case size == 0:
		size = domain.MaxPageSize
	}
	if size < 1 || size > domain.MaxPageSize {
		return nil, domain.Errorf(domain.EINVALID, "first or last: must be between 1 and %d", domain.MaxPageSize)
	}
	var lo, hi domain.Date
	if from != nil {
		lo = *from
	}
	if to != nil {
		hi = *to
	}
	wanted := func(e domain.TimelineEntry) bool {
		return e.Date.Overlaps(lo, hi) && (len(kinds) == 0 || slices.Contains(kinds, enum[model.TimelineEntryKind](e.Kind)))
	}
	var kept []domain.TimelineEntry
	for _, e := range entries {
		if wanted(e) {
			kept = append(kept, e)
		}
	}
	start, end := 0, len(kept)
	for _, c := range []struct {
		name, cursor string
		after        bool
	}{{"after", p.After, true}, {"before", p.Before, false}} {
		if c.cursor == "" {
			continue
		}
		at, err := timelineCursorAt(c.name, c.cursor)
		if err != nil {
			return nil, err
		}
		// The first entry past the cursor: the page starts there after
		// it, and ends there before it.
		i, _ := slices.BinarySearchFunc(kept, at, domain.CompareTimelineEntries)
		if c.after {
			for i < len(kept) && domain.CompareTimelineEntries(kept[i], at) <= 0 {
				i++
			}
			start = max(start, i)
		} else {
			end = min(end, i)
		}
	}
	end = max(start, end)
	if fromEnd {
		start = max(start, end-size)
	} else {
		end = min(end, start+size)
	}
	conn := &model.TimelineConnection{TotalCount: len(kept), PageInfo: &model.PageInfo{HasPreviousPage: start > 0, HasNextPage: end < len(kept)}}
	for i := start; i < end; i++ {
		e := kept[i]
		conn.Edges = append(conn.Edges, &model.TimelineEdge{Cursor: timelineCursorOf(e), Node: &e})
	}
	if len(conn.Edges) > 0 {
		conn.PageInfo.StartCursor = &conn.Edges[0].Cursor
		conn.PageInfo.EndCursor = &conn.Edges[len(conn.Edges)-1].Cursor
	}
	return conn, nil
}

// timelineCursorAt reads a timeline cursor, the argument name.
func timelineCursorAt(name, cursor string) (domain.TimelineEntry, error) {
	var c timelineCursor
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err == nil {
		err = json.Unmarshal(raw, &c)
	}
	d, derr := domain.ParseDate(c.Date)
	if err != nil || derr != nil {
		return domain.TimelineEntry{}, domain.Errorf(domain.EINVALID, "%s: %q is not a cursor this API gave out", name, cursor)
	}
	return domain.TimelineEntry{Date: d, Kind: c.Kind, FactID: c.Fact, ActID: c.Act, SubjectID: c.Subject}, nil
}

// name returns a thing's primary name, or "" for ID 0.
func (r *Resolver) name(ctx context.Context, id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	t, err := nodeAs[domain.AnyThing](ctx, r, id)
	if err != nil || t == nil {
		return "", err
	}
	return t.NodeName(), nil
}

// entryText words a timeline entry as a sentence.
func (r *Resolver) entryText(ctx context.Context, e *domain.TimelineEntry) (string, error) {
	act, err := r.name(ctx, e.ActID)
	if err != nil {
		return "", err
	}
	subject, err := r.name(ctx, e.SubjectID)
	if err != nil {
		return "", err
	}
	var fact domain.Node
	if e.FactID != 0 {
		if fact, err = r.node(ctx, e.FactID); err != nil {
			return "", err
		}
	}
	switch e.Kind {
	case "birth":
		return act + " was born", nil
	case "death":
		return act + " died", nil
	case "formed":
		if subject != "" {
			return act + " was formed on " + subject, nil
		}
		return act + " was formed", nil
	case "hiatus":
		return act + " went on hiatus", nil
	case "return":
		return act + " returned from hiatus", nil
	case "debut":
		return act + " debuted", nil
	case "disbanded":
		return act + " disbanded", nil
	case "joined":
		text := act + " joined " + subject
		if m, ok := fact.(*domain.Membership); ok && len(m.Roles) > 0 {
			text += " as " + strings.Join(m.Roles, " and ")
		}
		return text, nil
	case "left":
		return act + " left " + subject, nil
	case "release":
		c, ok := fact.(*domain.Credit)
		switch {
		case !ok:
			line, err := r.creditLine(ctx, e.SubjectID)
			if err != nil || line == "" {
				return subject + " was released", err
			}
			return subject + " by " + line + " was released", nil
		case c.Role == "primary":
			return act + " released " + subject, nil
		case c.Role == "featured":
			return act + " was featured on " + subject + ", released then", nil
		default:
			return subject + " was released, with " + act + " credited as " + c.Role, nil
		}
	case "chart_entry":
		run, _ := fact.(*domain.ChartRun)
		chart, err := r.name(ctx, run.ChartID)
		if err != nil {
			return "", err
		}
		text := subject + " entered the " + chart
		if run.Peak > 0 {
			text += fmt.Sprintf(", peaking at number %d", run.Peak)
		}
		return text, nil
	case "performance":
		p, _ := fact.(*domain.Performance)
		who := act
		if who == "" {
			names, err := r.names(ctx, p.PerformerIDs)
			if err != nil {
				return "", err
			}
			who = strings.Join(names, " and ")
		}
		text := who + " performed at " + subject
		songs := make([]int64, len(p.SetList))
		for i, s := range p.SetList {
			songs[i] = s.SongID
		}
		if names, err := r.names(ctx, songs); err != nil {
			return "", err
		} else if len(names) > 0 {
			text += ": " + strings.Join(names, ", ")
		}
		return text, nil
	case "award":
		res, _ := fact.(*domain.AwardResult)
		who := act
		if who == "" {
			names, err := r.names(ctx, res.RecipientIDs)
			if err != nil {
				return "", err
			}
			who = strings.Join(names, ", ")
		}
		verb := " won "
		if res.Result == "nominated" {
			verb = " was nominated for "
		}
		text := who + verb + subject
		if res.Category != "" {
			text += " (" + string(res.Category) + ")"
		}
		if res.WorkID != 0 {
			work, err := r.name(ctx, res.WorkID)
			if err != nil {
				return "", err
			}
			text += " for " + work
		}
		return text, nil
	case "milestone":
		m, _ := fact.(*domain.Milestone)
		platform, err := r.name(ctx, m.PlatformID)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%s passed %s %s on %s", subject, humanCount(m.Threshold), m.Metric, platform), nil
	case "record":
		rec, _ := fact.(*domain.Record)
		return rec.Claim, nil
	case "event":
		return subject + " took place", nil
	}
	return e.Kind, nil
}

func (r *Resolver) names(ctx context.Context, ids []int64) ([]string, error) {
	things, err := nodeList[domain.AnyThing](ctx, r, ids)
	out := make([]string, len(things))
	for i, t := range things {
		out[i] = t.NodeName()
	}
	return out, err
}

// humanCount writes 1400000000 as "1.4 billion".
func humanCount(n int64) string {
	for _, u := range []struct {
		size int64
		name string
	}{{1_000_000_000, "billion"}, {1_000_000, "million"}} {
		if n >= u.size && n%(u.size/10) == 0 {
			return strconv.FormatFloat(float64(n)/float64(u.size), 'f', -1, 64) + " " + u.name
		}
	}
	return strconv.FormatInt(n, 10)
}

func factKinds(kinds []model.FactKind) []domain.Kind {
	out := make([]domain.Kind, len(kinds))
	for i, k := range kinds {
		parts := strings.Split(strings.ToLower(string(k)), "_")
		var b strings.Builder
		for _, p := range parts {
			b.WriteString(strings.ToUpper(p[:1]) + p[1:])
		}
		out[i] = domain.Kind(b.String())
	}
	return out
}

func factKindEnum(k domain.Kind) model.FactKind {
	var b strings.Builder
	for i, c := range string(k) {
		if i > 0 && c >= 'A' && c <= 'Z' {
			b.WriteByte('_')
		}
		b.WriteRune(c)
	}
	return model.FactKind(strings.ToUpper(b.String()))
}

// pathStep turns a step into its GraphQL form.
func (r *Resolver) pathStep(ctx context.Context, s domain.Step) (*model.PathStep, error) {
	nodes, err := r.load(ctx).nodes.LoadAll(ctx, []int64{s.From, s.Fact, s.To})
	if err != nil {
		return nil, err
	}
	from, _ := nodes[0].(domain.AnyThing)
	fact, _ := nodes[1].(domain.AnyFact)
	to, _ := nodes[2].(domain.AnyThing)
	if from == nil || fact == nil || to == nil {
		return nil, fmt.Errorf("path step %+v names a node that is gone", s)
	}
	relation := domain.Relation(s.FactKind, s.FromRole, s.ToRole, domain.FactDetail(fact))
	text := from.NodeName() + " " + relation + " " + to.NodeName()
	label, err := r.factLabel(ctx, fact)
	if err != nil {
		return nil, err
	}
	if label != "" {
		text += " (" + label + ")"
	}
	return &model.PathStep{
		From: from, To: to, Fact: fact, FactKind: factKindEnum(s.FactKind), Relation: relation,
		Forward: domain.Forward(s.FactKind, s.FromRole, s.ToRole), Text: text,
	}, nil
}

// factLabel names which fact a step goes through when the relation alone
// does not: the award and category, the event, the claim.
func (r *Resolver) factLabel(ctx context.Context, fact domain.Node) (string, error) {
	switch f := fact.(type) {
	case *domain.AwardResult:
		award, err := r.name(ctx, f.AwardID)
		parts := []string{award}
		if f.Category != "" {
			parts = append(parts, string(f.Category))
		}
		return strings.Join(append(parts, f.Date.String()), ", "), err
	case *domain.Performance:
		event, err := r.name(ctx, f.EventID)
		return event, err
	case *domain.Record:
		return "“" + f.Claim + "”", nil
	}
	return "", nil
}

func (r *Resolver) path(ctx context.Context, fromRef, toRef string, maxDepth, limit *int, kinds []model.FactKind) (*model.PathResult, error) {
	depth, n := 4, 1
	if maxDepth != nil {
		depth = *maxDepth
	}
	if limit != nil {
		n = *limit
	}
	if depth < 1 || depth > maxPathDepth {
		return nil, domain.Errorf(domain.EINVALID, "maxDepth: must be between 1 and %d, not %d", maxPathDepth, depth)
	}
	if n < 1 || n > maxPathLimit {
		return nil, domain.Errorf(domain.EINVALID, "limit: must be between 1 and %d, not %d", maxPathLimit, n)
	}
	fromID, err := r.Store.ResolveThing(ctx, fromRef)
	if err != nil {
		return nil, fieldError("from", err)
	}
	toID, err := r.Store.ResolveThing(ctx, toRef)
	if err != nil {
		return nil, fieldError("to", err)
	}
	walk := factKinds(kinds)
	found, err := domain.ShortestPaths(ctx, fromID, toID, domain.PathSearch{
		MaxDepth: depth, Limit: n, MaxVisited: maxPathVisited,
		Next: func(ctx context.Context, from []int64) ([]domain.Step, bool, error) {
			return r.Store.Steps(ctx, from, walk, maxStepsPerThing)
		},
	})
	if err != nil {
		return nil, err
	}
	ends, err := r.load(ctx).nodes.LoadAll(ctx, []int64{fromID, toID})
	if err != nil {
		return nil, err
	}
	from, to := ends[0].(domain.AnyThing), ends[1].(domain.AnyThing)
	res := &model.PathResult{From: from, To: to, MaxDepth: depth, Exhausted: found.Exhausted, Paths: []*model.Path{}}
	for _, p := range found.Paths {
		path := &model.Path{Length: len(p), Steps: []*model.PathStep{}}
		var texts []string
		for _, s := range p {
			step, err := r.pathStep(ctx, s)
			if err != nil {
				return nil, err
			}
			path.Steps = append(path.Steps, step)
			texts = append(texts, step.Text)
		}
		path.Text = strings.Join(texts, "; ")
		res.Paths = append(res.Paths, path)
	}
	switch {
	case len(res.Paths) > 0 && res.Paths[0].Length == 0:
		res.Text = from.NodeName() + " is the thing itself"
	case len(res.Paths) > 0:
		res.Text = res.Paths[0].Text
	case found.Exhausted:
		res.Text = fmt.Sprintf("No chain of facts found between %s and %s within %d steps, but the search left out some links of things with over %d facts (or stopped after %d things), so one may exist; try fewer fact kinds", from.NodeName(), to.NodeName(), depth, maxStepsPerThing, maxPathVisited)
	default:
		res.Text = fmt.Sprintf("No chain of facts links %s and %s within %d steps", from.NodeName(), to.NodeName(), depth)
	}
	return res, nil
}

// maxRelatedSteps is how many facts of a thing related reads.
const maxRelatedSteps = 5000

// fieldError prefixes a user error with the argument it is about.
func fieldError(field string, err error) error {
	var e *domain.Error
	if de, ok := err.(*domain.Error); ok {
		e = &domain.Error{Code: de.Code, Message: field + ": " + de.Message}
		return e
	}
	return err
}

// related groups the things one step away by kind of fact and wording.
func (r *Resolver) related(ctx context.Context, id int64, kinds []model.FactKind, first *int) ([]*model.RelatedGroup, error) {
	n := domain.DefaultPageSize
	if first != nil {
		n = *first
	}
	if n < 1 || n > domain.MaxPageSize {
		return nil, domain.Errorf(domain.EINVALID, "first: must be between 1 and %d", domain.MaxPageSize)
	}
	names := make([]string, 0, len(kinds))
	for _, k := range factKinds(kinds) {
		names = append(names, string(k))
	}
	slices.Sort(names)
	steps, err := r.load(ctx).steps.Load(ctx, stepsKey{id: id, kinds: strings.Join(slices.Compact(names), ",")})
	if err != nil {
		return nil, err
	}
	factIDs := make([]int64, len(steps))
	for i, s := range steps {
		factIDs[i] = s.Fact
	}
	facts, err := r.load(ctx).nodes.LoadAll(ctx, factIDs)
	if err != nil {
		return nil, err
	}
	type key struct {
		kind     domain.Kind
		relation string
	}
	var order []key
	members := map[key][]int64{}
	for i, s := range steps {
		k := key{s.FactKind, domain.Relation(s.FactKind, s.FromRole, s.ToRole, domain.FactDetail(facts[i]))}
		if _, ok := members[k]; !ok {
			order = append(order, k)
		}
		if !slices.Contains(members[k], s.To) {
			members[k] = append(members[k], s.To)
		}
	}
	groups := make([]*model.RelatedGroup, 0, len(order))
	for _, k := range order {
		things, err := nodeList[domain.AnyThing](ctx, r, members[k])
		if err != nil {
			return nil, err
		}
		slices.SortFunc(things, func(a, b domain.AnyThing) int { return strings.Compare(a.NodeName(), b.NodeName()) })
		groups = append(groups, &model.RelatedGroup{FactKind: factKindEnum(k.kind), Relation: k.relation, TotalCount: len(things), Things: things[:min(n, len(things))]})
	}
	return groups, nil
}

// race ranks the works that reached a milestone by days from release: the
// first places as GraphQL entries, and every place with its work.
func (r *Resolver) race(ctx context.Context, platform int64, metric string, threshold int64, first int) (*model.StreamingRace, []raced, error) {
	p, err := nodeAs[*domain.Platform](ctx, r, platform)
	if err != nil || p == nil {
		return nil, nil, err
	}
	entries, err := r.Store.Race(ctx, platform, metric, threshold)
	if err != nil {
		return nil, nil, err
	}
	race := &model.StreamingRace{Platform: p, Metric: enum[model.MilestoneMetric](metric), Threshold: threshold, Entries: []*model.RaceEntry{}, Unranked: []*domain.Milestone{}}
	var field []domain.Contender
	var unranked []int64
	for _, e := range entries {
		if e.Released.IsZero() {
			unranked = append(unranked, e.MilestoneID)
			continue
		}
		field = append(field, domain.Contender{ID: e.MilestoneID, Value: domain.DaysBetween(e.Released, e.Reached)})
	}
	placed := domain.RankAscending(field)
	race.TotalCount = len(placed)
	byMilestone := make(map[int64]domain.RaceEntry, len(entries))
	for _, e := range entries {
		byMilestone[e.MilestoneID] = e
	}
	all := make([]raced, len(placed))
	for i, pl := range placed {
		all[i] = raced{pl, byMilestone[pl.ID].WorkID, byMilestone[pl.ID].Support}
	}
	shown := placed[:min(first, len(placed))]
	unranked = unranked[:min(first, len(unranked))]
	for _, pl := range shown {
		m, err := nodeAs[*domain.Milestone](ctx, r, pl.ID)
		if err != nil {
			return nil, nil, err
		}
		work, err := nodeAs[domain.Work](ctx, r, m.WorkID)
		if err != nil {
			return nil, nil, err
		}
		race.Entries = append(race.Entries, &model.RaceEntry{Rank: pl.Rank, Tied: pl.Tied, Certain: pl.Certain, Work: work, Milestone: m, Days: &pl.Value})
	}
	if race.Unranked, err = nodeList[*domain.Milestone](ctx, r, unranked); err != nil {
		return nil, nil, err
	}
	return race, all, nil
}

// raced is a place in a race and the work that holds it.
type raced struct {
	domain.Placed
	workID  int64
	support domain.Support
}

// check compares a ranking record's claim with the rank the graph computes.
func (r *Resolver) check(ctx context.Context, rec *domain.Record) (*model.RecordCheck, error) {
	if rec.Ranking == nil || len(rec.SubjectIDs) == 0 {
		return nil, nil
	}
	race, placed, err := r.race(ctx, rec.Ranking.PlatformID, rec.Ranking.Metric, rec.Ranking.Threshold, 0)
	if err != nil || race == nil {
		return nil, err
	}
	subject, err := r.name(ctx, rec.SubjectIDs[0])
	if err != nil {
		return nil, err
	}
	what := fmt.Sprintf("%s %s on %s", humanCount(rec.Ranking.Threshold), rec.Ranking.Metric, race.Platform.Name)
	for _, e := range placed {
		if e.workID != rec.SubjectIDs[0] {
			continue
		}
		c := &model.RecordCheck{ComputedRank: &e.Rank, Agrees: e.Rank == rec.Ranking.Rank, Certain: e.Certain, Support: domain.SupportStated, RestsOn: []*domain.Milestone{}}
		c.Text = fmt.Sprintf("The graph ranks %s %s of %d works to %s", subject, ordinal(e.Rank), len(placed), what)
		if c.Agrees {
			c.Text += ", as claimed"
		} else {
			c.Text += fmt.Sprintf(", not %s as claimed", ordinal(rec.Ranking.Rank))
		}
		if !c.Certain {
			c.Text += "; partial dates leave the order with a neighbour open"
		}
		if err := r.restsOn(ctx, c, placed, e.Rank); err != nil {
			return nil, err
		}
		return c, nil
	}
	return &model.RecordCheck{Text: fmt.Sprintf("The graph holds no milestone of %s at %s, so it cannot check the claim", subject, what)}, nil
}

// restsOnShown bounds the unstated milestones a check lists, and names.
const restsOnShown, restsOnNamed = 20, 5

// restsOn says which milestones a computed rank rests on that are not
// stated: those placed ahead of or level with it, and its own.
func (r *Resolver) restsOn(ctx context.Context, c *model.RecordCheck, placed []raced, rank int) error {
	var unstated []raced
	for _, p := range placed {
		if p.Rank <= rank && p.support.Or() != domain.SupportStated {
			c.Support = domain.Weakest(c.Support, p.support)
			unstated = append(unstated, p)
		}
	}
	if len(unstated) == 0 {
		return nil
	}
	ids := make([]int64, 0, restsOnShown)
	var words []string
	for i, p := range unstated[:min(len(unstated), restsOnShown)] {
		ids = append(ids, p.ID)
		if i < restsOnNamed {
			name, err := r.name(ctx, p.workID)
			if err != nil {
				return err
			}
			words = append(words, fmt.Sprintf("%s's (%s)", name, p.support))
		}
	}
	if len(unstated) > restsOnNamed {
		words = append(words, fmt.Sprintf("and %d more", len(unstated)-restsOnNamed))
	}
	var err error
	if c.RestsOn, err = nodeList[*domain.Milestone](ctx, r, ids); err != nil {
		return err
	}
	c.Text += "; it rests on milestones that are not stated: " + strings.Join(words, ", ")
	return nil
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

// upToPlace keeps the first n places, and every tie of the last one.
func upToPlace(placed []domain.Placed, n int) []domain.Placed {
	for i, p := range placed {
		if i >= n && p.Rank != placed[n-1].Rank {
			return placed[:i]
		}
	}
	return placed
}

func leaderCount(first *int) (int, error) {
	n := 10
	if first != nil {
		n = *first
	}
	if n < 1 || n > domain.MaxPageSize {
		return 0, domain.Errorf(domain.EINVALID, "first: must be between 1 and %d", domain.MaxPageSize)
	}
	return n, nil
}

func (r *Resolver) chartLeaders(ctx context.Context, chartRef string, by *model.ChartMeasure, first *int) ([]*model.ChartLeader, error) {
	n, err := leaderCount(first)
	if err != nil {
		return nil, err
	}
	chart, err := r.Store.IDBySlug(ctx, domain.KindChart, chartRef)
	if err != nil {
		return nil, fieldError("chart", err)
	}
	runs, err := r.Store.RunsOnChart(ctx, chart)
	if err != nil {
		return nil, err
	}
	weeks := by != nil && *by == model.ChartMeasureWeeks
	byID := map[int64]*domain.ChartRun{}
	var field []domain.Contender
	for _, run := range runs {
		v := int64(run.Peak)
		switch {
		case weeks && run.Weeks == nil, !weeks && run.Peak == 0:
			continue
		case weeks:
			v = run.Weeks.Value
			if run.Weeks.Bound == "more_than" {
				v++
			}
		}
		byID[run.ID] = run
		field = append(field, domain.Contender{ID: run.ID, Value: domain.Range{Min: int(v), Max: int(v)}})
	}
	placed := domain.RankAscending(field)
	if weeks {
		placed = domain.RankDescending(field)
	}
	out := []*model.ChartLeader{}
	for _, p := range upToPlace(placed, n) {
		out = append(out, &model.ChartLeader{Rank: p.Rank, Tied: p.Tied, Value: p.Value.Min, Run: byID[p.ID]})
	}
	return out, nil
}

func (r *Resolver) awardLeaders(ctx context.Context, awardRef *string, year *int, result *model.AwardOutcome, first *int) ([]*model.AwardLeader, error) {
	n, err := leaderCount(first)
	if err != nil {
		return nil, err
	}
	var award int64
	if awardRef != nil {
		if award, err = r.Store.IDBySlug(ctx, domain.KindAward, *awardRef); err != nil {
			return nil, fieldError("award", err)
		}
	}
	outcome := "won"
	if result != nil {
		outcome = strings.ToLower(string(*result))
	}
	y := 0
	if year != nil {
		y = *year
	}
	counts, err := r.Store.AwardCounts(ctx, award, y, outcome)
	if err != nil {
		return nil, err
	}
	field := make([]domain.Contender, len(counts))
	for i, c := range counts {
		field[i] = domain.Contender{ID: c.ActID, Value: domain.Range{Min: c.Count, Max: c.Count}}
	}
	out := []*model.AwardLeader{}
	for _, p := range upToPlace(domain.RankDescending(field), n) {
		act, err := nodeAs[domain.Act](ctx, r, p.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, &model.AwardLeader{Rank: p.Rank, Tied: p.Tied, Count: p.Value.Min, Act: act})
	}
	return out, nil
}

// membersOn lists who may have been a member on a date.
func (r *Resolver) membersOn(ctx context.Context, g *domain.Group, date domain.Date) ([]*model.MemberOn, error) {
	group := g.ID
	// A group on hiatus keeps its members: they are listed, marked.
	onHiatus := g.HiatusOn(date) != nil
	members, err := r.Store.AllMembershipsOfGroups(ctx, []int64{group})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(members[group]))
	for i, m := range members[group] {
		ids[i] = m.ArtistID
	}
	artists, err := r.Store.Artists(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := []*model.MemberOn{}
	for i, m := range members[group] {
		// A member who died is a member until the death.
		end := m.End
		if a := artists[i]; a != nil && !a.DeathDate.IsZero() && (end.IsZero() || a.DeathDate.Before(end)) {
			end = a.DeathDate
		}
		if !date.Overlaps(m.Start, end) {
			continue
		}
		certain := !m.Start.IsZero() && !m.Start.Latest().After(date.Earliest()) &&
			(end.IsZero() || !end.Earliest().Before(date.Latest()))
		out = append(out, &model.MemberOn{Membership: m, Certain: certain, OnHiatus: onHiatus})
	}
	return out, nil
}

// performerAges is how old each performing artist was on the day: an
// artist who performed, and the members of a group that performed who were
// certainly members that day (marked with the group). Artists without a
// birth date are left out.
func (r *Resolver) performerAges(ctx context.Context, p *domain.Performance) ([]*model.PerformerAge, error) {
	out := []*model.PerformerAge{}
	seen := map[int64]bool{}
	add := func(artist *domain.Artist, via *domain.Group) {
		if artist == nil || artist.BirthDate.IsZero() || seen[artist.ID] {
			return
		}
		seen[artist.ID] = true
		age := domain.AgeAt(artist.BirthDate, p.Date)
		out = append(out, &model.PerformerAge{Artist: artist, Age: &age, Via: via})
	}
	for _, id := range p.PerformerIDs {
		n, err := r.node(ctx, id)
		if err != nil {
			return nil, err
		}
		switch performer := n.(type) {
		case *domain.Artist:
			add(performer, nil)
		case *domain.Group:
			members, err := r.membersOn(ctx, performer, p.Date)
			if err != nil {
				return nil, err
			}
			for _, m := range members {
				if !m.Certain {
					continue
				}
				artist, err := nodeAs[*domain.Artist](ctx, r, m.Membership.ArtistID)
				if err != nil {
					return nil, err
				}
				add(artist, performer)
			}
		}
	}
	return out, nil
}

func performanceFilter(eventKind *model.EventKind, from, to *domain.Date) domain.PerformanceFilter {
	var f domain.PerformanceFilter
	if eventKind != nil {
		f.EventKind = strings.ToLower(string(*eventKind))
	}
	if from != nil {
		f.From = *from
	}
	if to != nil {
		f.To = *to
	}
	return f
}

func awardFilter(result *model.AwardOutcome, year *int) domain.AwardResultFilter {
	var f domain.AwardResultFilter
	if result != nil {
		f.Result = strings.ToLower(string(*result))
	}
	if year != nil {
		f.Year = *year
	}
	return f
}

// thingFilter reads the filters of a top-level list of things.
func thingFilter(country *string, from, to *domain.Date, kind string) (domain.ThingFilter, error) {
	f := domain.ThingFilter{Kind: kind}
	if country != nil {
		if !domain.IsCountry(*country) {
			return f, fieldError("country", domain.Errorf(domain.EINVALID, "%q is not an ISO 3166-1 alpha-2 country code, such as \"KR\" or \"GB\"", *country))
		}
		f.Country = *country
	}
	if from != nil {
		f.From = *from
	}
	if to != nil {
		f.To = *to
	}
	return f, nil
}

// stored turns an optional GraphQL enum into its stored lower-case value.
func stored[E ~string](e *E) string {
	if e == nil {
		return ""
	}
	return strings.ToLower(string(*e))
}

func roleFilter(role *model.CreditRole) string {
	if role == nil {
		return ""
	}
	return strings.ToLower(string(*role))
}
