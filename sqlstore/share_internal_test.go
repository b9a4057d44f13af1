package sqlstore

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// One request's reads hold at most half of the read pool: with its share
// taken by open statements, its next read waits (here until its deadline),
// while another request reads at once; a statement read to its end gives
// its turn back.
func TestARequestHoldsHalfThePool(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const q = `SELECT 1 UNION ALL SELECT 2`
	request := db.ShareReads(context.Background())
	var open []*rows
	for range db.poolSize / 2 {
		r, err := db.read.QueryContext(request, q)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		open = append(open, r)
	}
	waiting, cancel := context.WithTimeout(request, 100*time.Millisecond)
	defer cancel()
	if _, err := db.read.QueryContext(waiting, q); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a read past the request's share: %v, want it to wait", err)
	}
	other := db.ShareReads(context.Background())
	var n int
	if err := db.read.QueryRowContext(other, `SELECT 1`).Scan(&n); err != nil {
		t.Fatalf("another request could not read: %v", err)
	}
	for open[0].Next() {
	}
	if err := db.read.QueryRowContext(request, `SELECT 1`).Scan(&n); err != nil {
		t.Fatalf("after a statement ended, the request could not read: %v", err)
	}
}
