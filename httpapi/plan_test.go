package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/artistgraph/artistgraph/httpapi"
	"github.com/artistgraph/artistgraph/seed"
	"github.com/artistgraph/artistgraph/seed/synth"
	"github.com/artistgraph/artistgraph/sqlstore"
	"github.com/artistgraph/artistgraph/storetest"
)

// The four shapes of the read-path issue: a lookup of an artist (A) and of
// a song (B), a deep page of artists (C) and a list of songs (D).
var shapes = map[string]struct {
	query string
	vars  func(db *sqlstore.DB) map[string]any
}{
	"A": {`query($slug: String!) { artist(slug: $slug) { name memberships { roles group { name } } } }`, nil},
	"B": {`query($slug: String!) { song(slug: $slug) { name released credits { role act { name } } milestones { threshold reached } } }`, nil},
	"C": {`{ artists(first: 20) { edges { node { name memberships { roles group { name
		members(first: 20) { totalCount edges { node { artist { name credits(first: 10) { totalCount
		edges { node { role work { name credits { role act { name } } } } } } } } } } } } } } } }`, nil},
	"D": {`{ songs(first: 50, orderBy: NAME) { edges { node { name credits { role act { name } } } } } }`, nil},
	// What a wiki's pages ask beside C: sources, records, awards and
	// performances with their filters, and every kind's own lists.
	"W": {`{ artists(first: 30) { edges { node { name sources { id } records { id }
		awardResults(first: 3) { totalCount edges { node { result award { name } work { name } recipients { name } } } }
		performances(first: 3, from: "2000") { edges { node { date event { name } performers { name } } } } } } }
		groups(first: 10) { edges { node { name performances { totalCount } awardResults(result: WON) { totalCount } } } }
		songs(first: 30, orderBy: STREAMS, descending: true) { edges { node { name creditLine performances { event { name } } milestones { platform { name } } chartRuns { chart { name } peak } } } }
		awards(first: 5) { edges { node { name results(first: 5) { edges { node { result work { name } } } } } } }
		events(first: 5) { edges { node { name performances(first: 5) { edges { node { performers { name } } } } } } }
		charts { edges { node { runs(first: 5) { edges { node { work { name } } } } } } }
		platforms { edges { node { milestones(first: 5) { edges { node { threshold work { name } } } } } } } }`, nil},
	// C's relations paged from the end.
	"C-last": {`{ artists(last: 20) { edges { node { name memberships { group { members(last: 5) { edges { cursor node { artist {
		name credits(last: 3, role: PRIMARY) { totalCount pageInfo { hasPreviousPage } edges { cursor node { work { name } } } } } } } } } } } } } }`, nil},
}

// openSynthetic loads the small synthetic graph (a thousand songs, with
// hubs) into a new database.
func openSynthetic(t *testing.T) *sqlstore.DB {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "synth")
	if _, err := synth.Generate(dir, synth.Small); err != nil {
		t.Fatal(err)
	}
	db := storetest.Empty(t)
	if _, err := seed.Load(context.Background(), db, dir); err != nil {
		t.Fatal(err)
	}
	return db
}

// answer posts a query to a handler in process: the status and the raw
// answer, whose status is 500 if it holds errors.
func answer(h http.Handler, query string, vars map[string]any) (int, []byte) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
		return http.StatusInternalServerError, rec.Body.Bytes()
	}
	return rec.Code, rec.Body.Bytes()
}

// askHandler is answer for the test's goroutine: it fails the test on errors.
func askHandler(t *testing.T, h http.Handler, query string, vars map[string]any) []byte {
	t.Helper()
	code, body := answer(h, query, vars)
	if code != http.StatusOK {
		t.Fatalf("%d %s", code, body)
	}
	return body
}

// TestPlannedReadsAnswerAsUnplanned asks each shape, at several places of
// the synthetic graph, of a handler that reads ahead and one that leaves
// every read to the loaders: the answers are the same bytes.
func TestPlannedReadsAnswerAsUnplanned(t *testing.T) {
	db := openSynthetic(t)
	quiet := httpapi.Options{Logger: slog.New(slog.DiscardHandler)}
	planned := httpapi.New(db, quiet)
	quiet.UnplannedReads = true
	unplanned := httpapi.New(db, quiet)
	artists := askHandler(t, planned, `{ artists(first: 100) { edges { node { slug } } } }`, nil)
	songs := askHandler(t, planned, `{ songs(first: 100, orderBy: STREAMS, descending: true) { edges { node { slug } } } }`, nil)
	slugs := func(answer []byte) []string {
		var out []string
		for _, part := range strings.Split(string(answer), `"slug":"`)[1:] {
			out = append(out, part[:strings.IndexByte(part, '"')])
		}
		return out
	}
	cases := map[string][]map[string]any{"C": {nil}, "C-last": {nil}, "D": {nil}, "W": {nil}}
	for i, slug := range slugs(artists) {
		if i%10 == 0 {
			cases["A"] = append(cases["A"], map[string]any{"slug": slug})
		}
	}
	for i, slug := range slugs(songs) {
		if i%10 == 0 {
			cases["B"] = append(cases["B"], map[string]any{"slug": slug})
		}
	}
	for name, vars := range cases {
		for _, v := range vars {
			want := askHandler(t, unplanned, shapes[name].query, v)
			if got := askHandler(t, planned, shapes[name].query, v); !bytes.Equal(got, want) {
				t.Errorf("shape %s %v: planned answer differs\nplanned:   %.400s\nunplanned: %.400s", name, v, got, want)
			}
		}
	}
}

// TestStatementsAreFixedByTheQuery runs the deep query C from 64 clients
// at once: each request runs as many statements as C run alone, whatever
// the scheduling, because the planner, not a timer, batches its reads. No
// timeout: under the race detector 64 of them take longer than the default,
// and a request stopped halfway is not the point here.
func TestStatementsAreFixedByTheQuery(t *testing.T) {
	db := openSynthetic(t)
	logs := &logBuffer{}
	h := httpapi.New(db, httpapi.Options{Logger: slog.New(slog.NewJSONHandler(logs, nil)), Limits: httpapi.Limits{MaxConcurrent: 64, Timeout: -1}})
	askHandler(t, h, shapes["C"].query, nil)
	alone := requestStatements(t, logs)
	if len(alone) != 1 {
		t.Fatalf("want one request logged, got %v", alone)
	}
	logs.Reset()
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			if code, body := answer(h, shapes["C"].query, nil); code != http.StatusOK {
				t.Errorf("%d %s", code, body)
			}
		})
	}
	wg.Wait()
	busy := requestStatements(t, logs)
	if len(busy) != 64 {
		t.Fatalf("want 64 requests logged, got %d", len(busy))
	}
	for i, n := range busy {
		if n != alone[0] {
			t.Errorf("request %d under load ran %d statements; alone, %d", i, n, alone[0])
		}
	}
	t.Logf("C runs %d statements, alone and under 64 clients", alone[0])
}

// requestStatements reads the statement count of every GraphQL request in
// the log.
func requestStatements(t *testing.T, logs *logBuffer) []int {
	t.Helper()
	var out []int
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var entry struct {
			Msg        string `json:"msg"`
			Path       string `json:"path"`
			Statements int    `json:"sql_statements"`
		}
		if json.Unmarshal([]byte(line), &entry) == nil && entry.Msg == "request" && entry.Path == "/graphql" {
			out = append(out, entry.Statements)
		}
	}
	return out
}

// TestSlugLookupIsOneStatement: a thing asked for by slug is read in one
// statement, with the fields of its own row; a missing slug also costs one.
func TestSlugLookupIsOneStatement(t *testing.T) {
	db := storetest.Seeded(t)
	logs := &logBuffer{}
	h := httpapi.New(db, httpapi.Options{Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	askHandler(t, h, `{ artist(slug: "jungkook") { id name birthDate country } }`, nil)
	askHandler(t, h, `{ label(slug: "no-such-label") { name } }`, nil)
	if got := requestStatements(t, logs); !slices.Equal(got, []int{1, 1}) {
		t.Errorf("statements per lookup %v, want [1 1]", got)
	}
}
