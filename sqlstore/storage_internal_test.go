package sqlstore

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
)

// A unique key two writers both took (which only a race between writers
// can reach: loads and edits check keys first) is a conflict, not an
// internal error.
func TestTakenKeyIsAConflict(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "k.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	insert := `INSERT INTO nodes (id, kind, slug, name) VALUES (?, 'Artist', 'taken', 'Taken')`
	if _, err := db.write.ExecContext(ctx, insert, 1); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int{1, 2} { // the same ID, then the same slug
		_, err := db.write.ExecContext(ctx, insert, id)
		if err = db.eng.storageError(err); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("row %d: %v, want a conflict", id, err)
		}
	}
}
