package sqlstore

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// A request's deadline stops SQLite in the middle of a statement: this one
// would run forever otherwise.
func TestDeadlineInterruptsAStatement(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	var n int64
	err = db.read.QueryRowContext(ctx, `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c`).Scan(&n)
	if err == nil {
		t.Fatalf("an endless statement ended with %d", n)
	}
	if ctx.Err() == nil {
		t.Fatalf("the statement failed before its deadline: %v", err)
	}
}
