// Package storetest is the test suite every store runs: Run checks an
// implementation of domain.Store against the behaviour the rest of
// artistgraph relies on (all-or-nothing loads, edits and their history,
// concurrent writers, search, paging, tokens), as litestream runs one suite
// against every replica client. It also holds the helpers tests use for a
// temporary database, on SQLite or on PostgreSQL (postgres.go: a server
// found through ARTISTGRAPH_TEST_POSTGRES, or a throwaway one started from
// the installed binaries).
package storetest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/seed"
	"github.com/artistgraph/artistgraph/sqlstore"
)

// Backend makes the databases of one store implementation for the suite.
type Backend struct {
	// New makes an empty database for one test and returns how to open
	// handles on it: each call is another handle on the same database, as
	// another process would open it. Handles close when the test ends.
	New func(tb testing.TB) Opener
	// Fingerprint hashes everything a database holds, schema included, so
	// a test can tell that a refused write left it exactly as it was.
	Fingerprint func(ctx context.Context, s domain.Store) (string, error)
}

// Opener opens a handle on a database made by Backend.New.
type Opener func(tb testing.TB) domain.Store

// Run runs the whole suite against a backend, each test on a database of
// its own.
func Run(t *testing.T, b Backend) {
	for _, test := range suite() {
		t.Run(test.name, func(t *testing.T) {
			t.Parallel()
			test.run(t, b)
		})
	}
}

// suite lists the tests Run runs.
func suite() []struct {
	name string
	run  func(t *testing.T, b Backend)
} {
	return []struct {
		name string
		run  func(t *testing.T, b Backend)
	}{
		{"LoadTwiceChangesNothing", testLoadTwiceChangesNothing},
		{"LoadRefusesInconsistentFacts", testLoadRefusesInconsistentFacts},
		{"RefusedFreshLoadLeavesTheDatabaseEmpty", testRefusedFreshLoadLeavesTheDatabaseEmpty},
		{"FreshLoadWithARepeatedFact", testFreshLoadWithARepeatedFact},
		{"CreditsFollowAChangedReleaseDate", testCreditsFollowAChangedReleaseDate},
		{"LoadAddsToTheStoredGraph", testLoadAddsToTheStoredGraph},
		{"FactsWrittenApart", testFactsWrittenApart},
		{"FactsWrittenApartIntoAnEmptyStore", testFactsWrittenApartIntoAnEmptyStore},
		{"DistinctThingsOfOneName", testDistinctThingsOfOneName},
		{"LoadIntoAPopulatedStoreIsTheSameGraph", testLoadIntoAPopulatedStoreIsTheSameGraph},
		{"FactsMatchByTheirDates", testFactsMatchByTheirDates},
		{"FreshLoadMatchesByDate", testFreshLoadMatchesByDate},
		{"FactsSayHowTheyAreSupported", testFactsSayHowTheyAreSupported},
		{"Identifiers", testIdentifiers},
		{"Search", testSearch},
		{"SearchNeverFailsOnUserText", testSearchNeverFailsOnUserText},
		{"PaginationVisitsEveryThingOnce", testPaginationVisitsEveryThingOnce},
		{"Tokens", testTokens},
		{"BadFixturesLeaveTheDatabaseUnchanged", testBadFixturesLeaveTheDatabaseUnchanged},
		{"EditLifecycle", testEditLifecycle},
		{"EditEveryKind", testEditEveryKind},
		{"RefusedEditsWriteNothing", testRefusedEditsWriteNothing},
		{"DeleteWithCascadeSaysWhatWent", testDeleteWithCascadeSaysWhatWent},
		{"SubscribersSeeCommittedChanges", testSubscribersSeeCommittedChanges},
		{"ConcurrentEditsOfOneRevision", testConcurrentEditsOfOneRevision},
		{"SubscribersSeeOtherProcessesEdits", testSubscribersSeeOtherProcessesEdits},
		{"SongsByStreamsFollowMilestones", testSongsByStreamsFollowMilestones},
		{"ExportRoundTripOfTheBuiltInFixtures", testExportRoundTripOfTheBuiltInFixtures},
		{"ExportRoundTripOfASyntheticGraph", testExportRoundTripOfASyntheticGraph},
		{"ConcurrentCreatesTakeDistinctIDs", testConcurrentCreatesTakeDistinctIDs},
		{"IDsStayDenseAfterALoad", testIDsStayDenseAfterALoad},
		{"ConcurrentCreatesOfOneSlug", testConcurrentCreatesOfOneSlug},
		{"ConcurrentCreditAppendsTakeDistinctPositions", testConcurrentCreditAppendsTakeDistinctPositions},
		{"ConcurrentSeedsOfAnEmptyStore", testConcurrentSeedsOfAnEmptyStore},
	}
}

// open makes a database and opens one handle on it.
func (b Backend) open(tb testing.TB) domain.Store { return b.New(tb)(tb) }

// seeded makes a database and loads the built-in fixtures into it.
func (b Backend) seeded(tb testing.TB) domain.Store {
	s := b.open(tb)
	MustSeed(tb, s)
	return s
}

func (b Backend) fingerprint(tb testing.TB, s domain.Store) string {
	tb.Helper()
	fp, err := b.Fingerprint(context.Background(), s)
	if err != nil {
		tb.Fatal(err)
	}
	return fp
}

// MustSeed loads the built-in fixtures into an empty store.
func MustSeed(tb testing.TB, s domain.Loader) {
	tb.Helper()
	if _, err := seed.IfEmpty(context.Background(), s); err != nil {
		tb.Fatal(err)
	}
}

// SQLite makes an SQLite database in a file under the test's temporary
// folder; every handle on it closes when the test ends.
func SQLite(tb testing.TB) Opener {
	path := filepath.Join(tb.TempDir(), "test.db")
	return func(tb testing.TB) domain.Store { return MustOpen(tb, path) }
}

// MustOpen opens a database (an SQLite file, created if needed, or a
// PostgreSQL URL) and closes it when the test ends.
func MustOpen(tb testing.TB, dsn string) *sqlstore.DB {
	tb.Helper()
	db, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Error(err)
		}
	})
	return db
}

// EngineEnv names the engine the HTTP tests and others that take any
// store run on: "sqlite" (when unset) or "postgres".
const EngineEnv = "ARTISTGRAPH_TEST_ENGINE"

// Empty is a new, empty database of the engine EngineEnv names, closed
// (and dropped) when the test ends.
func Empty(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	switch engine := os.Getenv(EngineEnv); engine {
	case "", "sqlite":
		return MustOpen(tb, filepath.Join(tb.TempDir(), "test.db"))
	case "postgres":
		return MustOpen(tb, NewPostgresDatabase(tb))
	default:
		tb.Fatalf("%s=%s: give sqlite or postgres", EngineEnv, engine)
		return nil
	}
}

// Seeded is Empty with the built-in fixtures loaded.
func Seeded(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	db := Empty(tb)
	MustSeed(tb, db)
	return db
}

// OnSQLite skips a test of SQLite's own behaviour when EngineEnv picks
// another engine.
func OnSQLite(tb testing.TB) {
	tb.Helper()
	if e := os.Getenv(EngineEnv); e != "" && e != "sqlite" {
		tb.Skipf("a test of SQLite's own behaviour; %s=%s", EngineEnv, e)
	}
}

// SeededSQLite is a temporary SQLite database holding the built-in
// fixtures, closed when the test ends: the database most tests start from.
func SeededSQLite(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	db := MustOpen(tb, filepath.Join(tb.TempDir(), "seeded.db"))
	MustSeed(tb, db)
	return db
}
