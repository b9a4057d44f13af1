package sqlstore_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/seed"
	"github.com/artistgraph/artistgraph/sqlstore"
	"github.com/artistgraph/artistgraph/storetest"
)

func mustFingerprint(tb testing.TB, db *sqlstore.DB) string {
	tb.Helper()
	fp, err := sqlstore.Fingerprint(context.Background(), db)
	if err != nil {
		tb.Fatal(err)
	}
	return fp
}

func TestMemoryPathIsSharedAcrossConnectionsAndRemoved(t *testing.T) {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, sqlstore.MemoryPath)
	if err != nil {
		t.Fatal(err)
	}
	storetest.MustSeed(t, db)
	// Reads go through the reader pool, writes through the writer: both must
	// see the same database.
	page, err := db.ListThings(ctx, domain.KindArtist, domain.ThingFilter{}, domain.PageArgs{First: 100, WithTotal: true})
	if err != nil || page.Total == 0 {
		t.Fatalf("readers see %d artists (%v)", page.Total, err)
	}
	path := db.Path()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := filepath.Glob(path); err != nil {
		t.Fatal(err)
	}
	if matches, _ := filepath.Glob(filepath.Dir(path) + "/*"); len(matches) > 0 {
		t.Errorf("Close left %v behind", matches)
	}
}

// A backup taken while writes go on opens, passes the integrity check and
// holds a whole graph.
func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	db := storetest.SeededSQLite(t)
	done := make(chan error, 1)
	go func() {
		for i := 0; i < 50; i++ {
			ds, err := seed.Decode([]byte(fmt.Sprintf(`{"artists": [{"slug": "writer-%d", "name": "Writer %d"}]}`, i, i)))
			if err == nil {
				err = db.Load(ctx, ds)
			}
			if err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	backup, err := sqlstore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer backup.Close()
	if err := backup.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := backup.IDBySlug(ctx, domain.KindSong, "seven"); err != nil {
		t.Errorf("the backup lacks Seven: %v", err)
	}
	if err := db.Backup(ctx, path); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a backup over an existing file: %v", err)
	}
}

// TestReadStatementsArePreparedOnce reads lists of several lengths: each
// kind of read is prepared the first time and reused after, whatever the
// number of IDs or parents.
func TestReadStatementsArePreparedOnce(t *testing.T) {
	db := storetest.SeededSQLite(t)
	ctx := context.Background()
	page, err := db.ListThings(ctx, domain.KindArtist, domain.ThingFilter{}, domain.PageArgs{First: 20})
	if err != nil || len(page.IDs) < 5 {
		t.Fatalf("artists: %v (%d)", err, len(page.IDs))
	}
	read := func(n int) {
		t.Helper()
		ids := page.IDs[:n]
		if _, err := db.Nodes(ctx, ids); err != nil {
			t.Fatal(err)
		}
		if _, err := db.MembershipsOfArtists(ctx, ids); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreditsOfActs(ctx, ids, "", domain.PageArgs{First: 3, WithTotal: true}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.Steps(ctx, ids, nil, 10); err != nil {
			t.Fatal(err)
		}
	}
	read(1)
	prepared := sqlstore.PreparedStatements(db)
	for _, n := range []int{2, 5, len(page.IDs)} {
		read(n)
	}
	if got := sqlstore.PreparedStatements(db); got != prepared {
		t.Errorf("reading more IDs prepared %d statements more; want none", got-prepared)
	}
}

// TestMemoryMappedReads opens a database whose readers map the file, and
// reads through them.
func TestMemoryMappedReads(t *testing.T) {
	ctx := context.Background()
	db, err := sqlstore.OpenWith(ctx, filepath.Join(t.TempDir(), "mapped.db"), sqlstore.Options{MmapBytes: 64 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.MustSeed(t, db)
	if n, err := sqlstore.MmapSize(db); err != nil || n != 64<<20 {
		t.Errorf("mmap_size %d (%v), want 64 MiB", n, err)
	}
	if _, err := db.IDBySlug(ctx, domain.KindArtist, "jungkook"); err != nil {
		t.Error(err)
	}
	if _, err := sqlstore.OpenWith(ctx, filepath.Join(t.TempDir(), "x.db"), sqlstore.Options{MmapBytes: -1}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a negative map: %v", err)
	}
}
