package domain

import (
	"context"
	"sync/atomic"
	"time"
)

// The store is described here by role, as small interfaces, so that the
// layers above it (graph, httpapi, seed, the commands) depend on what they
// use and never on one database: sqlstore.DB implements them all, and
// storetest.Run checks any implementation against the same suite.

// NodeReader reads nodes by ID, kind and slug.
type NodeReader interface {
	Artists(ctx context.Context, ids []int64) ([]*Artist, error)
	Groups(ctx context.Context, ids []int64) ([]*Group, error)
	Songs(ctx context.Context, ids []int64) ([]*Song, error)
	Albums(ctx context.Context, ids []int64) ([]*Album, error)
	Awards(ctx context.Context, ids []int64) ([]*Award, error)
	Events(ctx context.Context, ids []int64) ([]*Event, error)
	Charts(ctx context.Context, ids []int64) ([]*Chart, error)
	Platforms(ctx context.Context, ids []int64) ([]*Platform, error)
	Sources(ctx context.Context, ids []int64) ([]*Source, error)
	Memberships(ctx context.Context, ids []int64) ([]*Membership, error)
	Credits(ctx context.Context, ids []int64) ([]*Credit, error)
	Tracks(ctx context.Context, ids []int64) ([]*Track, error)
	AwardResults(ctx context.Context, ids []int64) ([]*AwardResult, error)
	Performances(ctx context.Context, ids []int64) ([]*Performance, error)
	ChartRuns(ctx context.Context, ids []int64) ([]*ChartRun, error)
	Milestones(ctx context.Context, ids []int64) ([]*Milestone, error)
	Records(ctx context.Context, ids []int64) ([]*Record, error)
	// Nodes reads nodes of any kinds, in the order of ids; missing ones
	// are left out.
	Nodes(ctx context.Context, ids []int64) ([]Node, error)
	// NodesOfKind reads nodes of one kind; IDs of other kinds are left out.
	NodesOfKind(ctx context.Context, kind Kind, ids []int64) ([]Node, error)
	Node(ctx context.Context, kind Kind, id int64) (Node, error)
	IDBySlug(ctx context.Context, kind Kind, slug string) (int64, error)
	// ThingBySlug reads the thing of a kind with a slug; nil when there is
	// none.
	ThingBySlug(ctx context.Context, kind Kind, slug string) (Node, error)
	// ResolveThing turns "kind:slug" into a thing's ID.
	ResolveThing(ctx context.Context, ref string) (int64, error)
	// ShareReads returns a context under which one request's reads hold a
	// bounded share of the store's connections.
	ShareReads(ctx context.Context) context.Context
}

// RelationReader reads what links to nodes: for many parents at once, a
// whole list or one page per parent, and the top-level lists.
type RelationReader interface {
	Names(ctx context.Context, nodes []int64) (map[int64][]*Name, error)
	CitedSourceIDs(ctx context.Context, nodes []int64) (map[int64][]int64, error)
	RecordIDsAbout(ctx context.Context, subjects []int64) (map[int64][]int64, error)
	PerformanceIDsOfSongs(ctx context.Context, songs []int64) (map[int64][]int64, error)
	MembershipsOfArtists(ctx context.Context, artists []int64) (map[int64][]*Membership, error)
	AllMembershipsOfGroups(ctx context.Context, groups []int64) (map[int64][]*Membership, error)
	CreditsOfWorks(ctx context.Context, works []int64) (map[int64][]*Credit, error)
	TracksOfAlbums(ctx context.Context, albums []int64) (map[int64][]*Track, error)
	TracksOfSongs(ctx context.Context, songs []int64) (map[int64][]*Track, error)
	AwardResultsOfWorks(ctx context.Context, works []int64) (map[int64][]*AwardResult, error)
	ChartRunsOfWorks(ctx context.Context, works []int64) (map[int64][]*ChartRun, error)
	MilestonesOfWorks(ctx context.Context, works []int64) (map[int64][]*Milestone, error)

	CreditsOfActs(ctx context.Context, acts []int64, role string, p PageArgs) (map[int64]Page, error)
	MembershipsOfGroups(ctx context.Context, groups []int64, p PageArgs) (map[int64]Page, error)
	AwardResultsOfActs(ctx context.Context, acts []int64, f AwardResultFilter, p PageArgs) (map[int64]Page, error)
	AwardResultsOfAwards(ctx context.Context, awards []int64, f AwardResultFilter, p PageArgs) (map[int64]Page, error)
	PerformancesOfActs(ctx context.Context, acts []int64, f PerformanceFilter, p PageArgs) (map[int64]Page, error)
	PerformancesOfEvents(ctx context.Context, events []int64, p PageArgs) (map[int64]Page, error)
	ChartRunsOfCharts(ctx context.Context, charts []int64, p PageArgs) (map[int64]Page, error)
	MilestonesOfPlatforms(ctx context.Context, platforms []int64, p PageArgs) (map[int64]Page, error)
	NodesCiting(ctx context.Context, sources []int64, p PageArgs) (map[int64]Page, error)
	// FactsLinking reads, for each thing, the facts of one kind that join
	// it in one role: a relation read for any kind of fact.
	FactsLinking(ctx context.Context, kind Kind, role string, things []int64) (map[int64][]Node, error)

	ListThings(ctx context.Context, kind Kind, f ThingFilter, p PageArgs) (Page, error)
	ListSongs(ctx context.Context, f SongFilter, p PageArgs) (Page, error)
	ListPerformances(ctx context.Context, f PerformanceFilter, p PageArgs) (Page, error)
}

// GraphWalker answers the questions that walk or aggregate the graph.
type GraphWalker interface {
	// Steps reads the facts that touch each of from (of factKinds, all
	// when empty), at most perThing each; more reports a thing cut short.
	Steps(ctx context.Context, from []int64, factKinds []Kind, perThing int) (steps []Step, more bool, err error)
	Timeline(ctx context.Context, act int64) ([]TimelineEntry, error)
	OnThisDay(ctx context.Context, month, day int) ([]TimelineEntry, error)
	Race(ctx context.Context, platform int64, metric string, threshold int64) ([]RaceEntry, error)
	RunsOnChart(ctx context.Context, chart int64) ([]*ChartRun, error)
	AwardCounts(ctx context.Context, award int64, year int, result string) ([]ActCount, error)
}

// Searcher finds things by name.
type Searcher interface {
	Search(ctx context.Context, text string, kinds []string, p PageArgs) ([]SearchHit, Page, error)
}

// Editor changes the graph one node at a time, keeping every revision.
type Editor interface {
	// Draft reads a node as its mutation input writes it.
	Draft(ctx context.Context, id int64) (Node, Draft, error)
	Edit(ctx context.Context, e Edit) ([]Change, error)
	History(ctx context.Context, id int64, p PageArgs) (Page, error)
	RecentChanges(ctx context.Context, f ChangeFilter, p PageArgs) (Page, error)
	Changes(ctx context.Context, seqs []int64) ([]*Change, error)
	Redact(ctx context.Context, id int64, revision int, actor, reason string) (*Change, error)
	// Subscribe delivers every change committed from now on, by any
	// process, until ctx ends.
	Subscribe(ctx context.Context) (<-chan Change, error)
}

// Loader writes fixture items all or nothing, and exports them back.
type Loader interface {
	Load(ctx context.Context, ds *Dataset) error
	LoadItems(ctx context.Context, items Items, progress func(LoadStats)) (LoadStats, error)
	IsEmpty(ctx context.Context) (bool, error)
	// Export gives every item of the graph, in a stable order, under its
	// fixture section.
	Export(ctx context.Context, emit func(section string, item any) error) error
}

// TokenStore keeps API tokens.
type TokenStore interface {
	CreateToken(ctx context.Context, name, role string) (string, error)
	RevokeToken(ctx context.Context, name string) error
	Tokens(ctx context.Context) ([]Token, error)
	// Authenticate returns the identity of a live token, or an
	// EUNAUTHENTICATED error.
	Authenticate(ctx context.Context, token string) (*Identity, error)
}

// Administration is what operating a store needs.
type Administration interface {
	Ping(ctx context.Context) error
	// Backup writes a consistent copy of the whole store to path.
	Backup(ctx context.Context, path string) error
	IntegrityCheck(ctx context.Context) error
	// SizeBytes is how much storage the store takes.
	SizeBytes() int64
	Close() error
}

// Store is a whole store: every role.
type Store interface {
	NodeReader
	RelationReader
	GraphWalker
	Searcher
	Editor
	Loader
	TokenStore
	Administration
}

// Error codes of a store that cannot write: clients may retry later, or
// read meanwhile.
const (
	EREADONLY = "READ_ONLY"
	EFULL     = "STORAGE_FULL"
)

// ThingFilter narrows a list of things; zero values keep all.
type ThingFilter struct {
	Country  string
	From, To Date   // the kind's key date may fall within
	Kind     string // an album's or an event's kind
}

// AwardResultFilter narrows a list of award results; zero values keep all.
type AwardResultFilter struct {
	Result string // "won" or "nominated"
	Year   int
}

// PerformanceFilter narrows a list of performances; zero values keep all.
type PerformanceFilter struct {
	EventKind string
	From, To  Date // performances whose date may fall in the range
}

// SongFilter narrows and orders the list of songs; zero values keep all.
type SongFilter struct {
	ActID    int64  // songs this act is credited on
	Role     string // with this credit role
	From, To Date   // released within (possibly, at the dates' precision)
	OrderBy  string // "name" (default), "released" (undated last) or "streams" (highest streams milestone)
	Desc     bool
}

// ChangeFilter narrows the recent-changes feed.
type ChangeFilter struct {
	// Actor keeps one editor's changes; all when empty.
	Actor string
	// Kinds keeps changes to nodes of these kinds; all when empty.
	Kinds []Kind
}

// SearchHit is a thing found by Search, the name that matched and how.
type SearchHit struct {
	ID      int64
	Matched string
	// Match is how the name matched: "identifier" (the query is one of its
	// external identifiers), "exact_name" (the primary name, spaces
	// and case aside), "exact_alias" (another name), "prefix" (the query
	// starts the name or each of its words) or "fuzzy" (a near spelling).
	Match string
}

// RaceEntry is a milestone of a streaming race and its work's release.
type RaceEntry struct {
	MilestoneID, WorkID int64
	Reached, Released   Date
	// Support is how the milestone's sources support it.
	Support Support
}

// ActCount is how many results an act has.
type ActCount struct {
	ActID int64
	Count int
}

// Token describes an API token, never its secret.
type Token struct {
	ID, Name, Role string
	Created        time.Time
	Revoked        *time.Time
}

// LoadStats counts what a load has read so far.
type LoadStats struct {
	Things, Facts int
	// Phase is what the load is doing: reading and writing items, then,
	// once every item is in, the phases that take the rest of the time.
	Phase string
}

// The phases of a load, in order; a load into an empty database also
// rebuilds its indexes and checks its references (SQLite), or gathers the
// planner's statistics of the tables it filled (PostgreSQL).
const (
	PhaseItems      = "reading and writing items"
	PhaseWaiting    = "writing the facts that waited for later things"
	PhaseIndexes    = "rebuilding indexes"
	PhaseReferences = "checking references"
	PhaseStatistics = "gathering the planner's statistics"
	PhaseCommit     = "committing"
)

type statementsKey struct{}

// CountStatements returns a context under which every statement a store
// runs for a read adds one to the returned counter, so a request can report
// (and a test can bound) how many statements it cost.
func CountStatements(ctx context.Context) (context.Context, *atomic.Int64) {
	n := new(atomic.Int64)
	return context.WithValue(ctx, statementsKey{}, n), n
}

// StatementRan counts one statement against ctx's counter, if it has one.
func StatementRan(ctx context.Context) {
	if n, ok := ctx.Value(statementsKey{}).(*atomic.Int64); ok {
		n.Add(1)
	}
}
