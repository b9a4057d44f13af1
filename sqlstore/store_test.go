package sqlstore_test

import (
	"context"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/sqlstore"
	"github.com/artistgraph/artistgraph/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func fingerprint(ctx context.Context, s domain.Store) (string, error) {
	return sqlstore.Fingerprint(ctx, s.(*sqlstore.DB))
}

// TestStore runs the store suite against SQLite files.
func TestStore(t *testing.T) {
	storetest.Run(t, storetest.Backend{New: storetest.SQLite, Fingerprint: fingerprint})
}

// TestStoreOnPostgres runs the store suite against PostgreSQL databases.
func TestStoreOnPostgres(t *testing.T) {
	storetest.PostgresServer(t)
	storetest.Run(t, storetest.Backend{New: storetest.Postgres, Fingerprint: fingerprint})
}
