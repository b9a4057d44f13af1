// Package bench holds the benchmarks of BENCHMARKS.md. They run against a
// database named by ARTISTGRAPH_BENCH_DB (scripts/bench builds the large
// synthetic graph for them) and skip without one; CI does not run them.
package bench

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/graph"
	"github.com/artistgraph/artistgraph/httpapi"
	"github.com/artistgraph/artistgraph/seed"
	"github.com/artistgraph/artistgraph/seed/synth"
	"github.com/artistgraph/artistgraph/sqlstore"
	"github.com/artistgraph/artistgraph/storetest"
)

func openBenchDB(b *testing.B) *sqlstore.DB {
	b.Helper()
	path := os.Getenv("ARTISTGRAPH_BENCH_DB")
	if path == "" {
		b.Skip("set ARTISTGRAPH_BENCH_DB to a database built by scripts/bench (a file, or a PostgreSQL URL)")
	}
	db, err := sqlstore.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// count reads how many things of a kind the database holds, to pick random ones.
func count(b *testing.B, db *sqlstore.DB, kind domain.Kind) int {
	page, err := db.ListThings(context.Background(), kind, domain.ThingFilter{}, domain.PageArgs{First: 1, WithTotal: true})
	if err != nil || page.Total == 0 {
		b.Fatalf("no %s in the database (%v)", kind, err)
	}
	return page.Total
}

func handler(db *sqlstore.DB, wait time.Duration) http.Handler {
	return httpapi.New(db, httpapi.Options{Logger: slog.New(slog.DiscardHandler), BatchWait: wait})
}

// run posts one GraphQL query to the handler in process and fails on errors.
func run(b *testing.B, h http.Handler, query string, vars map[string]any) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var res struct {
		Errors []json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || len(res.Errors) > 0 || rec.Code != 200 {
		b.Fatalf("%d %s", rec.Code, rec.Body.Bytes())
	}
}

const nested = `query($after: String) {
  artists(first: 20, after: $after) { edges { node { name
    memberships { roles group { name members(first: 20) { totalCount edges { node { artist { name
      credits(first: 20) { totalCount edges { node { role work { name credits { role act { name } } } } } }
    } } } } } }
  } } }
}`

// BenchmarkNestedQuery: artists → memberships → group → members → artist →
// credits → work → credits → act, 20 artists a page, at a random place in
// the list, for several batching waits.
func BenchmarkNestedQuery(b *testing.B) {
	db := openBenchDB(b)
	page, err := db.ListThings(context.Background(), domain.KindArtist, domain.ThingFilter{}, domain.PageArgs{First: 100})
	if err != nil {
		b.Fatal(err)
	}
	for _, wait := range []time.Duration{50 * time.Microsecond, graph.DefaultBatchWait, time.Millisecond} {
		b.Run("wait="+wait.String(), func(b *testing.B) {
			h := handler(db, wait)
			for i := 0; b.Loop(); i++ {
				run(b, h, nested, map[string]any{"after": page.Cursors[i%len(page.Cursors)]})
			}
		})
	}
}

func BenchmarkLookupBySlug(b *testing.B) {
	db := openBenchDB(b)
	n := count(b, db, domain.KindArtist)
	h := handler(db, 0)
	rng := rand.New(rand.NewPCG(1, 2))
	for b.Loop() {
		run(b, h, `query($s: String!) { artist(slug: $s) { id name birthDate } }`, map[string]any{"s": fmt.Sprintf("artist-%d", rng.IntN(n))})
	}
}

func BenchmarkNodeByID(b *testing.B) {
	db := openBenchDB(b)
	n := count(b, db, domain.KindArtist)
	ids := make([]string, 1000)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range ids {
		id, err := db.IDBySlug(context.Background(), domain.KindArtist, fmt.Sprintf("artist-%d", rng.IntN(n)))
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = domain.GlobalID(domain.KindArtist, id)
	}
	h := handler(db, 0)
	for i := 0; b.Loop(); i++ {
		run(b, h, `query($id: ID!) { node(id: $id) { id ... on Artist { name } } }`, map[string]any{"id": ids[i%len(ids)]})
	}
}

func BenchmarkSearch(b *testing.B) {
	db := openBenchDB(b)
	h := handler(db, 0)
	for _, q := range []struct{ name, text string }{
		{"prefix", "kari"}, {"prefix-two-words", "golden ka"}, {"exact", "Kamo"}, {"fuzzy", "karimoo"}, {"hangul", "가나"},
	} {
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				run(b, h, `query($q: String!) { search(query: $q, first: 20) { edges { matchKind node { name } } } }`, map[string]any{"q": q.text})
			}
		})
	}
}

func BenchmarkPath(b *testing.B) {
	db := openBenchDB(b)
	n := count(b, db, domain.KindArtist)
	h := handler(db, 0)
	rng := rand.New(rand.NewPCG(3, 4))
	for b.Loop() {
		run(b, h, `query($a: String!, $b: String!) { path(from: $a, to: $b, maxDepth: 4) { exhausted paths { length } } }`,
			map[string]any{"a": fmt.Sprintf("artist:artist-%d", rng.IntN(n)), "b": fmt.Sprintf("artist:artist-%d", rng.IntN(n))})
	}
}

// BenchmarkLoad loads a synthetic graph of about 770,000 facts into a new
// database file and reports facts per second. It needs no database.
func BenchmarkLoad(b *testing.B) { benchLoad(b, false, sqliteFile) }

// BenchmarkLoadOnPostgres is BenchmarkLoad into a new PostgreSQL database,
// on the server ARTISTGRAPH_TEST_POSTGRES names or a throwaway one.
func BenchmarkLoadOnPostgres(b *testing.B) {
	benchLoad(b, false, func(b *testing.B) string { return storetest.NewPostgresDatabase(b) })
}

// sqliteFile is a new SQLite file for a load benchmark.
func sqliteFile(b *testing.B) string { return filepath.Join(b.TempDir(), "load.db") }

// loadGraph writes the synthetic graph the load benchmarks load: a tenth
// of the large graph.
func loadGraph(b *testing.B) string {
	cfg := synth.Large
	cfg.Artists, cfg.Groups, cfg.Songs, cfg.Events, cfg.Awards = 10_000, 1_000, 100_000, 2_000, 20
	dir := b.TempDir()
	if _, err := synth.Generate(dir, cfg); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkLoadIntoSeeded loads the graph of BenchmarkLoad into a
// database that holds the built-in fixtures: the path of a load into a
// live database, which looks up what it may restate.
func BenchmarkLoadIntoSeeded(b *testing.B) { benchLoad(b, true, sqliteFile) }

// benchLoad loads the graph of loadGraph into a new database (newDB gives
// where), holding the built-in fixtures when seeded, and reports facts per
// second.
func benchLoad(b *testing.B, seeded bool, newDB func(*testing.B) string) {
	dir := loadGraph(b)
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		db, err := sqlstore.Open(ctx, newDB(b))
		if err != nil {
			b.Fatal(err)
		}
		if seeded {
			if _, err := seed.IfEmpty(ctx, db); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		start := time.Now()
		stats, err := seed.Load(ctx, db, dir)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(stats.Facts)/time.Since(start).Seconds(), "facts/s")
		db.Close()
	}
}

// BenchmarkEdit times mutations through the in-process API on the large
// graph: a note (validation, write, history), a song's release date moved
// a year later (which checks the song's chart runs, milestones and awards
// again), and the birth date of the artist with the most facts, artist-0
// (the synthetic graph's credits favour low numbers): moved earlier, which
// cannot break a fact, and later, which checks its memberships, awards and
// performances again. The edits stay in the benchmark
// database's history.
func BenchmarkEdit(b *testing.B) {
	db := openBenchDB(b)
	ctx := domain.WithIdentity(context.Background(), &domain.Identity{Name: "bench", Role: domain.RoleEditor})
	api := httpapi.New(db, httpapi.Options{Logger: slog.New(slog.DiscardHandler)})
	songs := count(b, db, domain.KindSong)
	artists := count(b, db, domain.KindArtist)
	rng := rand.New(rand.NewPCG(5, 6))
	edit := func(b *testing.B, kind domain.Kind, id int64, input map[string]any) {
		nodes, err := db.Nodes(ctx, []int64{id})
		if err != nil || nodes[0] == nil {
			b.Fatalf("node %d: %v", id, err)
		}
		var out map[string]any
		mutation := fmt.Sprintf(`mutation($id: ID!, $r: Int!, $in: %sInput!) { update%s(id: $id, revision: $r, input: $in) { revision } }`, kind, kind)
		if err := api.Query(ctx, mutation, map[string]any{"id": domain.GlobalID(kind, id), "r": nodes[0].NodeRevision(), "in": input}, &out); err != nil {
			b.Fatal(err)
		}
	}
	slugID := func(b *testing.B, kind domain.Kind, slug string) int64 {
		id, err := db.IDBySlug(ctx, kind, slug)
		if err != nil {
			b.Fatal(err)
		}
		return id
	}
	b.Run("note", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			edit(b, domain.KindArtist, slugID(b, domain.KindArtist, fmt.Sprintf("artist-%d", rng.IntN(artists))), map[string]any{"note": fmt.Sprintf("bench %d", i)})
		}
	})
	b.Run("song-release", func(b *testing.B) {
		for b.Loop() {
			id := slugID(b, domain.KindSong, fmt.Sprintf("song-%d", rng.IntN(songs)))
			songs, err := db.Songs(ctx, []int64{id})
			if err != nil {
				b.Fatal(err)
			}
			// Back a year, untimed, then forward again: every dated fact
			// stays after the release, and the timed edit checks them.
			released := songs[0].Released
			earlier := released
			earlier.Year--
			b.StopTimer()
			edit(b, domain.KindSong, id, map[string]any{"released": earlier.String()})
			b.StartTimer()
			edit(b, domain.KindSong, id, map[string]any{"released": released.String()})
		}
	})
	hub := slugID(b, domain.KindArtist, "artist-0")
	b.Run("hub-birth-earlier", func(b *testing.B) {
		artists, err := db.Artists(ctx, []int64{hub})
		if err != nil {
			b.Fatal(err)
		}
		year := min(artists[0].BirthDate.Year, 1900)
		for b.Loop() {
			year-- // always earlier than the last
			edit(b, domain.KindArtist, hub, map[string]any{"birthDate": fmt.Sprint(year)})
		}
	})
	b.Run("hub-birth-later", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			edit(b, domain.KindArtist, hub, map[string]any{"birthDate": "1900"})
			b.StartTimer()
			edit(b, domain.KindArtist, hub, map[string]any{"birthDate": "1901"})
		}
	})
}

// The shapes of the read-path issue (see BENCHMARKS.md): lookups of an
// artist (A) and a song (B), the deep page C, the song list D.
const (
	shapeA = `query($s: String!) { artist(slug: $s) { name memberships { roles group { name } } } }`
	shapeB = `query($s: String!) { song(slug: $s) { name released credits { role act { name } } milestones { threshold reached } } }`
	shapeC = `{ artists(first: 20) { edges { node { name memberships { roles group { name members(first: 20) { totalCount edges { node { artist { name credits(first: 10) { totalCount edges { node { role work { name credits { role act { name } } } } } } } } } } } } } } } }`
	shapeD = `{ songs(first: 50, orderBy: NAME) { edges { node { name credits { role act { name } } } } } }`
)

// floorC is C's answer, byte for byte, from one SQLite statement: the
// least work SQLite itself can do for it, which C through the handler is
// measured against.
const floorC = `SELECT json_object('data', json_object('artists', json_object('edges', json((
  SELECT json_group_array(json_object('node', json_object('name', a.name, 'memberships', json((
    SELECT json_group_array(json_object('roles', json(m.roles), 'group', json_object('name', g.name, 'members', json_object(
      'totalCount', (SELECT count(*) FROM memberships WHERE group_id = g.id),
      'edges', json((SELECT json_group_array(json_object('node', json_object('artist', json_object('name', ma.name, 'credits', json_object(
        'totalCount', (SELECT count(*) FROM credits WHERE act_id = ma.id),
        'edges', json((SELECT json_group_array(json_object('node', json_object('role', upper(c.role), 'work', json_object('name', w.name, 'credits', json((
          SELECT json_group_array(json_object('role', upper(wc.role), 'act', json_object('name', wa.name)))
          FROM (SELECT * FROM credits WHERE work_id = w.id ORDER BY position, id) wc JOIN nodes wa ON wa.id = wc.act_id))))))
          FROM (SELECT * FROM credits WHERE act_id = ma.id ORDER BY released, id LIMIT 10) c JOIN nodes w ON w.id = c.work_id)))))))
        FROM (SELECT * FROM memberships WHERE group_id = g.id ORDER BY start_date, id LIMIT 20) mm JOIN nodes ma ON ma.id = mm.artist_id))))))
    FROM (SELECT * FROM memberships WHERE artist_id = a.id ORDER BY start_date, id) m JOIN nodes g ON g.id = m.group_id)))))
  FROM (SELECT id, name FROM nodes WHERE kind = 'Artist' AND slug IS NOT NULL ORDER BY lower(name), id LIMIT 20) a)))))`

// BenchmarkShapes runs each shape through the handler, planned and not,
// and C's floor, on one database in one run.
func BenchmarkShapes(b *testing.B) {
	db := openBenchDB(b)
	artists, songs := count(b, db, domain.KindArtist), count(b, db, domain.KindSong)
	quiet := httpapi.Options{Logger: slog.New(slog.DiscardHandler)}
	planned := httpapi.New(db, quiet)
	quiet.UnplannedReads = true
	unplanned := httpapi.New(db, quiet)
	rng := rand.New(rand.NewPCG(5, 6))
	shapes := []struct {
		name  string
		query string
		vars  func() map[string]any
	}{
		{"A", shapeA, func() map[string]any { return map[string]any{"s": fmt.Sprintf("artist-%d", rng.IntN(artists))} }},
		{"B", shapeB, func() map[string]any { return map[string]any{"s": fmt.Sprintf("song-%d", rng.IntN(songs))} }},
		{"C", shapeC, func() map[string]any { return nil }},
		{"D", shapeD, func() map[string]any { return nil }},
	}
	for _, s := range shapes {
		for _, h := range []struct {
			name string
			h    http.Handler
		}{{"planned", planned}, {"unplanned", unplanned}} {
			b.Run(s.name+"/"+h.name, func(b *testing.B) {
				for b.Loop() {
					run(b, h.h, s.query, s.vars())
				}
			})
		}
	}
	b.Run("C/floor", func(b *testing.B) {
		if sqlstore.IsPostgres(db.Path()) {
			b.Skip("the floor is SQLite's one statement")
		}
		raw, err := sql.Open("sqlite", "file:"+db.Path()+"?mode=ro")
		if err != nil {
			b.Fatal(err)
		}
		defer raw.Close()
		floor, err := raw.Prepare(floorC)
		if err != nil {
			b.Fatal(err)
		}
		defer floor.Close()
		var got string
		if err := floor.QueryRow().Scan(&got); err != nil {
			b.Fatal(err)
		}
		if want := answerOf(b, planned, shapeC); got != want {
			b.Fatalf("the floor's answer differs from the handler's:\n%.300s\n%.300s", got, want)
		}
		for b.Loop() {
			if err := floor.QueryRow().Scan(&got); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// answerOf returns a query's answer through the handler.
func answerOf(b *testing.B, h http.Handler, query string) string {
	body, _ := json.Marshal(map[string]any{"query": query})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("%d %s", rec.Code, rec.Body.Bytes())
	}
	return rec.Body.String()
}
