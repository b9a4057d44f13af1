// Command fanwiki is a small fan wiki that embeds artistgraph: it mounts the
// API under /api/, logs its own users in, and renders artist pages from
// GraphQL queries run in-process.
//
//	go run ./examples/fanwiki -user mina:secret:editor
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/artistgraph/artistgraph/seed"
	"github.com/artistgraph/artistgraph/sqlstore"
)

// userFlags collects -user name:password:role flags.
type userFlags []User

func (u *userFlags) String() string { return fmt.Sprint(len(*u), " users") }

func (u *userFlags) Set(v string) error {
	parts := strings.SplitN(v, ":", 3)
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return fmt.Errorf("%q: write name:password:role", v)
	}
	*u = append(*u, User{Name: parts[0], Password: parts[1], Role: parts[2]})
	return nil
}

func main() {
	addr := flag.String("addr", "localhost:8081", "address to serve on")
	dbPath := flag.String("db", "fanwiki.db", "SQLite database file, or a PostgreSQL database's URL (postgres://…); seeded from the built-in fixtures when empty")
	var users userFlags
	flag.Var(&users, "user", "an account, name:password:role (editor or admin); repeatable")
	var opts Options
	flag.BoolVar(&opts.SecureCookies, "secure-cookies", false, "mark the session cookie Secure: set it behind a proxy that ends TLS")
	flag.DurationVar(&opts.SessionLifetime, "session-lifetime", 12*time.Hour, "how long a login lasts")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	db, err := sqlstore.Open(ctx, *dbPath)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if _, err := seed.IfEmpty(ctx, db); err != nil {
		log.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	srv := &http.Server{Addr: *addr, Handler: NewWiki(db, users, logger, opts).Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	fmt.Printf("fan wiki on http://%s/\n", *addr)
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		log.Fatal(err)
	}
}
