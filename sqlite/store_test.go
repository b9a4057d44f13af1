package sqlite_test

import (
	"context"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/sqlite"
	"github.com/artistgraph/artistgraph/storetest"
)

// TestStore runs the store suite against SQLite files.
func TestStore(t *testing.T) {
	storetest.Run(t, storetest.Backend{
		New: storetest.SQLite,
		Fingerprint: func(ctx context.Context, s domain.Store) (string, error) {
			return sqlite.Fingerprint(ctx, s.(*sqlite.DB))
		},
	})
}
