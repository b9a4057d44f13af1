package seed_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/seed"
	"github.com/artistgraph/artistgraph/storetest"
)

func TestDecodeRefusesBadDocuments(t *testing.T) {
	tests := []struct {
		name, doc string
		want      string
	}{
		{"unknown field", "{\n  \"artists\": [{\"slug\": \"a\", \"name\": \"A\", \"brithDate\": \"1990\"}]\n}", `line 2, column 42: artists[0]: unknown field "brithDate"`},
		{"wrong type", `{"songs": [{"slug": "a", "name": 7}]}`, `line 1, column 34: songs[0].name: a number cannot go in a field of type string`},
		{"impossible date", `{"songs": [{"slug": "a", "name": "A", "released": "2023-02-29"}]}`, `"2023-02-29" is not a date: 2023-02 has no day 29`},
		{"date as a number", `{"songs": [{"slug": "a", "name": "A", "released": 2023}]}`, `a date must be a string`},
		{"truncated", `{"songs": [{"slug": "a"`, `the JSON ends too soon`},
		{"syntax", `{"songs": [}`, `line 1, column 12: invalid character '}'`},
		{"trailing data", `{} {}`, `more data after the fixture's JSON object`},
		{"empty", ``, `empty file`},
		{"not an object", `[1, 2]`, `line 1, column 1: a fixture is a JSON object`},
		{"not a list", `{"songs": {}}`, `line 1, column 11: "songs" holds a list`},
		{"an unknown list", `{"sngs": []}`, `unknown field "sngs"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := seed.Decode([]byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error saying %q", err, tt.want)
			}
		})
	}
}

func TestReadPathsListsTheProblemsOfEveryFile(t *testing.T) {
	files, err := seed.ReadPaths("testdata/broken")
	if err != nil {
		t.Fatal(err)
	}
	err = files.Each(func(any) error { return nil })
	if err == nil {
		t.Fatal("broken fixtures were read")
	}
	for _, want := range []string{
		"testdata/broken/not-utf8.json: line 1, column 37: not UTF-8 text",
		"testdata/broken/truncated.json: line 1, column 65: the JSON ends too soon",
		`testdata/broken/typo.json: line 3, column 38: artists[0]: unknown field "brithDate"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not say %q:\n%v", want, err)
		}
	}
	if _, err := seed.ReadPaths("testdata/no-such-folder"); err == nil || !strings.Contains(err.Error(), "no-such-folder: cannot read") {
		t.Errorf("a missing path: %v", err)
	}
	if _, err := seed.ReadPaths(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no fixture files") {
		t.Errorf("an empty folder: %v", err)
	}
}

func TestShippedFixturesAreValid(t *testing.T) {
	ds, err := seed.ReadFS(seed.Fixtures())
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Artists) == 0 || ds.FactCount() == 0 {
		t.Fatal("the shipped fixtures are empty")
	}
	// Every fact of the seed article is there, citing it.
	for _, song := range ds.Songs {
		if song.Slug == "seven" && !contains(song.Sources, "article-2024-02-22-seven") {
			t.Error("Seven does not cite the seed article")
		}
	}
}

// Another career, written the same way by hand, loads with no code change.
func TestAnotherCareerLoadsFromFixturesAlone(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t, filepath.Join(t.TempDir(), "other.db"))
	stats, err := seed.Load(ctx, db, "testdata/fictional-career")
	if err != nil {
		t.Fatal(err)
	}
	if stats.Things != 6 || stats.Facts != 6 {
		t.Fatalf("loaded %+v, want 6 things and 6 facts", stats)
	}
	id, err := db.IDBySlug(ctx, domain.KindGroup, "the-tests")
	if err != nil {
		t.Fatal(err)
	}
	pages, err := db.MembershipsOfGroups(ctx, []int64{id}, domain.PageArgs{WithTotal: true})
	if err != nil || pages[id].Total != 2 {
		t.Fatalf("the group has %d members (%v)", pages[id].Total, err)
	}
}

// The second fixture of seed/README.md adds a member and a credit to
// stored things without restating them; loaded twice, it changes nothing.
func TestASecondFixtureAddsFactsApart(t *testing.T) {
	ctx := context.Background()
	db := storetest.SeededSQLite(t)
	for range 2 {
		stats, err := seed.Load(ctx, db, "testdata/second-fixture")
		if err != nil {
			t.Fatal(err)
		}
		if stats.Things != 1 || stats.Facts != 2 {
			t.Fatalf("loaded %+v, want 1 thing and 2 facts", stats)
		}
	}
	group, _ := db.IDBySlug(ctx, domain.KindGroup, "one-direction")
	members, err := db.AllMembershipsOfGroups(ctx, []int64{group})
	if err != nil || len(members[group]) != 6 {
		t.Errorf("One Direction has %d memberships (%v), want its five and the new one", len(members[group]), err)
	}
	song, _ := db.IDBySlug(ctx, domain.KindSong, "as-it-was")
	credits, err := db.CreditsOfWorks(ctx, []int64{song})
	if err != nil || len(credits[song]) != 2 || credits[song][1].Position != 2 {
		t.Errorf("As It Was's credits %+v (%v): want the new one second", credits[song], err)
	}
}

func TestIfEmptySeedsOnce(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t, filepath.Join(t.TempDir(), "x.db"))
	for i, want := range []bool{true, false} {
		seeded, err := seed.IfEmpty(ctx, db)
		if err != nil || seeded != want {
			t.Errorf("call %d: seeded=%v err=%v, want %v", i+1, seeded, err, want)
		}
	}
}

// A file of the wrong kind (here 64 MiB of zero bytes, as a disk image
// would be) fails at its first byte, without being read into memory.
func TestLoadRefusesAFileThatIsNotJSON(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(64 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	files, err := seed.ReadPaths(path)
	if err != nil {
		t.Fatal(err)
	}
	err = files.Each(func(any) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "huge.json: line 1, column 1: invalid character") {
		t.Errorf("got %v", err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Every problem of a file is reported, each at the line, column and path of
// the value itself: two impossible dates deep in one item, two unknown
// fields in two items.
func TestEveryProblemIsPlacedAtItsValue(t *testing.T) {
	doc := `{
  "awards": [
    {
      "slug": "grammy", "name": "Grammy",
      "results": [
        {"recipients": ["a"], "result": "won",
         "date": "2023-02-30"},
        {"recipients": ["a"], "result": "won", "date": "2021-13"}
      ]
    }
  ],
  "songs": [
    {"slug": "x", "titel": "X"},
    {"slug": "y", "name": "Y", "titel": "Y"}
  ]
}`
	_, err := seed.Decode([]byte(doc))
	if err == nil {
		t.Fatal("the file was read")
	}
	for _, want := range []string{
		`line 7, column 18: awards[0].results[0].date: "2023-02-30" is not a date`,
		`line 8, column 56: awards[0].results[1].date: "2021-13" is not a date`,
		`line 13, column 19: songs[0]: unknown field "titel"`,
		`line 14, column 32: songs[1]: unknown field "titel"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the problems do not say %q:\n%v", want, err)
		}
	}
}
