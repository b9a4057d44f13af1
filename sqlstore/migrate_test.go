package sqlstore_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/artistgraph/artistgraph/seed"
	"github.com/artistgraph/artistgraph/sqlstore"
	"github.com/artistgraph/artistgraph/storetest"
	"github.com/jackc/pgx/v5"
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

// Every migration of either engine is listed in migrations/released.sum
// with its checksum: a released migration edited in place fails here, as
// it would fail at start-up on every database that applied it. A new
// migration is added to the list when it is released.
func TestReleasedMigrationsAreNeverEdited(t *testing.T) {
	raw, err := os.ReadFile("migrations/released.sum")
	if err != nil {
		t.Fatal(err)
	}
	released := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		name, sum, _ := strings.Cut(line, " ")
		released[name] = sum
	}
	for _, engine := range []string{"sqlite", "postgres"} {
		list, err := sqlstore.Migrations(engine)
		if err != nil || len(list) == 0 {
			t.Fatalf("%s: %d migrations (%v)", engine, len(list), err)
		}
		for _, m := range list {
			name := engine + "/" + m.Version
			switch sum, ok := released[name]; {
			case !ok:
				t.Errorf("%s is not in migrations/released.sum; once released, add: %s %s", name, name, m.Checksum)
			case sum != m.Checksum:
				t.Errorf("%s was edited after its release (checksum %s, now %s): write a new migration instead", name, sum, m.Checksum)
			}
			delete(released, name)
		}
	}
	for name := range released {
		t.Errorf("%s is in migrations/released.sum but not among the migrations: a released migration is never removed", name)
	}
}

// A database that applied a migration whose text has since changed is
// refused at start-up, on either engine, saying which migration.
func TestAnEditedMigrationIsRefused(t *testing.T) {
	ctx := context.Background()
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "edited.db")
		db, err := sqlstore.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		raw, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(`UPDATE schema_migrations SET checksum = 'edited' WHERE version = '0005_history'`); err != nil {
			t.Fatal(err)
		}
		raw.Close()
		if db, err := sqlstore.Open(ctx, path); err == nil || !strings.Contains(err.Error(), "migration 0005_history was changed after this database applied it") {
			t.Errorf("opened with an edited migration: %v", err)
			if db != nil {
				db.Close()
			}
		}
	})
	t.Run("postgres", func(t *testing.T) {
		url := storetest.NewPostgresDatabase(t)
		db, err := sqlstore.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, `UPDATE schema_migrations SET checksum = 'edited' WHERE version = '0001_schema'`); err != nil {
			t.Fatal(err)
		}
		conn.Close(ctx)
		if db, err := sqlstore.Open(ctx, url); err == nil || !strings.Contains(err.Error(), "migration 0001_schema was changed after this database applied it") {
			t.Errorf("opened with an edited migration: %v", err)
			if db != nil {
				db.Close()
			}
		}
	})
}

// A database made before checksums were kept takes its migrations'
// checksums as they are, and opens.
func TestChecksumsOfAnOlderDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sqlstore.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	reopenAfter(t, path, `ALTER TABLE schema_migrations DROP COLUMN checksum`).Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var unsummed int
	if err := raw.QueryRow(`SELECT count(*) FROM schema_migrations WHERE checksum = ''`).Scan(&unsummed); err != nil || unsummed != 0 {
		t.Errorf("%d migrations without a checksum (%v)", unsummed, err)
	}
}

// Both engines' migrations give the same tables and columns (search aside,
// which each engine indexes its own way): a schema change made for one and
// not the other fails here.
func TestEnginesHaveTheSameTables(t *testing.T) {
	ctx := context.Background()
	lite := storetest.MustOpen(t, filepath.Join(t.TempDir(), "tables.db"))
	pg := storetest.MustOpen(t, storetest.NewPostgresDatabase(t))
	liteColumns, err := sqlstore.Columns(ctx, lite)
	if err != nil {
		t.Fatal(err)
	}
	pgColumns, err := sqlstore.Columns(ctx, pg)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(liteColumns, pgColumns) {
		t.Errorf("the engines' tables differ:\nSQLite:     %v\nPostgreSQL: %v", liteColumns, pgColumns)
	}
}
