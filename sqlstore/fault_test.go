package sqlstore_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/seed"
	"github.com/artistgraph/artistgraph/sqlstore"
	"github.com/artistgraph/artistgraph/storetest"
)

// A full disk refuses writes with a clear error and loses nothing; reads
// go on. SQLite's page limit fails a write exactly as a full disk does.
func TestFullDiskRefusesWritesAndKeepsReads(t *testing.T) {
	ctx := context.Background()
	db := storetest.SeededSQLite(t)
	before := mustFingerprint(t, db)
	if err := sqlstore.LimitPages(ctx, db, 2); err != nil {
		t.Fatal(err)
	}
	big := domain.Draft{"slug": "big", "name": "Big", "description": strings.Repeat("words ", 1600)}
	ds := &domain.Dataset{}
	for i := range 200 {
		ds.Artists = append(ds.Artists, domain.ArtistDoc{ThingDoc: domain.ThingDoc{Slug: "filler-" + string(rune('a'+i%26)) + strings.Repeat("x", i), Name: strings.Repeat("name ", 100) + strconv.Itoa(i)}})
	}
	for name, write := range map[string]func() error{
		"edit": func() error {
			_, err := db.Edit(ctx, domain.Edit{Action: domain.ActionCreate, Kind: domain.KindArtist, Actor: "x", Patch: big})
			return err
		},
		"load": func() error { return db.Load(ctx, ds) },
	} {
		err := write()
		if domain.ErrorCode(err) != domain.EFULL || !strings.Contains(err.Error(), "full") {
			t.Errorf("%s on a full disk: %v", name, err)
		}
	}
	if _, err := db.IDBySlug(ctx, domain.KindArtist, "jungkook"); err != nil {
		t.Errorf("a read on a full disk: %v", err)
	}
	if after := mustFingerprint(t, db); after != before {
		t.Error("a refused write changed the database")
	}
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
}

// A database file that cannot be written (here made immutable) still
// opens and answers reads; writes are refused saying why.
func TestReadOnlyFileRefusesWritesAndKeepsReads(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ro.db")
	db, err := sqlstore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.IfEmpty(ctx, db); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if os.Geteuid() != 0 {
		if err := os.Chmod(path, 0o444); err != nil {
			t.Fatal(err)
		}
	} else {
		// Root ignores file modes; the immutable attribute binds it too.
		if out, err := exec.Command("chattr", "+i", path).CombinedOutput(); err != nil {
			t.Fatalf("cannot make the file read-only (chattr: %v %s); as root this test needs e2fsprogs and an ext4-like file system", err, out)
		}
		t.Cleanup(func() { _ = exec.Command("chattr", "-i", path).Run() })
	}
	db, err = sqlstore.Open(ctx, path)
	if err != nil {
		t.Fatalf("a read-only file does not open: %v", err)
	}
	defer db.Close()
	id, err := db.IDBySlug(ctx, domain.KindArtist, "jungkook")
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	_, err = db.Edit(ctx, domain.Edit{Action: domain.ActionUpdate, ID: id, Revision: 1, Actor: "x", Patch: domain.Draft{"note": "n"}})
	if domain.ErrorCode(err) != domain.EREADONLY || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("edit of a read-only file: %v", err)
	}
	if _, err := db.CreateToken(ctx, "x", domain.RoleEditor); domain.ErrorCode(err) != domain.EREADONLY {
		t.Errorf("token on a read-only file: %v", err)
	}
}
