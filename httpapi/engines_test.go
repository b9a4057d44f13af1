package httpapi_test

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"sort"
	"testing"

	"github.com/artistgraph/artistgraph/httpapi"
	"github.com/artistgraph/artistgraph/seed"
	"github.com/artistgraph/artistgraph/seed/synth"
	"github.com/artistgraph/artistgraph/sqlstore"
	"github.com/artistgraph/artistgraph/storetest"
)

// TestEnginesAnswerAlike loads the built-in fixtures and the small
// synthetic graph into SQLite and into PostgreSQL and asks both the same
// questions: the read shapes, timelines, paths, searches of every tier
// (Hangul and near spellings included) and the history. The answers are
// the same bytes.
func TestEnginesAnswerAlike(t *testing.T) {
	storetest.PostgresServer(t)
	dir := filepath.Join(t.TempDir(), "synth")
	if _, err := synth.Generate(dir, synth.Small); err != nil {
		t.Fatal(err)
	}
	load := func(db *sqlstore.DB) *httpapi.Handler {
		storetest.MustSeed(t, db)
		if _, err := seed.Load(context.Background(), db, dir); err != nil {
			t.Fatal(err)
		}
		return httpapi.New(db, httpapi.Options{Logger: slog.New(slog.DiscardHandler)})
	}
	lite := load(storetest.MustOpen(t, filepath.Join(t.TempDir(), "lite.db")))
	pg := load(storetest.MustOpen(t, storetest.NewPostgresDatabase(t)))

	questions := map[string]string{
		"timeline":      `{ artist(slug: "jungkook") { timeline { edges { node { date kind text } } } } group(slug: "one-direction") { timeline { edges { node { date kind text } } } } }`,
		"onThisDay":     `{ onThisDay(date: "2024-09-01") { edges { node { date kind text } } } }`,
		"path":          `{ path(from: "artist:jungkook", to: "artist:harry-styles", limit: 5) { paths { text } } }`,
		"songsByStream": `{ songs(first: 40, orderBy: STREAMS, descending: true) { totalCount edges { cursor node { slug } } } }`,
		"history":       `{ recentChanges(first: 20) { edges { node { kind action } } } }`,
	}
	for _, q := range []string{"jungkook", "정국", "전정극", "jungk", "jung kook", "seven", "harry styles", "one directon", "jungkok", "stlyes", "BTS", "beyonce", "ka", "the", "Mo", "zz"} {
		questions["search "+q] = `{ search(query: "` + q + `", first: 30) { totalCount pageInfo { hasNextPage endCursor } edges { matchKind matchedName node { id } } } }`
	}
	questions["search by kind"] = `{ search(query: "jung", kinds: [ARTIST, SONG], first: 10) { totalCount edges { matchKind node { id } } } }`
	for name, shape := range shapes {
		if shape.vars == nil && name != "A" && name != "B" {
			questions["shape "+name] = shape.query
		}
	}
	names := make([]string, 0, len(questions))
	for name := range questions {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		want := askHandler(t, lite, questions[name], nil)
		if got := askHandler(t, pg, questions[name], nil); !bytes.Equal(got, want) {
			t.Errorf("%s: PostgreSQL answers differently\nPostgreSQL: %.600s\nSQLite:     %.600s", name, got, want)
		}
	}
}
