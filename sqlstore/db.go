// Package sqlstore stores the artistgraph graph in SQL: in one SQLite file
// through the pure-Go modernc.org/sqlite driver (the default), or in a
// PostgreSQL database shared by several servers, through pgx. *DB
// implements every role of domain.Store on either. All SQL of the project
// lives here. How each kind is stored is declared once, in kinds.go (and a
// kind's own file, such as label.go). What one engine does its own way is
// behind the engine interface (engine.go), in sqlite.go and postgres.go;
// elsewhere the statements are shared.
package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/artistgraph/artistgraph/domain"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// DB implements every role of a store.
var _ domain.Store = (*DB)(nil)

// DB is an open artistgraph database: one writer connection per process,
// and a pool of read-only connections beside it.
type DB struct {
	eng   engine
	path  string // an SQLite file; for PostgreSQL, the URL without its password
	write *sql.DB
	pool  *sql.DB
	read  reader
	// primary reads what must be the newest commit (tokens, the changes
	// subscribers hear of): read, unless reads go to a replica.
	primary  reader
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
	return &DB{eng: db.eng, path: db.path, read: reader{q: q}, primary: reader{q: q}, feed: db.feed}
}

// Open opens a database and brings its schema up to date: a PostgreSQL
// database when dsn is a postgres:// or postgresql:// URL, otherwise the
// SQLite file at dsn, created if needed (MemoryPath for a throwaway one).
func Open(ctx context.Context, dsn string) (*DB, error) {
	return OpenWith(ctx, dsn, Options{})
}

// Options tune how a database is opened; the zero value is Open's.
type Options struct {
	// MmapBytes lets SQLite's read connections map up to this much of the
	// file into memory (SQLite's mmap_size): pages are then read without
	// a system call or a copy, and the mapped pages count in the process's
	// resident memory as file pages the kernel may reclaim, not as its
	// own. 0 reads through SQLite's page cache alone.
	MmapBytes int64
	// ReplicaURL, with PostgreSQL, sends reads to a streaming replica of
	// the database; writes, and the reads that must see the newest commit
	// (tokens, subscriptions), go to the primary, and each write waits
	// until the replica has it (see DB.committed).
	ReplicaURL string
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, dsn string, opts Options) (*DB, error) {
	if IsPostgres(dsn) {
		return openPostgres(ctx, dsn, opts)
	}
	if opts.ReplicaURL != "" {
		return nil, domain.Errorf(domain.EINVALID, "a read replica needs a PostgreSQL database; %s is an SQLite file", dsn)
	}
	return openSQLite(ctx, dsn, opts)
}

// newDB makes a DB of an engine's connections and migrates its schema:
// write, with one connection, for every write; read, a pool of poolSize,
// for reads.
func newDB(ctx context.Context, eng engine, path string, write, read *sql.DB, poolSize int) (*DB, error) {
	db := &DB{eng: eng, path: path, write: write, pool: read, poolSize: poolSize}
	db.feed = newFeed(db)
	if err := db.migrate(ctx); err != nil {
		return nil, db.closeAfter(fmt.Errorf("open %s: %w", path, err))
	}
	// The first reads may go to a replica: it has the schema first.
	eng.afterCommit(ctx, db)
	db.read = reader{q: read, pooled: true, stmts: &statements{pool: read, byText: map[string]*sql.Stmt{}}}
	db.primary = db.read
	db.pool.SetMaxOpenConns(db.poolSize)
	db.pool.SetMaxIdleConns(db.poolSize)
	return db, nil
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
	errs = append(errs, db.eng.close())
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Path is the file the database lives in; for PostgreSQL, its URL without
// the password.
func (db *DB) Path() string { return db.path }

// SizeBytes is how much storage the database takes.
func (db *DB) SizeBytes() int64 { return db.eng.sizeBytes(db) }

// migrate applies the engine's migrations not applied yet, each in a
// transaction of its own, in the order of their names. Each applied
// migration's checksum is kept: a migration edited after a database took
// it is refused, since that database would never get the edit.
func (db *DB) migrate(ctx context.Context) error {
	if err := db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, checksum TEXT NOT NULL DEFAULT '')`)
		return err
	}); err != nil {
		return err
	}
	// A database made before checksums were kept gets the column; its
	// migrations are taken as they are now.
	if _, err := db.write.ExecContext(ctx, `SELECT checksum FROM schema_migrations LIMIT 1`); err != nil {
		if _, err := db.write.ExecContext(ctx, `ALTER TABLE schema_migrations ADD COLUMN checksum TEXT NOT NULL DEFAULT ''`); err != nil {
			return err
		}
	}
	list, err := Migrations(db.eng.migrations())
	if err != nil {
		return err
	}
	for _, m := range list {
		if err := db.inTx(ctx, func(tx *sql.Tx) error {
			var applied string
			err := tx.QueryRowContext(ctx, `SELECT checksum FROM schema_migrations WHERE version = ?`, m.Version).Scan(&applied)
			switch {
			case err == nil && applied == "":
				_, err = tx.ExecContext(ctx, `UPDATE schema_migrations SET checksum = ? WHERE version = ?`, m.Checksum, m.Version)
				return err
			case err == nil && applied != m.Checksum:
				return fmt.Errorf("migration %s was changed after this database applied it (checksum %s, now %s): a released migration is never edited; write a new one", m.Version, applied, m.Checksum)
			case err == nil:
				return nil
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
			if _, err := tx.ExecContext(ctx, m.Body); err != nil {
				return fmt.Errorf("migration %s: %w", m.Version, err)
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, checksum) VALUES (?, ?)`, m.Version, m.Checksum)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// Migration is one schema change of an engine.
type Migration struct {
	Version  string // the file's name without .sql: "0007_streams"
	Body     string
	Checksum string // SHA-256 of the body, in hex
}

// Migrations lists an engine's migrations ("sqlite" or "postgres"), in the
// order they are applied.
func Migrations(engine string) ([]Migration, error) {
	names, err := fs.Glob(migrations, "migrations/"+engine+"/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]Migration, len(names))
	for i, name := range names {
		body, err := migrations.ReadFile(name)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(body)
		out[i] = Migration{Version: strings.TrimSuffix(path.Base(name), ".sql"), Body: string(body), Checksum: hex.EncodeToString(sum[:])}
	}
	return out, nil
}

// onPrimary is a view of the database that reads the newest commit.
func (db *DB) onPrimary() *DB {
	if db.primary == db.read {
		return db
	}
	view := *db
	view.read = db.primary
	return &view
}

// committed follows every committed write: subscribers hear of it, and,
// with a replica, the write waits until the replica has it, so that the
// writer's next read, on any server, sees it.
func (db *DB) committed(ctx context.Context) {
	db.feed.notify()
	db.eng.afterCommit(ctx, db)
}

// inTx runs fn in a write transaction, committing only if it succeeds.
func (db *DB) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.beginWrite(ctx, db.write.BeginTx)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return db.eng.storageError(err)
	}
	return db.eng.storageError(tx.Commit())
}

// beginWrite begins a write transaction, by begin (a connection's or the
// writer's BeginTx), taking the engine's write lock.
func (db *DB) beginWrite(ctx context.Context, begin func(context.Context, *sql.TxOptions) (*sql.Tx, error)) (*sql.Tx, error) {
	tx, err := begin(ctx, nil)
	if err != nil {
		return nil, db.eng.storageError(err)
	}
	if err := db.eng.lockWrites(ctx, tx); err != nil {
		_ = tx.Rollback()
		return nil, db.eng.storageError(err)
	}
	return tx, nil
}

// IsEmpty reports whether the database holds no things yet.
func (db *DB) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	err := db.primary.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM nodes LIMIT 1) AS any_node`).Scan(&n)
	return n == 0, err
}

// Ping checks that the database answers a read.
func (db *DB) Ping(ctx context.Context) error {
	return db.pool.PingContext(ctx)
}

// Backup writes a consistent copy of the database to a new file at path,
// while the database stays open for reads and writes.
func (db *DB) Backup(ctx context.Context, path string) error {
	return db.eng.backup(ctx, db, path)
}

// IntegrityCheck runs the engine's checks of the stored data and reports
// what they find.
func (db *DB) IntegrityCheck(ctx context.Context) error {
	return db.eng.integrityCheck(ctx, db)
}
