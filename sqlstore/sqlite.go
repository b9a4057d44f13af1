package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite" // also registers the "sqlite" driver

	"github.com/artistgraph/artistgraph/domain"
)

// This file is what only SQLite does: a file opened by one writer
// connection and a pool of read-only ones, pragmas, FTS5 search, the
// tuning of a large load and SQLite's storage errors.

// MemoryPath opens a throwaway database that is removed on Close.
const MemoryPath = ":memory:"

// sqliteEngine is a database in one SQLite file.
type sqliteEngine struct {
	path    string
	tempDir string // a MemoryPath database's, removed on close
}

// openSQLite opens (creating if needed) the database file at path: one
// writer connection, so that writers queue in Go instead of failing with
// SQLITE_BUSY, and a pool of read-only connections that WAL lets run beside
// it. MemoryPath gives a database in a temporary file that Close removes:
// SQLite's own ":memory:" would give every pooled connection a different,
// empty database.
func openSQLite(ctx context.Context, path string, opts Options) (*DB, error) {
	if opts.MmapBytes < 0 {
		return nil, domain.Errorf(domain.EINVALID, "the memory map's size is %d bytes; give 0 or more", opts.MmapBytes)
	}
	eng := &sqliteEngine{path: path}
	if path == MemoryPath {
		dir, err := os.MkdirTemp("", "artistgraph-")
		if err != nil {
			return nil, err
		}
		eng.tempDir, eng.path = dir, filepath.Join(dir, "artistgraph.db")
	}
	write, err := sql.Open("sqlite", eng.dsn(false))
	if err != nil {
		return nil, errors.Join(err, eng.close())
	}
	write.SetMaxOpenConns(1)
	read, err := sql.Open("sqlite", eng.dsn(true)+"&_pragma="+url.QueryEscape(fmt.Sprintf("mmap_size(%d)", opts.MmapBytes)))
	if err != nil {
		return nil, errors.Join(err, write.Close(), eng.close())
	}
	return newDB(ctx, eng, eng.path, write, read, max(4, runtime.NumCPU()))
}

// dsn builds the connection string. Pragmas go in the DSN, not in Exec, so
// that every connection the pool opens gets them.
func (e *sqliteEngine) dsn(readOnly bool) string {
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
	return "file:" + (&url.URL{Path: e.path}).EscapedPath() + "?" + q.Encode()
}

func (*sqliteEngine) migrations() string { return "sqlite" }

// lockWrites has nothing to do: there is one writer connection, and its
// transactions begin IMMEDIATE, which other processes' writers wait for
// (busy_timeout).
func (*sqliteEngine) lockWrites(context.Context, *sql.Tx) error { return nil }

// beginLoad turns reference checks off for a load into an empty database:
// checking each row's references as it goes in costs more than the insert,
// so they are all checked once, before commit (see finishFreshLoad).
func (*sqliteEngine) beginLoad(ctx context.Context, conn *sql.Conn, fresh bool) (func(), error) {
	if !fresh {
		return func() {}, nil
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return nil, err
	}
	return func() { _, _ = conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON`) }, nil
}

// What a load does that is SQLite's own: a large page cache for the
// transaction, statement journals in memory, and, into an empty database,
// indexes and triggers dropped and built once at the end, and foreign keys
// checked once (PRAGMA foreign_key_check) instead of row by row.

// loadCacheKiB is the page cache a load works with: a large transaction that
// spills its cache to the WAL early runs several times slower.
const loadCacheKiB = 256 << 10

func (sqliteEngine) prepareLoad(l *writer, fresh bool) error {
	if _, err := l.tx.ExecContext(l.ctx, fmt.Sprintf(`PRAGMA cache_size = -%d`, loadCacheKiB)); err != nil {
		return err
	}
	// A multi-row INSERT that may fail a constraint journals the pages it
	// changes, to undo just itself: in memory, not in a temporary file
	// (7% of a load into a populated database was those writes).
	if _, err := l.tx.ExecContext(l.ctx, `PRAGMA temp_store = MEMORY`); err != nil {
		return err
	}
	if l.fresh = fresh; !fresh {
		return nil
	}
	l.startQueues()
	// Building an index once from sorted rows is far cheaper than keeping
	// it up to date row by row. The unique keys stay: the load looks things
	// and facts up by them. Triggers go too, and what they keep is worked
	// out once at the end (songStreams).
	rows, err := l.tx.QueryContext(l.ctx, `SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND name NOT IN ('nodes_slug', 'nodes_fact_key') ORDER BY type`)
	if err != nil {
		return err
	}
	var drops []string
	for rows.Next() {
		var kind, name, create string
		if err := rows.Scan(&kind, &name, &create); err != nil {
			rows.Close()
			return err
		}
		drops, l.indexes = append(drops, `DROP `+strings.ToUpper(kind)+` "`+name+`"`), append(l.indexes, create)
	}
	rows.Close()
	for _, drop := range drops {
		if _, err := l.tx.ExecContext(l.ctx, drop); err != nil {
			return err
		}
	}
	return rows.Err()
}

// finishFreshLoad builds the indexes and triggers prepareLoad dropped,
// works out what the triggers keep, and checks every reference once.
func (*sqliteEngine) finishFreshLoad(l *writer, phase func(string)) error {
	phase(domain.PhaseIndexes)
	if err := rebuildIndexes(l); err != nil {
		return err
	}
	if err := l.exec(songStreams); err != nil {
		return err
	}
	phase(domain.PhaseReferences)
	return checkReferences(l)
}

// rebuildIndexes creates again the indexes and triggers a fresh load
// dropped.
func rebuildIndexes(l *writer) error {
	for _, create := range l.indexes {
		if _, err := l.tx.ExecContext(l.ctx, create); err != nil {
			return err
		}
	}
	return nil
}

// checkReferences verifies, once, every reference a fresh load wrote.
func checkReferences(l *writer) error {
	rows, err := l.tx.QueryContext(l.ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		var table string
		var rowid sql.NullInt64
		var parent string
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return err
		}
		return fmt.Errorf("the load would leave %s row %d pointing at a missing %s row", table, rowid.Int64, parent)
	}
	return rows.Err()
}

// insertRows writes queued rows as multi-row INSERTs.
func (*sqliteEngine) insertRows(l *writer, head string, cols int, rows [][]any) error {
	return l.insertRows(head, cols, rows)
}

// SQLite's primary result codes that mean the storage, not the request,
// is at fault.
const (
	sqliteReadOnly   = 8
	sqliteFull       = 13
	sqliteConstraint = 19
)

// SQLite's extended result codes for a unique key two writers both took.
const (
	sqliteConstraintPrimaryKey = 1555
	sqliteConstraintUnique     = 2067
)

// storageError turns SQLite's "read-only" and "full" into errors that say
// so to a client, and a unique key taken by a concurrent writer (the load
// checks keys before writing, so only a race gets here) into a conflict;
// any other error is returned as it is.
func (sqliteEngine) storageError(err error) error {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.Code() & 0xff {
	case sqliteReadOnly:
		return domain.Errorf(domain.EREADONLY, "the database is read-only (its file, or the disk it is on): writes are refused, reads work")
	case sqliteFull:
		return domain.Errorf(domain.EFULL, "the database's disk (or its size limit) is full: nothing was written, reads work")
	case sqliteConstraint:
		if c := e.Code(); c == sqliteConstraintUnique || c == sqliteConstraintPrimaryKey {
			return domain.Errorf(domain.ECONFLICT, "another edit wrote the same key (a slug, a fact's key or a revision) at the same time: nothing was written; read again and retry")
		}
	}
	return err
}

func init() {
	// Migration 0009 spells the stored names with it.
	sqlite.MustRegisterDeterministicScalarFunction("artistgraph_letters", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		s, _ := args[0].(string)
		return letters(s), nil
	})
}

// pagePerParent joins each parent's rows to a correlated subquery that
// reads the parent's page. The outer read finds each row of the page by
// its ID: the unary + keeps SQLite from reading all of the parent's rows by
// the parent's index to test them against the page instead.
func (*sqliteEngine) pagePerParent(q childList, cond, order string, parents idArray, cursors []any, limit int) (string, []any) {
	where := q.where + ` AND ` + q.parent + ` = want.value`
	query := `SELECT ` + q.columns + ` FROM ` + idTable + ` want, ` + q.tables + ` WHERE ` + q.where + ` AND +` + q.parent + ` = want.value` +
		` AND ` + q.id + ` IN (SELECT id FROM (SELECT ` + q.columns + ` FROM ` + q.tables + ` WHERE ` + where + `) AS page_rows` + cond +
		` ORDER BY ` + order + ` LIMIT ?) ORDER BY parent, ` + order
	return query, append(append(append(append([]any{parents}, q.args...), q.args...), cursors...), limit)
}

// searchValue is the name itself: FTS5's tokenizer folds it.
func (*sqliteEngine) searchValue(name string) string { return name }

// matchText turns a user's query into an FTS5 MATCH expression: every
// word as a prefix on the value column, or the whole query run together as a
// prefix on the compact column. Each word is quoted, so no input is syntax.
func (*sqliteEngine) matchText(query string) string {
	ws := words(query)
	if len(ws) == 0 {
		return ""
	}
	quoted := make([]string, len(ws))
	for i, w := range ws {
		quoted[i] = `"` + w + `"*`
	}
	all := `value : (` + strings.Join(quoted, " AND ") + `)`
	return all + ` OR compact : "` + strings.Join(ws, "") + `"*`
}

// nearSpellings reads candidates from the FTS5 trigram table.
func (*sqliteEngine) nearSpellings(folded string, kindFilter string, kindArgs []any) (string, []any) {
	grams := trigrams(folded)
	// Candidates share two neighbouring trigrams with the query (four
	// letters in a row): one typo leaves such a pair intact in all but the
	// shortest words, and it is far more selective than one trigram. They
	// are ranked by how many of the query's pairs they share, which reads
	// only the index (FTS5's bm25 reads every match's length as well, and
	// took 45 ms for a common query on the large graph), then by row. At
	// most maxPairs pairs, spread along the query, keep the statement's
	// text to a few shapes.
	var pairs []string
	for i := range grams {
		if i+1 < len(grams) {
			pairs = append(pairs, `"`+grams[i]+`" AND "`+grams[i+1]+`"`)
		} else if len(grams) == 1 {
			pairs = append(pairs, `"`+grams[i]+`"`)
		}
	}
	if len(pairs) > maxPairs {
		spread := make([]string, maxPairs)
		for i := range spread {
			spread[i] = pairs[i*(len(pairs)-1)/(maxPairs-1)]
		}
		pairs = spread
	}
	branches := make([]string, len(pairs))
	args := make([]any, 0, len(pairs)+len(kindArgs)+1)
	for i, pair := range pairs {
		branches[i] = `SELECT rowid AS id FROM name_trigrams WHERE name_trigrams MATCH ?`
		args = append(args, pair)
	}
	// A name's row is its thing's ID times MaxNames plus its position (see
	// the writer), so the kinds are filtered, and the candidates chosen,
	// before any name's text is read.
	byKind := ""
	if kindFilter != "" {
		byKind = ` JOIN nodes n ON n.id = g.id / ` + strconv.Itoa(domain.MaxNames) + kindFilter
		args = append(args, kindArgs...)
	}
	args = append(args, fuzzyCandidates)
	return `SELECT t.node_id, t.compact FROM (
			SELECT g.id FROM (SELECT id, count(*) AS shared FROM (` + strings.Join(branches, " UNION ALL ") + `) GROUP BY id) g` + byKind + `
			ORDER BY g.shared DESC, g.id LIMIT ?
		) c JOIN name_trigrams t ON t.rowid = c.id`, args
}

func (*sqliteEngine) afterCommit(context.Context, *DB) {}

// changesPoll is how soon a subscriber hears of a change another process
// committed to the file; a change committed through this DB wakes the
// feed at once.
func (*sqliteEngine) changesPoll() time.Duration { return 250 * time.Millisecond }

// backup writes a consistent copy of the database to a new file at path,
// while the database stays open for reads and writes: SQLite's VACUUM INTO
// reads one snapshot, so writes that commit meanwhile are not in the copy,
// and none is half in it. The copy is compacted.
func (e *sqliteEngine) backup(ctx context.Context, _ *DB, path string) error {
	if _, err := os.Stat(path); err == nil {
		return domain.Errorf(domain.EINVALID, "%s exists: back up into a new file", path)
	}
	// A connection of its own: the readers are query_only, and the writer
	// must stay free for the server's writes.
	conn, err := sql.Open("sqlite", e.dsn(false))
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.ExecContext(ctx, `VACUUM INTO ?`, path)
	return err
}

// integrityCheck runs SQLite's integrity check and reports what it finds.
func (e *sqliteEngine) integrityCheck(ctx context.Context, _ *DB) error {
	// A connection of its own: on a pooled connection that has read the
	// full-text tables before another connection changed them, the FTS5
	// part of the check compares against stale cached state and reports
	// checksum mismatches that a fresh connection does not see.
	conn, err := sql.Open("sqlite", e.dsn(true))
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

// sizeBytes is the size of the database file and its write-ahead log.
func (e *sqliteEngine) sizeBytes(*DB) int64 {
	var total int64
	for _, p := range []string{e.path, e.path + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			total += fi.Size()
		}
	}
	return total
}

// close removes a MemoryPath database.
func (e *sqliteEngine) close() error {
	if e.tempDir == "" {
		return nil
	}
	return os.RemoveAll(e.tempDir)
}
