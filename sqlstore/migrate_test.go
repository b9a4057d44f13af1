package sqlstore_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/artistgraph/artistgraph/seed"
	"github.com/artistgraph/artistgraph/sqlstore"
	"github.com/artistgraph/artistgraph/storetest"
)

// A database made before a migration gets it on the next Open, with the new
// tables filled from what it already holds.
func TestMigrationBackfillsAnOlderDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sqlstore.Open(ctx, path)
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
	db = reopenAfter(t, path, `DROP TABLE fact_links`, `DROP TABLE name_trigrams`, `DELETE FROM schema_migrations WHERE version IN ('0003_links', '0009_letters')`)
	if got := mustFingerprint(t, db); got != want {
		t.Error("the migrated database differs from one built new")
	}
}

// reopenAfter runs statements on a closed database file outside the store,
// to make it what an older version left, then opens it, which migrates it.
func reopenAfter(t *testing.T, path string, stmts ...string) *sqlstore.DB {
	t.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range stmts {
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatal(stmt, err)
		}
	}
	raw.Close()
	db, err := sqlstore.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Migration 0017 moves the date to the end of award results' and
// performances' keys: a database keyed the old way reads the same after it.
func TestMigrationMovesKeyDatesLast(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sqlstore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	storetest.MustSeed(t, db)
	want := mustFingerprint(t, db)
	db.Close()

	db = reopenAfter(t, path,
		`UPDATE nodes SET fact_key = (SELECT r.award_id || '/' || r.date || '/' || r.category || '/'
			|| coalesce((SELECT group_concat(a.act_id, ',' ORDER BY a.position) FROM award_recipients a WHERE a.result_id = r.id), '')
			|| '/' || coalesce(r.work_id, 0) FROM award_results r WHERE r.id = nodes.id) WHERE kind = 'AwardResult'`,
		`UPDATE nodes SET fact_key = (SELECT p.event_id || '/' || p.date || '/'
			|| coalesce((SELECT group_concat(f.act_id, ',' ORDER BY f.position) FROM performers f WHERE f.performance_id = p.id), '')
			FROM performances p WHERE p.id = nodes.id) WHERE kind = 'Performance'`,
		`DELETE FROM schema_migrations WHERE version = '0017_dated_keys'`)
	if got := mustFingerprint(t, db); got != want {
		t.Error("the migrated keys differ from those a load writes")
	}
}
