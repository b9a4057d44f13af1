package storetest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/artistgraph/artistgraph/seed"
	"github.com/artistgraph/artistgraph/seed/synth"
)

// sameFiles reports the first difference between two folders of files.
func sameFiles(t *testing.T, a, b string) {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(a, "*"))
	others, _ := filepath.Glob(filepath.Join(b, "*"))
	if len(names) != len(others) || len(names) == 0 {
		t.Fatalf("%d files against %d", len(names), len(others))
	}
	for _, name := range names {
		x, _ := os.ReadFile(name)
		y, err := os.ReadFile(filepath.Join(b, filepath.Base(name)))
		if err != nil || !bytes.Equal(x, y) {
			t.Fatalf("%s differs after a round trip (%v)", filepath.Base(name), err)
		}
	}
}

// roundTrip loads fixtures, exports them, loads the export into a new
// database and exports that: the two exports must be the same bytes.
func roundTrip(t *testing.T, b Backend, fixtures string) {
	ctx := context.Background()
	tmp := t.TempDir()
	first := b.open(t)
	original, err := seed.Load(ctx, first, fixtures)
	if err != nil {
		t.Fatal(err)
	}
	exported := filepath.Join(tmp, "export-1")
	stats, err := seed.Export(ctx, first, exported)
	if err != nil || stats.Items == 0 {
		t.Fatalf("export: %+v %v", stats, err)
	}
	second := b.open(t)
	loaded, err := seed.Load(ctx, second, exported)
	if err != nil {
		t.Fatal(err)
	}
	again := filepath.Join(tmp, "export-2")
	if _, err := seed.Export(ctx, second, again); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, exported, again)
	if loaded != original {
		t.Errorf("the fixtures hold %+v, their export %+v", original, loaded)
	}
	t.Logf("%d files, %d items, %d things and %d facts", stats.Files, stats.Items, loaded.Things, loaded.Facts)
}

func testExportRoundTripOfTheBuiltInFixtures(t *testing.T, b Backend) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, seed.Fixtures()); err != nil {
		t.Fatal(err)
	}
	roundTrip(t, b, dir)
}

func testExportRoundTripOfASyntheticGraph(t *testing.T, b Backend) {
	dir := t.TempDir()
	if _, err := synth.Generate(dir, synth.Small); err != nil {
		t.Fatal(err)
	}
	roundTrip(t, b, dir)
}
