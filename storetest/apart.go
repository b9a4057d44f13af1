package storetest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/seed"
	"github.com/artistgraph/artistgraph/seed/synth"
)

// newThings are described by both forms of testFactsWrittenApart.
const newThings = `
	"artists": [{"slug": "new-singer", "name": "New Singer", "birthDate": "1995"}]`

// apart writes a fact of every kind that has a holder apart from it.
const apart = `{` + newThings + `,
	"songs": [{"slug": "new-song", "name": "New Song", "released": "2024-01-05"}],
	"events": [{"slug": "new-show", "name": "New Show", "kind": "broadcast", "start": "2024-02-01"}],
	"memberships": [{"group": "one-direction", "artist": "new-singer", "start": "2016", "sources": ["wikipedia-one-direction"]}],
	"credits": [{"song": "as-it-was", "act": "new-singer", "role": "writer", "sources": ["wikipedia-harry-styles"]}],
	"tracks": [{"album": "harrys-house", "song": "new-song", "position": 14, "sources": ["wikipedia-harry-styles"]}],
	"awardResults": [{"award": "grammy-awards", "date": "2024-02-04", "category": "Best New Artist", "result": "nominated", "recipients": ["new-singer"], "sources": ["wikipedia-harry-styles"]}],
	"performances": [{"event": "new-show", "date": "2024-02-01", "performers": ["new-singer"], "setList": [{"song": "new-song"}], "sources": ["wikipedia-harry-styles"]}],
	"signings": [{"label": "columbia-records", "act": "new-singer", "start": "2023", "sources": ["wikipedia-harry-styles"]}],
	"labelReleases": [{"label": "columbia-records", "song": "new-song", "sources": ["wikipedia-harry-styles"]}]
}`

// held writes the same facts inside their holders, restated by slug and
// name (the credit after the song's stored one).
const held = `{` + newThings + `,
	"groups": [{"slug": "one-direction", "name": "One Direction", "members": [{"artist": "new-singer", "start": "2016", "sources": ["wikipedia-one-direction"]}]}],
	"songs": [{"slug": "new-song", "name": "New Song", "released": "2024-01-05"}, {"slug": "as-it-was", "name": "As It Was", "credits": [
		{"act": "harry-styles", "role": "primary", "sources": ["wikipedia-harry-styles"]},
		{"act": "new-singer", "role": "writer", "sources": ["wikipedia-harry-styles"]}]}],
	"albums": [{"slug": "harrys-house", "name": "Harry's House", "tracks": [{"song": "new-song", "position": 14, "sources": ["wikipedia-harry-styles"]}]}],
	"awards": [{"slug": "grammy-awards", "name": "Grammy Awards", "results": [{"date": "2024-02-04", "category": "Best New Artist", "result": "nominated", "recipients": ["new-singer"], "sources": ["wikipedia-harry-styles"]}]}],
	"events": [{"slug": "new-show", "name": "New Show", "kind": "broadcast", "start": "2024-02-01", "performances": [{"date": "2024-02-01", "performers": ["new-singer"], "setList": [{"song": "new-song"}], "sources": ["wikipedia-harry-styles"]}]}],
	"labels": [{"slug": "columbia-records", "name": "Columbia Records", "signings": [{"act": "new-singer", "start": "2023", "sources": ["wikipedia-harry-styles"]}], "releases": [{"song": "new-song", "sources": ["wikipedia-harry-styles"]}]}]
}`

// A fact written apart, naming its holder, is the same fact as one written
// inside it: both load to the same graph, which exports the same bytes.
func testFactsWrittenApart(t *testing.T, b Backend) {
	ctx := context.Background()
	export := func(fixture string) string {
		db := b.seeded(t)
		ds, err := seed.Decode([]byte(fixture))
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Load(ctx, ds); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(t.TempDir(), "export")
		if _, err := seed.Export(ctx, db, dir); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	heldForm := export(held)
	sameFiles(t, export(apart), heldForm)

	// Loading the facts written apart again changes nothing.
	db := b.seeded(t)
	for range 2 {
		ds, err := seed.Decode([]byte(apart))
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Load(ctx, ds); err != nil {
			t.Fatal(err)
		}
	}
	again := filepath.Join(t.TempDir(), "again")
	if _, err := seed.Export(ctx, db, again); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, again, heldForm)
}

// Into an empty store, a fact written apart may come before the thing it
// names (in a later file); it waits for it, takes the billing position
// after the work's credits, and is dated by its work's release, which
// orders an act's credits.
func testFactsWrittenApartIntoAnEmptyStore(t *testing.T, b Backend) {
	ctx := context.Background()
	db := b.open(t)
	ds, err := seed.Decode([]byte(`{
		"sources": [{"slug": "s", "name": "S"}],
		"credits": [{"song": "x", "act": "a", "role": "featured", "sources": ["s"]}],
		"artists": [{"slug": "a", "name": "A"}, {"slug": "b", "name": "B"}],
		"songs": [
			{"slug": "x", "name": "X", "released": "2022-05", "credits": [{"act": "b", "role": "primary", "sources": ["s"]}]},
			{"slug": "y", "name": "Y", "released": "2021", "credits": [{"act": "a", "role": "primary", "sources": ["s"]}]}
		]
	}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Load(ctx, ds); err != nil {
		t.Fatal(err)
	}
	x, _ := db.IDBySlug(ctx, domain.KindSong, "x")
	y, _ := db.IDBySlug(ctx, domain.KindSong, "y")
	credits, err := db.CreditsOfWorks(ctx, []int64{x})
	if err != nil || len(credits[x]) != 2 || credits[x][0].Position != 1 || credits[x][1].Position != 2 || credits[x][1].Role != "featured" {
		t.Fatalf("credits of X %+v, %v: want the primary, then the featured one written apart", credits[x], err)
	}
	a, _ := db.IDBySlug(ctx, domain.KindArtist, "a")
	pages, err := db.CreditsOfActs(ctx, []int64{a}, "", domain.PageArgs{First: 10})
	if err != nil {
		t.Fatal(err)
	}
	ofA, err := db.Credits(ctx, pages[a].IDs)
	if err != nil || len(ofA) != 2 || ofA[0].WorkID != y || ofA[1].WorkID != x {
		t.Errorf("credits of A %+v, %v: want Y (2021) before X (2022-05)", ofA, err)
	}
}

// A new thing may share a stored thing's name when it says it is another
// one, in a fixture or an edit; the export says so too, so that it loads
// back.
func testDistinctThingsOfOneName(t *testing.T, b Backend) {
	ctx := context.Background()
	db := b.seeded(t)
	ds, err := seed.Decode([]byte(`{"songs": [{"slug": "seven-cover", "name": "Seven", "distinctFrom": ["seven"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Load(ctx, ds); err != nil {
		t.Fatal(err)
	}
	mustEdit(t, db, domain.Edit{Action: domain.ActionCreate, Kind: domain.KindSong,
		Patch: domain.Draft{"slug": "seven-remix", "name": "seven", "distinctFrom": []any{"seven", "seven-cover"}}})
	var distinct []string
	err = db.Export(ctx, func(_ string, item any) error {
		if _, thing := domain.ItemThing(item); thing != nil && thing.Slug == "seven-remix" {
			distinct = thing.DistinctFrom
		}
		return nil
	})
	if err != nil || strings.Join(distinct, ",") != "seven,seven-cover" {
		t.Errorf("the export says seven-remix is distinct from %v (%v), want seven and seven-cover", distinct, err)
	}
}

// A load into a populated store queues the rows of what is new, as a load
// into an empty one does: loading the built-in fixtures and then a
// synthetic graph (and a stored fact restated to join a new thing) gives
// the same graph, and the same songs by streams, as loading them all at once.
func testLoadIntoAPopulatedStoreIsTheSameGraph(t *testing.T, b Backend) {
	ctx := context.Background()
	dir := t.TempDir()
	builtIn := filepath.Join(dir, "built-in")
	if err := os.CopyFS(builtIn, seed.Fixtures()); err != nil {
		t.Fatal(err)
	}
	graph := filepath.Join(dir, "synth")
	if _, err := synth.Generate(graph, synth.Small); err != nil {
		t.Fatal(err)
	}
	more := filepath.Join(dir, "more")
	if err := os.MkdirAll(more, 0o755); err != nil {
		t.Fatal(err)
	}
	// A stored result restated to join a ceremony the same file adds.
	if err := os.WriteFile(filepath.Join(more, "more.json"), []byte(`{
		"songs": [{"slug": "new-hit", "name": "New Hit", "released": "2029"}],
		"events": [{"slug": "mama-2023", "name": "2023 MAMA Awards", "kind": "ceremony", "start": "2023-11-28"}],
		"awardResults": [{"award": "grammy-awards", "ceremony": "65th-annual-grammy-awards", "date": "2023-02-05", "category": "Album of the Year", "result": "won", "recipients": ["harry-styles"], "work": {"album": "harrys-house"}, "sources": ["wikipedia-65th-grammys"]}],
		"milestones": [{"song": "new-hit", "platform": "spotify", "metric": "streams", "threshold": 90000000000, "reached": "2030", "sources": ["article-2024-02-22-seven"]}]
	}`), 0o644); err != nil {
		t.Fatal(err)
	}
	export := func(db domain.Store) string {
		out := filepath.Join(t.TempDir(), "export")
		if _, err := seed.Export(ctx, db, out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	topSongs := func(db domain.Store) []int64 {
		page, err := db.ListSongs(ctx, domain.SongFilter{OrderBy: "streams", Desc: true}, domain.PageArgs{First: 5})
		if err != nil {
			t.Fatal(err)
		}
		return page.IDs
	}
	step := b.open(t)
	for _, paths := range [][]string{{builtIn}, {graph, more}} {
		if _, err := seed.Load(ctx, step, paths...); err != nil {
			t.Fatal(err)
		}
	}
	once := b.open(t)
	if _, err := seed.Load(ctx, once, builtIn, graph, more); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, export(step), export(once))
	a, c := topSongs(step), topSongs(once)
	if len(a) == 0 || len(a) != len(c) {
		t.Fatalf("songs by streams: %v and %v", a, c)
	}
	for i := range a {
		if x, y := slugOf(t, step, a[i]), slugOf(t, once, c[i]); x != y {
			t.Errorf("songs by streams differ at %d: %s and %s", i, x, y)
		}
	}
	if x := slugOf(t, step, a[0]); x != "new-hit" {
		t.Errorf("%s leads by streams, not new-hit and its 90 billion", x)
	}
}

func slugOf(t *testing.T, db domain.Store, id int64) string {
	t.Helper()
	nodes, err := db.Nodes(context.Background(), []int64{id})
	if err != nil || len(nodes) == 0 {
		t.Fatalf("node %d: %v", id, err)
	}
	return nodes[0].(domain.AnyThing).ThingFields().Slug
}
