package seed_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/artistgraph/artistgraph/seed"
	"github.com/artistgraph/artistgraph/storetest"
)

func TestExportRefusesAFolderInUse(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t, filepath.Join(t.TempDir(), "x.db"))
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("mine"), 0o644)
	if _, err := seed.Export(ctx, db, dir); err == nil {
		t.Error("export wrote into a folder that holds files")
	}
}
