package sqlstore

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/artistgraph/artistgraph/seed"
)

// Migration 0013 fills nodes.local_names from stored names with the same
// bytes domain.LocalNames writes when names are written: the built-in
// fixtures, loaded, then filled again by the migration's statement.
func TestLocalNamesBackfillMatchesTheWriter(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "names.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := seed.IfEmpty(ctx, db); err != nil {
		t.Fatal(err)
	}
	read := func() map[int64]string {
		rows, err := db.write.QueryContext(ctx, `SELECT id, local_names FROM nodes WHERE slug IS NOT NULL`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[int64]string{}
		for rows.Next() {
			var id int64
			var names string
			if err := rows.Scan(&id, &names); err != nil {
				t.Fatal(err)
			}
			out[id] = names
		}
		return out
	}
	written := read()
	body, err := migrations.ReadFile("migrations/sqlite/0013_local_names.sql")
	if err != nil {
		t.Fatal(err)
	}
	update := string(body[strings.Index(string(body), "UPDATE nodes"):])
	if _, err := db.write.ExecContext(ctx, `UPDATE nodes SET local_names = ''`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.write.ExecContext(ctx, update); err != nil {
		t.Fatal(err)
	}
	localized := 0
	for id, names := range read() {
		if names != written[id] {
			t.Errorf("node %d: the migration writes %q, the writer %q", id, names, written[id])
		}
		if names != "" {
			localized++
		}
	}
	if localized == 0 {
		t.Error("no thing has a name in a locale")
	}
}
