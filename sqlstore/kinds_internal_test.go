package sqlstore

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/seed"
)

// TestEveryKindIsStored walks domain's registry of kinds: each has its
// storage here, its table made by the migrations, a detail row for a
// thing, a holder's read for a held fact, its export and fact writer, and rows in the
// built-in fixtures that read back as its kind.
func TestEveryKindIsStored(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "kinds.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := seed.IfEmpty(ctx, db); err != nil {
		t.Fatal(err)
	}
	for _, s := range domain.Kinds() {
		k, err := storageOf(s.Kind)
		if err != nil {
			t.Error(err)
			continue
		}
		var tables int
		if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, k.table).Scan(&tables); err != nil || tables != 1 {
			t.Errorf("%s: no table %q (%v)", s.Kind, k.table, err)
		}
		if s.Thing != (k.detail != nil) || (len(s.Holders) > 0) != (k.held != nil) {
			t.Errorf("%s: a thing needs its detail row, a held fact its read by holder", s.Kind)
		}
		if s.HasKeyDate() != (k.keyDate != "") {
			t.Errorf("%s: the registry gives it a key date: %v; its storage: %q", s.Kind, s.HasKeyDate(), k.keyDate)
		}
		if (s.Section != "") != (k.export != nil) {
			t.Errorf("%s: a kind with a fixture section, and only one, is exported", s.Kind)
		}
		holds := !s.Thing && s.Section != ""
		for _, held := range domain.Kinds() {
			holds = holds || slices.Contains(held.Holders, s.Kind)
		}
		if holds != (k.facts != nil) {
			t.Errorf("%s: its documents hold or are facts: %v; it writes facts: %v", s.Kind, holds, k.facts != nil)
		}
		var ids []int64
		rows, err := db.read.QueryContext(ctx, `SELECT id FROM nodes WHERE kind = ? ORDER BY id LIMIT 3`, string(s.Kind))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if len(ids) == 0 {
			t.Errorf("%s: the built-in fixtures hold none", s.Kind)
			continue
		}
		nodes, err := db.NodesOfKind(ctx, s.Kind, ids)
		if err != nil {
			t.Fatalf("%s: %v", s.Kind, err)
		}
		for i, n := range nodes {
			if n == nil || n.NodeKind() != s.Kind || n.NodeID() != ids[i] {
				t.Errorf("%s %d reads back as %v", s.Kind, ids[i], n)
			}
		}
	}
}
