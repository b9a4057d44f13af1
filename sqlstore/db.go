// Package sqlite stores the artistgraph graph in SQLite through the pure-Go
// modernc.org/sqlite driver; *DB implements every role of domain.Store. All
// SQL of the project lives here. How each kind is stored is declared once,
// in kinds.go (and a kind's own file, such as label.go). What only SQLite
// has is kept to a few files: connections and pragmas (db.go), FTS5 search
// (search.go), the tuning of a large load (bulk.go), storage errors
// (storage.go); elsewhere the statements are portable SQL, except that ID
// lists travel as one JSON array read with json_each (inList).
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/artistgraph/artistgraph/domain"
)

//go:embed migrations/*.sql
var migrations embed.FS

// MemoryPath opens a throwaway database that is removed on Close.
const MemoryPath = ":memory:"

// DB implements every role of a store.
var _ domain.Store = (*DB)(nil)

// DB is an open artistgraph database: one writer connection, so that writers
// queue in Go instead of failing with SQLITE_BUSY, and a pool of read-only
// connections that WAL lets run beside it.
type DB struct {
	path     string
	tempDir  string
	write    *sql.DB
	pool     *sql.DB
	read     reader
	poolSize int
	feed     *feed
}

// queryer is what reads run on: the read pool, or an edit's transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// reader runs reads, counting each statement into the counter a caller put
// in the context (see domain.CountStatements). On the pool, it also keeps a
// request within its share of the connections (see ShareReads).
type reader struct {
	q      queryer
	pooled bool
	stmts  *statements
}

// statements keeps the pool's read statements prepared, by their text:
// database/sql prepares a statement on every call otherwise, and preparing
// was a sixth of a deep query's time. Statement texts do not depend on how
// many IDs are read (see inList), so the set is small and fixed; past
// maxStatements texts, the rest run unprepared.
type statements struct {
	pool     *sql.DB
	mu       sync.Mutex
	byText   map[string]*sql.Stmt
	prepared atomic.Int64
}

const maxStatements = 512

// get returns the prepared statement for a text, preparing it the first
// time; nil when the cache is full.
func (s *statements) get(ctx context.Context, text string) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.byText[text]; ok {
		return st, nil
	}
	if len(s.byText) >= maxStatements {
		return nil, nil
	}
	st, err := s.pool.PrepareContext(ctx, text)
	if err != nil {
		return nil, err
	}
	s.prepared.Add(1)
	s.byText[text] = st
	return st, nil
}

func (s *statements) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for _, st := range s.byText {
		errs = append(errs, st.Close())
	}
	s.byText = nil
	return errors.Join(errs...)
}

// query runs a read on its prepared statement when there is one.
func (r reader) query(ctx context.Context, query string, args []any) (*sql.Rows, error) {
	if r.stmts != nil {
		st, err := r.stmts.get(ctx, query)
		if err != nil {
			return nil, err
		}
		if st != nil {
			return st.QueryContext(ctx, args...)
		}
	}
	return r.q.QueryContext(ctx, query, args...)
}

func (r reader) queryRow(ctx context.Context, query string, args []any) *sql.Row {
	if r.stmts != nil {
		if st, err := r.stmts.get(ctx, query); err == nil && st != nil {
			return st.QueryRowContext(ctx, args...)
		}
	}
	return r.q.QueryRowContext(ctx, query, args...)
}

// rows are a statement's rows; Close, or Next at the end of the rows, gives
// back the request's share of the pool that the statement took, as
// database/sql gives back the connection.
type rows struct {
	*sql.Rows
	release func()
}

func (r *rows) Next() bool {
	if r.Rows.Next() {
		return true
	}
	r.release()
	return false
}

func (r *rows) Close() error {
	err := r.Rows.Close()
	r.release()
	return err
}

// row is a statement's one row; Scan gives back the share.
type row struct {
	*sql.Row
	release func()
}

func (r *row) Scan(dest ...any) error {
	defer r.release()
	return r.Row.Scan(dest...)
}

func (r reader) QueryContext(ctx context.Context, query string, args ...any) (*rows, error) {
	domain.StatementRan(ctx)
	release, err := r.share(ctx)
	if err != nil {
		return nil, err
	}
	rs, err := r.query(ctx, query, args)
	if err != nil {
		release()
		return nil, err
	}
	return &rows{Rows: rs, release: release}, nil
}

func (r reader) QueryRowContext(ctx context.Context, query string, args ...any) *row {
	domain.StatementRan(ctx)
	release, err := r.share(ctx)
	if err != nil {
		// A cancelled context: the row reports it when scanned.
		return &row{Row: r.q.QueryRowContext(ctx, query, args...), release: func() {}}
	}
	return &row{Row: r.queryRow(ctx, query, args), release: release}
}

type shareKey struct{}

// ShareReads returns a context under which one request's reads hold at
// most half of the read pool at once: gqlgen resolves sibling fields
// concurrently, and without a share one request with many costly fields
// (fifty timelines) would hold every connection while others wait.
func (db *DB) ShareReads(ctx context.Context) context.Context {
	return context.WithValue(ctx, shareKey{}, make(chan struct{}, max(1, db.poolSize/2)))
}

// share waits for a turn of the request's share of the pool; release gives
// it back, once.
func (r reader) share(ctx context.Context) (release func(), err error) {
	turns, ok := ctx.Value(shareKey{}).(chan struct{})
	if !r.pooled || !ok {
		return func() {}, nil
	}
	select {
	case turns <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	var once sync.Once
	return func() { once.Do(func() { <-turns }) }, nil
}

// within is a view of the database whose reads run on q, an edit's
// transaction, so that the edit reads what it has written before it
// commits.
func (db *DB) within(q queryer) *DB {
	return &DB{path: db.path, read: reader{q: q}, feed: db.feed}
}

// Open opens (creating if needed) the database file at path and brings its
// schema up to date. MemoryPath gives a database in a temporary file that
// Close removes: SQLite's own ":memory:" would give every pooled connection
// a different, empty database.
func Open(ctx context.Context, path string) (*DB, error) {
	return OpenWith(ctx, path, Options{})
}

// Options tune how a database is opened; the zero value is Open's.
type Options struct {
	// MmapBytes lets the read connections map up to this much of the file
	// into memory (SQLite's mmap_size): pages are then read without a
	// system call or a copy, and the mapped pages count in the process's
	// resident memory as file pages the kernel may reclaim, not as its
	// own. 0 reads through SQLite's page cache alone.
	MmapBytes int64
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, path string, opts Options) (*DB, error) {
	if opts.MmapBytes < 0 {
		return nil, domain.Errorf(domain.EINVALID, "the memory map's size is %d bytes; give 0 or more", opts.MmapBytes)
	}
	db := &DB{path: path}
	db.feed = newFeed(db)
	if path == MemoryPath {
		dir, err := os.MkdirTemp("", "artistgraph-")
		if err != nil {
			return nil, err
		}
		db.tempDir, db.path = dir, filepath.Join(dir, "artistgraph.db")
	}
	var err error
	if db.write, err = sql.Open("sqlite", dsn(db.path, false)); err != nil {
		return nil, db.closeAfter(err)
	}
	db.write.SetMaxOpenConns(1)
	if err := db.migrate(ctx); err != nil {
		return nil, db.closeAfter(fmt.Errorf("open %s: %w", path, err))
	}
	read, err := sql.Open("sqlite", dsn(db.path, true)+"&_pragma="+url.QueryEscape(fmt.Sprintf("mmap_size(%d)", opts.MmapBytes)))
	if err != nil {
		return nil, db.closeAfter(err)
	}
	db.poolSize = max(4, runtime.NumCPU())
	db.pool = read
	db.read = reader{q: read, pooled: true, stmts: &statements{pool: read, byText: map[string]*sql.Stmt{}}}
	db.pool.SetMaxOpenConns(db.poolSize)
	db.pool.SetMaxIdleConns(db.poolSize)
	return db, nil
}

// dsn builds the connection string. Pragmas go in the DSN, not in Exec, so
// that every connection the pool opens gets them.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Set("_txlock", "immediate")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

func (db *DB) closeAfter(err error) error {
	_ = db.Close()
	return err
}

// Close closes the connections and removes a MemoryPath database; the
// subscribers' channels close too.
func (db *DB) Close() error {
	if db.feed != nil {
		db.feed.closeOnce.Do(func() { close(db.feed.closed) })
	}
	var errs []error
	if db.read.stmts != nil {
		errs = append(errs, db.read.stmts.close())
	}
	for _, c := range []*sql.DB{db.pool, db.write} {
		if c != nil {
			errs = append(errs, c.Close())
		}
	}
	if db.tempDir != "" {
		errs = append(errs, os.RemoveAll(db.tempDir))
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Path is the file the database lives in.
func (db *DB) Path() string { return db.path }

// SizeBytes is the size of the database file and its write-ahead log.
func (db *DB) SizeBytes() int64 {
	var total int64
	for _, p := range []string{db.path, db.path + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			total += fi.Size()
		}
	}
	return total
}

func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY)`); err != nil {
		return err
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		version := strings.TrimSuffix(filepath.Base(name), ".sql")
		if err := db.inTx(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil || n > 0 {
				return err
			}
			body, err := migrations.ReadFile(name)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", version, err)
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (version) VALUES (?)`, version)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// inTx runs fn in a write transaction, committing only if it succeeds.
func (db *DB) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return storageError(err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return storageError(err)
	}
	return storageError(tx.Commit())
}

// IsEmpty reports whether the database holds no things yet.
func (db *DB) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM nodes LIMIT 1)`).Scan(&n)
	return n == 0, err
}

// Ping checks that the database answers a read.
func (db *DB) Ping(ctx context.Context) error {
	return db.pool.PingContext(ctx)
}

// Backup writes a consistent copy of the database to a new file at path,
// while the database stays open for reads and writes: SQLite's VACUUM INTO
// reads one snapshot, so writes that commit meanwhile are not in the copy,
// and none is half in it. The copy is compacted.
func (db *DB) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return domain.Errorf(domain.EINVALID, "%s exists: back up into a new file", path)
	}
	// A connection of its own: the readers are query_only, and the writer
	// must stay free for the server's writes.
	conn, err := sql.Open("sqlite", dsn(db.path, false))
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.ExecContext(ctx, `VACUUM INTO ?`, path)
	return err
}

// IntegrityCheck runs SQLite's integrity check and reports what it finds.
func (db *DB) IntegrityCheck(ctx context.Context) error {
	// A connection of its own: on a pooled connection that has read the
	// full-text tables before another connection changed them, the FTS5
	// part of the check compares against stale cached state and reports
	// checksum mismatches that a fresh connection does not see.
	conn, err := sql.Open("sqlite", dsn(db.path, true))
	if err != nil {
		return err
	}
	defer conn.Close()
	rows, err := conn.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity check: %s", strings.Join(problems, "; "))
	}
	return nil
}
