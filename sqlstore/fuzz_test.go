package sqlstore_test

import (
	"context"
	"io/fs"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/seed"
	"github.com/artistgraph/artistgraph/storetest"
)

// A fixture document of any bytes either loads or is refused with a problem
// a fixture author can act on (never an internal error: that would be a
// hole in validation that the database caught), and a refused load leaves
// the database exactly as it was.
func FuzzLoad(f *testing.F) {
	ctx := context.Background()
	db := storetest.SeededSQLite(f)
	names, _ := fs.Glob(seed.Fixtures(), "*.json")
	for _, name := range names {
		b, _ := fs.ReadFile(seed.Fixtures(), name)
		f.Add(b)
	}
	for _, s := range []string{
		`{"artists": [{"slug": "new-one", "name": "New One", "birthDate": "2001"}]}`,
		`{"groups": [{"slug": "bts", "name": "BTS", "members": [{"artist": "jungkook", "start": "2000", "sources": ["wikipedia-bts"]}]}]}`,
		`{"songs": [{"slug": "seven", "name": "Seven", "released": "2030"}]}`,
		`{"records": [{"claim": "x", "subjects": ["song:seven", "song:seven"], "sources": ["wikipedia-bts"]}]}`,
		`{"albums": [{"slug": "golden", "name": "GOLDEN", "kind": "studio_album", "tracks": [{"song": "seven", "position": 1, "sources": ["wikipedia-bts"]}, {"song": "seven", "position": 2, "sources": ["wikipedia-bts"]}]}]}`,
		`{"artists": [{"slug": "a", "name": "A", "names": [{"value": "A"}, {"value": "A"}]}]}`,
	} {
		f.Add([]byte(s))
	}
	before := mustFingerprint(f, db)
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := seed.Decode(data)
		if err != nil {
			return
		}
		err = db.Load(ctx, ds)
		if err == nil {
			before = mustFingerprint(t, db)
			return
		}
		if domain.ErrorCode(err) == domain.EINTERNAL {
			t.Fatalf("internal error on a fixture: %v", err)
		}
		if after := mustFingerprint(t, db); after != before {
			t.Fatalf("a refused load changed the database: %v", err)
		}
	})
}

// Search takes any text, and list and search cursors any string: a bad one
// is INVALID, never an internal error.
func FuzzSearchAndCursors(f *testing.F) {
	ctx := context.Background()
	db := storetest.SeededSQLite(f)
	page, err := db.ListThings(ctx, domain.KindArtist, domain.ThingFilter{}, domain.PageArgs{First: 2})
	if err != nil {
		f.Fatal(err)
	}
	_, hits, err := db.Search(ctx, "jungkok", nil, domain.PageArgs{First: 1})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"정국", "jung*", `"seven`, "NEAR(a b)", "a OR b", "-x", "col:val", "^", "", "\x00", "ﬁve", page.Cursors[1], hits.Cursors[0], "eyJrIjoxLCJpIjotMX0", "e30"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, _, err := db.Search(ctx, s, nil, domain.PageArgs{First: 5}); err != nil {
			t.Fatalf("search %q: %v", s, err)
		}
		for _, call := range []func() error{
			func() error {
				_, err := db.ListThings(ctx, domain.KindSong, domain.ThingFilter{}, domain.PageArgs{After: s})
				return err
			},
			func() error {
				_, _, err := db.Search(ctx, "seven", nil, domain.PageArgs{After: s})
				return err
			},
			func() error {
				_, err := db.RecentChanges(ctx, domain.ChangeFilter{}, domain.PageArgs{After: s})
				return err
			},
		} {
			if err := call(); err != nil && domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("cursor %q: %v", s, err)
			}
		}
	})
}
