package sqlstore_test

import (
	"context"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/sqlstore"
	"github.com/artistgraph/artistgraph/storetest"
)

// TestStore runs the store suite against SQLite files.
func TestStore(t *testing.T) {
	storetest.Run(t, storetest.Backend{
		New: storetest.SQLite,
		Fingerprint: func(ctx context.Context, s domain.Store) (string, error) {
			return sqlstore.Fingerprint(ctx, s.(*sqlstore.DB))
		},
	})
}
