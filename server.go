// Command artistgraph serves the artistgraph knowledge graph of music careers
// over GraphQL, and loads and checks fixture files.
//
//	go run .                          serve on :8080 from ./artistgraph.db
//	go run . seed -db FILE PATH...    load fixture files or folders
//	go run . seed -check PATH...      validate fixtures without writing
//	go run . export -db FILE DIR      write the graph back as fixtures
//	go run . backup -db FILE OUT      copy a live database
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/artistgraph/artistgraph/httpapi"
	"github.com/artistgraph/artistgraph/seed"
	"github.com/artistgraph/artistgraph/sqlstore"
)

const defaultPort = "8080"

// shutdownGrace is how long in-flight requests get to finish on SIGINT or
// SIGTERM.
const shutdownGrace = 10 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "artistgraph:", err)
		}
		os.Exit(exitCode(err))
	}
}

func exitCode(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var usage usageError
	if errors.As(err, &usage) {
		return 2
	}
	return 1
}

type usageError struct{ error }

const usage = `artistgraph: a GraphQL knowledge graph of music artists' careers.

Usage:
  artistgraph [-addr ADDR] [-db FILE]        serve GraphQL, the playground and /healthz
  artistgraph seed [-db FILE] PATH...        load fixture files or folders, all or nothing
  artistgraph seed -check PATH...            validate fixtures without writing anything
  artistgraph seed gen -out DIR              write a synthetic graph
  artistgraph export -db FILE DIR            write the whole graph as fixtures into a new folder
  artistgraph backup -db FILE OUT            copy the database, consistently, while it is in use
  artistgraph token create|revoke|list       manage the tokens writers send as "Authorization: Bearer"

The server answers GraphQL at /graphql, the GraphiQL playground at / and a
health check at /healthz. A new or empty database is seeded from the fixtures
built into the binary. -db :memory: gives a throwaway database; -db
postgres://user:password@host/name serves a PostgreSQL database instead of an
SQLite file, which any number of servers may share (README: "Running on
PostgreSQL").

Run 'artistgraph seed -h' for the seed flags. Flags of the server:
`

// run is the whole program, with its inputs passed in so tests can run it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) > 0 {
		switch args[0] {
		case "seed":
			return runSeed(ctx, args[1:], stdout, stderr)
		case "export":
			return runExport(ctx, args[1:], stdout, stderr)
		case "backup":
			return runBackup(ctx, args[1:], stdout, stderr)
		case "token":
			return runToken(ctx, args[1:], stdout, stderr)
		}
	}
	fs := flag.NewFlagSet("artistgraph", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	addr := fs.String("addr", "", "address to listen on (default \":$PORT\", or \":"+defaultPort+"\" when PORT is unset)")
	dbPath := fs.String("db", "artistgraph.db", "SQLite database file, created and seeded when missing or empty (:memory: for a throwaway one), or a PostgreSQL database's URL (postgres://user:password@host/name), which several servers may share")
	replica := fs.String("replica", "", "with a PostgreSQL -db, a streaming replica's URL to send reads to; writes, and reads that must be newest, go to -db")
	var limits httpapi.Limits
	d := httpapi.DefaultLimits
	fs.IntVar(&limits.MaxDepth, "max-depth", d.MaxDepth, "deepest field nesting a query may have (-1: no limit)")
	fs.IntVar(&limits.MaxComplexity, "max-complexity", d.MaxComplexity, "highest cost a query may have; a field costs 1, what is under a paginated field as many times as its first (-1: no limit)")
	fs.IntVar(&limits.MaxAliases, "max-aliases", d.MaxAliases, "most aliases a query may have (-1: no limit)")
	fs.IntVar(&limits.MaxTokens, "max-tokens", d.MaxTokens, "most lexical tokens a query may have (-1: no limit)")
	fs.IntVar(&limits.MaxFields, "max-fields", d.MaxFields, "most field selections a query document may hold as written, counted before validation (-1: no limit)")
	fs.IntVar(&limits.MaxPageSize, "max-page-size", d.MaxPageSize, "largest first a query may ask for (1 to 100)")
	fs.IntVar(&limits.MaxResponseBytes, "max-response-bytes", d.MaxResponseBytes, "largest answer, in bytes of JSON data; a larger one is an error (-1: no limit)")
	fs.DurationVar(&limits.Timeout, "timeout", d.Timeout, "longest an operation may take, on any transport (-1s: no limit)")
	fs.DurationVar(&limits.BodyTimeout, "body-timeout", d.BodyTimeout, "longest a client may take to send a request body (-1s: no limit)")
	fs.IntVar(&limits.MaxConcurrent, "max-concurrent", d.MaxConcurrent, "most queries and mutations answered at once, over HTTP and websockets; more wait up to -queue-wait, then get 503 BUSY (-1: no limit)")
	fs.DurationVar(&limits.QueueWait, "queue-wait", d.QueueWait, "how long a request waits for a turn when -max-concurrent are running (-1s: none)")
	fs.IntVar(&limits.MaxWebsockets, "max-websockets", d.MaxWebsockets, "most websocket connections open at once (-1: no limit)")
	fs.IntVar(&limits.MaxSubscriptions, "max-subscriptions", d.MaxSubscriptions, "most operations one websocket connection may run at once (-1: no limit)")
	fs.DurationVar(&limits.WebsocketInit, "websocket-init", d.WebsocketInit, "how long a new websocket has to send connection_init")
	fs.DurationVar(&limits.WebsocketIdle, "websocket-idle", d.WebsocketIdle, "close a websocket with no operation running for this long (-1s: never)")
	fs.IntVar(&limits.QueryCacheBytes, "query-cache-bytes", d.QueryCacheBytes, "memory for the cache of parsed queries")
	var timeouts serverTimeouts
	fs.DurationVar(&timeouts.header, "header-timeout", defaultHeaderTimeout, "longest a client may take to send a request's headers")
	fs.DurationVar(&timeouts.idle, "idle-timeout", defaultIdleTimeout, "close a keep-alive connection idle for this long")
	corsOrigins := fs.String("cors-origins", "", "comma-separated origins (https://wiki.example, or *) whose browser pages may read /graphql")
	corsWrites := fs.Bool("cors-writes", false, "let -cors-origins pages send credentials too, and so write as their user")
	logFormat := fs.String("log", "auto", "log format: text, json, or auto (text on a terminal, JSON otherwise)")
	logLevel := fs.String("log-level", "info", "least severe log level: debug (also static files and /metrics scrapes), info, warn or error")
	mmap := fs.Int("mmap", 0, "let reads map up to this many MiB of the database file into memory: faster reads, and resident memory grows by the mapped pages, file pages the kernel can reclaim (0: off; BENCHMARKS.md)")
	memoryLimit := fs.Int("memory-limit", defaultMemoryLimitMiB, "soft limit on the Go heap, in MiB, and with it a lazier garbage collector (GOGC 400) below the limit (0: Go's defaults); GOMEMLIMIT and GOGC in the environment win")
	persisted := fs.String("persisted", "", "folder of .graphql files, one query each, that clients may name by SHA-256 (persisted queries)")
	onlyPersisted := fs.Bool("only-persisted", false, "answer only the queries of -persisted")
	if err := fs.Parse(args); err != nil {
		return usageOr(err)
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	if err := limits.Check(); err != nil {
		return usageError{fmt.Errorf("-max-page-size: %w", err)}
	}
	if limits.MaxPageSize < 0 {
		return usageError{errors.New("-max-page-size: the page size cannot be turned off; give 1 to 100")}
	}
	logger, err := newLogger(stderr, *logFormat, *logLevel)
	if err != nil {
		return usageError{err}
	}
	if *memoryLimit < 0 {
		return usageError{errors.New("-memory-limit: give MiB, or 0 for Go's defaults")}
	}
	if *mmap < 0 {
		return usageError{errors.New("-mmap: give MiB, or 0 to read without a memory map")}
	}
	limitMemory(*memoryLimit, getenv)
	if *addr == "" {
		port := getenv("PORT")
		if port == "" {
			port = defaultPort
		}
		*addr = ":" + port
	}
	opts := httpapi.Options{Logger: logger, Limits: limits, OnlyPersisted: *onlyPersisted}
	if *corsOrigins != "" {
		for _, o := range strings.Split(*corsOrigins, ",") {
			opts.CORS.AllowedOrigins = append(opts.CORS.AllowedOrigins, strings.TrimSpace(o))
		}
		opts.CORS.AllowWrites = *corsWrites
	} else if *corsWrites {
		return usageError{errors.New("-cors-writes needs -cors-origins")}
	}
	if *persisted != "" {
		queries, err := readQueries(*persisted)
		if err != nil {
			return err
		}
		opts.PersistedQueries = queries
	} else if *onlyPersisted {
		return usageError{errors.New("-only-persisted needs -persisted DIR")}
	}
	return serve(ctx, *addr, *dbPath, sqlstore.Options{MmapBytes: int64(*mmap) << 20, ReplicaURL: *replica}, opts, timeouts, stdout)
}

// defaultMemoryLimitMiB keeps the server's Go heap near 140 MiB; SQLite's
// page caches and the binary come on top of it: about 195 MB resident with
// 64 deep queries at once on the mid graph (BENCHMARKS.md).
const defaultMemoryLimitMiB = 140

// limitMemory sets a soft limit on the Go heap and lets the heap grow to
// four times what is live before collecting (GOGC 400): a deep query
// allocates tens of megabytes that die at once, and collecting that often
// cost a fifth of its time; the limit makes the collector work harder only
// when the heap nears it. The environment's GOMEMLIMIT and GOGC win.
func limitMemory(mib int, getenv func(string) string) {
	if mib == 0 {
		return
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(int64(mib) << 20)
	}
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}

// newLogger logs as text for a person at a terminal and as JSON for a log
// collector, at the level asked for.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("-log-level %q: give debug, info, warn or error", level)
	}
	hopts := &slog.HandlerOptions{Level: lv}
	if format == "auto" {
		format = "json"
		if f, ok := w.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
			format = "text"
		}
	}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, hopts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, hopts)), nil
	}
	return nil, fmt.Errorf("-log %q: give text, json or auto", format)
}

// Timeouts of the HTTP server's connections: a client that sends headers
// slowly, or keeps a connection open and idle, holds a file descriptor.
const (
	defaultHeaderTimeout = 10 * time.Second
	defaultIdleTimeout   = 2 * time.Minute
)

type serverTimeouts struct{ header, idle time.Duration }

// browsable is the address to print for a person: "localhost" for a
// server that listens on every interface.
func browsable(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return addr.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// readQueries reads every .graphql file of a folder as one query.
func readQueries(dir string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.graphql"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("-persisted %s: no .graphql files there", dir)
	}
	queries := make([]string, len(paths))
	for i, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		queries[i] = string(b)
	}
	return queries, nil
}

func usageOr(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	return usageError{err}
}

func serve(ctx context.Context, addr, dbPath string, store sqlstore.Options, opts httpapi.Options, timeouts serverTimeouts, stdout io.Writer) error {
	logger := opts.Logger
	// The port first: a port in use is said at once, not after seeding.
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	db, err := sqlstore.OpenWith(ctx, dbPath, store)
	if err != nil {
		return err
	}
	defer db.Close()
	dbPath = db.Path() // a PostgreSQL URL without its password
	empty, err := db.IsEmpty(ctx)
	if err != nil {
		return err
	}
	if empty {
		logger.Info("seeding the database from the built-in fixtures", "db", dbPath)
		if _, err := seed.IfEmpty(ctx, db); err != nil {
			return err
		}
		logger.Info("seeded", "db", dbPath)
	}
	srv := &http.Server{
		Handler:           httpapi.New(db, opts),
		ReadHeaderTimeout: timeouts.header,
		IdleTimeout:       timeouts.idle,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(stdout, "artistgraph: serving http://%s/ (GraphQL at /graphql) from %s\n", browsable(ln.Addr()), dbPath)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", "grace", shutdownGrace.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
