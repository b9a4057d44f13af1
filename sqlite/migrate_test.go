package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/artistgraph/artistgraph/seed"
	"github.com/artistgraph/artistgraph/sqlite"
)

// A database made before a migration gets it on the next Open, with the new
// tables filled from what it already holds.
func TestMigrationBackfillsAnOlderDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	// What a database of that time could hold: no labels (migration 0011),
	// no ceremonies (0016).
	ds, err := seed.ReadFS(seed.Fixtures())
	if err != nil {
		t.Fatal(err)
	}
	ds.Labels = nil
	for i := range ds.Awards {
		for j := range ds.Awards[i].Results {
			ds.Awards[i].Results[j].Ceremony = ""
		}
	}
	if err := db.Load(ctx, ds); err != nil {
		t.Fatal(err)
	}
	want := mustFingerprint(t, db)
	db.Close()

	// Turn the file back into what migration 0002 left (and so without the
	// later migrations that rework what 0003 made).
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{`DROP TABLE fact_links`, `DROP TABLE name_trigrams`, `DELETE FROM schema_migrations WHERE version IN ('0003_links', '0009_letters')`} {
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatal(stmt, err)
		}
	}
	raw.Close()

	db, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := mustFingerprint(t, db); got != want {
		t.Error("the migrated database differs from one built new")
	}
}
