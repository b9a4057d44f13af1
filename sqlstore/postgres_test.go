package sqlstore_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/sqlstore"
	"github.com/artistgraph/artistgraph/storetest"
)

// A PostgreSQL database whose character classes are C's is refused, with
// how to create one that works: under C, PostgreSQL's search would see no
// Hangul.
func TestPostgresDatabaseInTheCLocaleIsRefused(t *testing.T) {
	ctx := context.Background()
	admin := storetest.PostgresServer(t)
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE DATABASE artistgraph_c_locale TEMPLATE template0 LOCALE 'C'`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = conn.Exec(ctx, `DROP DATABASE artistgraph_c_locale WITH (FORCE)`) })
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/artistgraph_c_locale"
	db, err := sqlstore.Open(ctx, u.String())
	if err == nil {
		db.Close()
		t.Fatal("a database in the C locale opened")
	}
	if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(err.Error(), "LOCALE 'C.UTF-8'") {
		t.Errorf("refused with %v", err)
	}
}

// A PostgreSQL URL that cannot be parsed is refused without its password.
func TestPostgresURLIsRedactedInErrors(t *testing.T) {
	_, err := sqlstore.Open(context.Background(), "postgres://wiki:hunter2@db.example:notaport/artistgraph")
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error %v", err)
	}
}
