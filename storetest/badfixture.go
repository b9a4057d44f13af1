package storetest

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/artistgraph/artistgraph/seed"
)

// Fixtures that are broken in every way a file can be get a clear error
// that says where, and leave the database as it was.
func testBadFixturesLeaveTheDatabaseUnchanged(t *testing.T, b Backend) {
	ctx := context.Background()
	db := b.seeded(t)
	before := b.fingerprint(t, db)
	seven, err := fs.ReadFile(seed.Fixtures(), "000_seven.json")
	if err != nil {
		t.Fatal(err)
	}
	// A large file (a megabyte), valid until one mistake at its end.
	var huge bytes.Buffer
	huge.WriteString(`{"artists": [`)
	for i := range 20_000 {
		fmt.Fprintf(&huge, `{"slug": "huge-%d", "name": "Huge %d", "birthDate": "1990"},`+"\n", i, i)
	}
	huge.WriteString(`{"slug": "huge-last", "name": "Last", "birthDate": "1990-13"}]}`)
	cases := []struct {
		name string
		data []byte
		says []string
	}{
		{"truncated", seven[:len(seven)/2], []string{"bad.json: line 201, column 7:", "the JSON ends too soon"}},
		{"not UTF-8", []byte("{\"artists\": [{\"slug\": \"x\", \"name\": \"caf\xe9\"}]}"), []string{"bad.json: line 1, column 40:", "not UTF-8"}},
		{"large, one mistake at the end", huge.Bytes(), []string{"bad.json: line 20001, column ", "artists[20000].birthDate: \"1990-13\" is not a date"}},
		{"one huge value", []byte(`{"artists": [{"slug": "x", "name": "` + strings.Repeat("ab", 1<<20) + `"}]}`), []string{"artists[0].name: is 2097152 characters long; at most 10000"}},
		{"deeply nested", []byte(`{"artists": [` + strings.Repeat("[", 200_000) + strings.Repeat("]", 200_000) + `]}`), []string{"bad.json: line 1, column ", "exceeded max depth"}},
		{"wrong types", []byte(`{"artists": [{"slug": 5, "name": ["x"]}], "songs": {"slug": "y"}}`), []string{"bad.json: line 1, column 23:", "artists[0].slug: a number cannot go in a field of type string"}},
		{"not a fixture at all", []byte("\x89PNG\r\n\x1a\n\x00\x00"), []string{"bad.json: line 1, column 1: not UTF-8 text"}},
		{"empty", nil, []string{"bad.json: line 1, column 1: empty file"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bad.json")
			if err := os.WriteFile(path, c.data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := seed.Load(ctx, db, path)
			if err == nil {
				t.Fatal("loaded")
			}
			msg := strings.ReplaceAll(err.Error(), path, "bad.json")
			for _, want := range c.says {
				if !strings.Contains(msg, want) {
					t.Errorf("error lacks %q:\n%.600s", want, msg)
				}
			}
			if len(msg) > 5000 {
				t.Errorf("error is %d bytes long; it should say what and where, not quote the file", len(msg))
			}
			if after := b.fingerprint(t, db); after != before {
				t.Fatal("a refused load changed the database")
			}
		})
	}
}
