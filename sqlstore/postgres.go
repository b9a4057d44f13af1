package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"golang.org/x/text/unicode/norm"

	"github.com/artistgraph/artistgraph/domain"
)

// This file is what only PostgreSQL does: connections through pgx, the
// statements translated from SQLite's dialect, writers of several
// processes taking turns, COPY for loads, tsvector and pg_trgm for search,
// LISTEN for other servers' changes, and PostgreSQL's errors.

// IsPostgres reports whether a -db value names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// writeLockKey is the advisory lock every write transaction takes.
const writeLockKey = 0x61727469737467 // "artistg"

// changesChannel is what the changes table's trigger notifies.
const changesChannel = "artistgraph_changes"

// postgresEngine is a PostgreSQL database that several servers share.
type postgresEngine struct {
	config      *pgx.ConnConfig
	primaryPool *sql.DB            // reads that must see the newest commit, when reads go to a replica
	stop        context.CancelFunc // ends the listener
	done        chan struct{}
}

// openPostgres connects to the database at url: one writer connection,
// as on SQLite, and a pool of connections whose transactions are read-only
// (on opts.ReplicaURL when set).
func openPostgres(ctx context.Context, dsn string, opts Options) (*DB, error) {
	config, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, domain.Errorf(domain.EINVALID, "the PostgreSQL URL %s: %v", redact(dsn), err)
	}
	readConfig := config.Copy()
	if opts.ReplicaURL != "" {
		if readConfig, err = pgx.ParseConfig(opts.ReplicaURL); err != nil {
			return nil, domain.Errorf(domain.EINVALID, "the replica's URL %s: %v", redact(opts.ReplicaURL), err)
		}
	}
	readConfig.RuntimeParams["default_transaction_read_only"] = "on"
	// A near spelling of a short name shares few trigrams with it: the
	// candidates are many and cheap, edit distance decides.
	readConfig.RuntimeParams["pg_trgm.word_similarity_threshold"] = "0.3"
	eng := &postgresEngine{config: config, done: make(chan struct{})}
	write := sql.OpenDB(translating{stdlib.GetConnector(*config)})
	write.SetMaxOpenConns(1)
	read := sql.OpenDB(translating{stdlib.GetConnector(*readConfig)})
	if err := eng.checkLocale(ctx, write); err != nil {
		return nil, errors.Join(err, write.Close(), read.Close())
	}
	if opts.ReplicaURL != "" {
		primaryConfig := config.Copy()
		primaryConfig.RuntimeParams["default_transaction_read_only"] = "on"
		eng.primaryPool = sql.OpenDB(translating{stdlib.GetConnector(*primaryConfig)})
		eng.primaryPool.SetMaxOpenConns(2)
	}
	db, err := newDB(ctx, eng, redact(dsn), write, read, max(4, runtime.NumCPU()))
	if err != nil {
		return nil, err
	}
	if eng.primaryPool != nil {
		db.primary = reader{q: eng.primaryPool}
	}
	listen, stop := context.WithCancel(context.Background())
	eng.stop = stop
	go eng.listen(listen, db.feed.notify)
	return db, nil
}

// redact drops the password from a connection URL.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "the URL given"
	}
	return u.Redacted()
}

// checkLocale refuses a database whose character classes are C's: its
// full-text and trigram parsers would then see no letters outside ASCII,
// and Hangul names could not be searched.
func (e *postgresEngine) checkLocale(ctx context.Context, db *sql.DB) error {
	var ctype string
	if err := db.QueryRowContext(ctx, `SELECT datctype FROM pg_database WHERE datname = current_database()`).Scan(&ctype); err != nil {
		return fmt.Errorf("connect to %s: %w", e.config.Database, err)
	}
	if ctype == "C" || ctype == "POSIX" {
		return domain.Errorf(domain.EINVALID, "database %s has LC_CTYPE %s, under which PostgreSQL's search sees no letters beyond ASCII; create it with a UTF-8 locale: CREATE DATABASE %s LOCALE 'C.UTF-8' TEMPLATE template0", e.config.Database, ctype, e.config.Database)
	}
	return nil
}

func (*postgresEngine) migrations() string { return "postgres" }

// lockWrites takes the write lock, held until the transaction ends: the
// writers of every server sharing the database take turns.
func (*postgresEngine) lockWrites(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, writeLockKey)
	return err
}

func (*postgresEngine) beginLoad(context.Context, *sql.Conn, bool) (func(), error) {
	return func() {}, nil
}

// prepareLoad queues a load's rows for COPY. Into an empty database, as
// on SQLite, the secondary indexes, the references and the streams
// trigger go for the load and come back once at its end (finishFreshLoad):
// checking two references and updating every index row by row was most of
// a load's time (BENCHMARKS.md "PostgreSQL"). The unique keys stay, since
// the load looks things and facts up by them. It is all one transaction:
// a refused load leaves the schema as it was, and other servers wait for
// the tables until it ends.
func (*postgresEngine) prepareLoad(l *writer, fresh bool) error {
	if l.fresh = fresh; !fresh {
		return nil
	}
	l.startQueues()
	rows, err := l.tx.QueryContext(l.ctx, `
		SELECT 'DROP INDEX ' || quote_ident(c.relname), pg_get_indexdef(c.oid), 1
		FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
		WHERE c.relnamespace = current_schema()::regnamespace AND NOT x.indisunique
		UNION ALL
		SELECT 'ALTER TABLE ' || quote_ident(conrelid::regclass::text) || ' DROP CONSTRAINT ' || quote_ident(conname),
			'ALTER TABLE ' || quote_ident(conrelid::regclass::text) || ' ADD CONSTRAINT ' || quote_ident(conname) || ' ' || pg_get_constraintdef(oid), 2
		FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace
		ORDER BY 3, 1`)
	if err != nil {
		return err
	}
	var drops []string
	for rows.Next() {
		var drop, create string
		var order int
		if err := rows.Scan(&drop, &create, &order); err != nil {
			rows.Close()
			return err
		}
		drops, l.indexes = append(drops, drop), append(l.indexes, create)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	drops = append(drops, `ALTER TABLE milestones DISABLE TRIGGER milestones_streams`)
	for _, drop := range drops {
		if err := l.exec(drop); err != nil {
			return err
		}
	}
	return nil
}

// finishFreshLoad builds the indexes and checks the references
// prepareLoad dropped, works out every song's streams in one statement,
// and gathers the planner's statistics of the tables the load filled,
// which autovacuum would do only later: until then every plan would take
// them as empty.
func (*postgresEngine) finishFreshLoad(l *writer, phase func(string)) error {
	phase(domain.PhaseIndexes)
	for i, create := range l.indexes {
		if strings.HasPrefix(create, "ALTER TABLE") && !strings.HasPrefix(l.indexes[max(i-1, 0)], "ALTER TABLE") {
			phase(domain.PhaseReferences) // the foreign keys come after the indexes
		}
		if err := l.exec(create); err != nil {
			return err
		}
	}
	if err := l.exec(`ALTER TABLE milestones ENABLE TRIGGER milestones_streams`); err != nil {
		return err
	}
	if err := l.exec(songStreams); err != nil {
		return err
	}
	phase(domain.PhaseStatistics)
	return l.exec(`ANALYZE`)
}

// insertRows writes a load's queued rows with COPY, on the load's
// connection, inside its transaction.
func (*postgresEngine) insertRows(l *writer, head string, cols int, rows [][]any) error {
	if l.conn == nil || len(rows) == 0 {
		return l.insertRows(head, cols, rows)
	}
	table, columns, err := insertHead(head)
	if err != nil {
		return err
	}
	return l.conn.Raw(func(c any) error {
		_, err := c.(*translatedConn).Conn.Conn().CopyFrom(l.ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows))
		return err
	})
}

// insertHead reads the table and columns of "INSERT INTO t (a, b)".
func insertHead(head string) (table string, columns []string, err error) {
	rest, ok := strings.CutPrefix(head, "INSERT INTO ")
	open, end := strings.IndexByte(rest, '('), strings.LastIndexByte(rest, ')')
	if !ok || open < 0 || end < open {
		return "", nil, fmt.Errorf("not an INSERT's head: %q", head)
	}
	for _, c := range strings.Split(rest[open+1:end], ",") {
		columns = append(columns, strings.TrimSpace(c))
	}
	return strings.TrimSpace(rest[:open]), columns, nil
}

// PostgreSQL's error codes that mean the storage, not the request, is at
// fault, or that two writers took the same key.
const (
	pgUniqueViolation  = "23505"
	pgReadOnly         = "25006"
	pgDiskFull         = "53100"
	pgSerialization    = "40001"
	pgDeadlockDetected = "40P01"
)

func (*postgresEngine) storageError(err error) error {
	var e *pgconn.PgError
	if !errors.As(err, &e) {
		return err
	}
	switch e.Code {
	case pgReadOnly:
		return domain.Errorf(domain.EREADONLY, "the database is read-only (a replica, or a read-only server): writes are refused, reads work")
	case pgDiskFull:
		return domain.Errorf(domain.EFULL, "the database's disk is full: nothing was written, reads work")
	case pgUniqueViolation, pgSerialization, pgDeadlockDetected:
		return domain.Errorf(domain.ECONFLICT, "another edit wrote the same key (a slug, a fact's key or a revision) at the same time: nothing was written; read again and retry")
	}
	return err
}

// searchText folds a name into the words PostgreSQL indexes for it, as
// SQLite's FTS5 tokenizer does: lower case, no diacritics, letters and
// digits only.
func searchText(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(norm.NFKC.String(s))) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	return norm.NFC.String(b.String())
}

// pagePerParent reads each parent's page in a LATERAL subquery, which
// PostgreSQL runs once per parent by the parent's index, stopping at the
// page. (SQLite's form, a correlated IN, made PostgreSQL test every row of
// a parent against the page: 9 ms for an act with 2,700 credits.)
func (*postgresEngine) pagePerParent(q childList, cond, order string, parents idArray, cursors []any, limit int) (string, []any) {
	query := `SELECT page.parent, page.id, page.key FROM ` + idTable + ` want CROSS JOIN LATERAL (
		SELECT * FROM (SELECT ` + q.columns + ` FROM ` + q.tables + ` WHERE ` + q.where + ` AND ` + q.parent + ` = want.value) AS page_rows` + cond + `
		ORDER BY ` + order + ` LIMIT ?) page ORDER BY parent, ` + order
	return query, append(append(append([]any{parents}, q.args...), cursors...), limit)
}

// searchValue is the name's words as FTS5 would find them (searchText).
func (*postgresEngine) searchValue(name string) string { return searchText(name) }

// matchText turns a user's query into a tsquery: every word as a prefix of
// a word of the name (weight A), or the whole query run together as a
// prefix of the folded name (weight B). Words hold letters and digits
// only, so no input is syntax.
func (*postgresEngine) matchText(query string) string {
	ws := strings.Fields(searchText(query))
	if len(ws) == 0 {
		return ""
	}
	quoted := make([]string, len(ws))
	for i, w := range ws {
		quoted[i] = `'` + w + `':*A`
	}
	return `(` + strings.Join(quoted, " & ") + `) | '` + compact(query) + `':*B`
}

// nearSpellings reads candidates by pg_trgm: names a part of which shares
// enough trigrams with the query, most alike first.
func (*postgresEngine) nearSpellings(spelt string, kindFilter string, kindArgs []any) (string, []any) {
	var args []any
	byKind := ""
	if kindFilter != "" {
		byKind = ` JOIN nodes n ON n.id = t.node_id` + kindFilter
		args = append(args, kindArgs...)
	}
	args = append(args, spelt, spelt, fuzzyCandidates)
	return `SELECT t.node_id, t.compact FROM name_trigrams t` + byKind + ` WHERE ? <% t.compact
		ORDER BY word_similarity(?, t.compact) DESC, t.rowid LIMIT ?`, args
}

// changesPoll is long: every server's changes wake the feed by LISTEN (the
// store suite's SubscribersSeeOtherProcessesEdits waits 5 s, so on
// PostgreSQL it passes by LISTEN alone), and the poll only covers a
// notification lost while the listener was reconnecting.
func (*postgresEngine) changesPoll() time.Duration { return 30 * time.Second }

// replicaWait bounds how long a write waits for the replica to replay it.
const replicaWait = 10 * time.Second

// afterCommit, with a replica, waits until the replica has replayed the
// write (its WAL position on the primary), so that the writer's next read,
// through any server, sees it. A replica further behind than replicaWait
// is left to catch up: the write stands, and reads may miss it meanwhile.
func (e *postgresEngine) afterCommit(ctx context.Context, db *DB) {
	if e.primaryPool == nil {
		return
	}
	// On the primary's pool, not the writer: a load still holds the
	// writer's one connection.
	var lsn string
	if err := e.primaryPool.QueryRowContext(ctx, `SELECT CAST(pg_current_wal_lsn() AS text)`).Scan(&lsn); err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, replicaWait)
	defer cancel()
	for wait := time.Millisecond; ; wait = min(2*wait, 50*time.Millisecond) {
		var replayed bool
		// On a server that is not a replica, replay_lsn is null: it has
		// every write.
		err := db.pool.QueryRowContext(ctx, `SELECT coalesce(pg_last_wal_replay_lsn() >= CAST(? AS pg_lsn), true)`, lsn).Scan(&replayed)
		if err != nil || replayed {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// backup runs pg_dump into a new file at path, in its custom format
// (pg_restore reads it): one snapshot, while the database stays in use.
func (e *postgresEngine) backup(ctx context.Context, _ *DB, path string) error {
	if _, err := os.Stat(path); err == nil {
		return domain.Errorf(domain.EINVALID, "%s exists: back up into a new file", path)
	}
	dump, err := exec.LookPath("pg_dump")
	if err != nil {
		return domain.Errorf(domain.EINVALID, "a PostgreSQL database is backed up by pg_dump, which is not on PATH: install PostgreSQL's client programs")
	}
	cmd := exec.CommandContext(ctx, dump, "--format=custom", "--file="+path, "--dbname="+e.config.ConnString())
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pg_dump: %w: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

// integrityCheck checks every B-tree index of the schema against its table
// with amcheck, when the database has that extension; PostgreSQL checks
// references and keys itself as it writes.
func (*postgresEngine) integrityCheck(ctx context.Context, db *DB) error {
	var installed bool
	if err := db.write.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'amcheck')`).Scan(&installed); err != nil || !installed {
		return err
	}
	rows, err := db.write.QueryContext(ctx, `SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
		WHERE a.amname = 'btree' AND c.relnamespace = current_schema()::regnamespace ORDER BY 1`)
	if err != nil {
		return err
	}
	var indexes []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		indexes = append(indexes, name)
	}
	rows.Close()
	var problems []string
	for _, name := range indexes {
		if _, err := db.write.ExecContext(ctx, `SELECT bt_index_check(CAST(? AS regclass), true)`, name); err != nil {
			problems = append(problems, name+": "+err.Error())
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity check: %s", strings.Join(problems, "; "))
	}
	return nil
}

// sizeBytes is the size of the whole database.
func (*postgresEngine) sizeBytes(db *DB) int64 {
	var n int64
	if err := db.write.QueryRowContext(context.Background(), `SELECT pg_database_size(current_database())`).Scan(&n); err != nil {
		return 0
	}
	return n
}

func (e *postgresEngine) close() error {
	if e.stop != nil {
		e.stop()
		<-e.done
	}
	if e.primaryPool != nil {
		return e.primaryPool.Close()
	}
	return nil
}

// listen wakes the feed whenever any server commits a change, on a
// connection of its own, until ctx ends; a lost connection is made again.
func (e *postgresEngine) listen(ctx context.Context, wake func()) {
	defer close(e.done)
	for ctx.Err() == nil {
		conn, err := pgx.ConnectConfig(ctx, e.config)
		if err == nil {
			if _, err = conn.Exec(ctx, `LISTEN `+changesChannel); err == nil {
				// Changes made while no one listened are read now.
				wake()
				for err == nil {
					if _, err = conn.WaitForNotification(ctx); err == nil {
						wake()
					}
				}
			}
			_ = conn.Close(context.WithoutCancel(ctx))
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

// translating makes the connections of a connector run statements written
// for SQLite (see postgresSQL).
type translating struct{ driver.Connector }

func (t translating) Connect(ctx context.Context) (driver.Conn, error) {
	c, err := t.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &translatedConn{Conn: c.(*stdlib.Conn)}, nil
}

// translatedConn is a pgx connection that translates each statement's text
// and passes lists as arrays.
type translatedConn struct {
	*stdlib.Conn
}

func (c *translatedConn) Prepare(query string) (driver.Stmt, error) {
	return c.Conn.Prepare(postgresSQL(query))
}

func (c *translatedConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, postgresSQL(query))
}

func (c *translatedConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, postgresSQL(query), args)
}

func (c *translatedConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, postgresSQL(query), args)
}

// CheckNamedValue passes a list as the array pgx sends it as.
func (c *translatedConn) CheckNamedValue(v *driver.NamedValue) error {
	c.checkList(v)
	return c.Conn.CheckNamedValue(v)
}

func (*translatedConn) checkList(v *driver.NamedValue) {
	switch list := v.Value.(type) {
	case idArray:
		v.Value = []int64(list)
	case textArray:
		v.Value = []string(list)
	}
}

// sqliteForms are the statement forms only SQLite has, as this package
// writes them, and what PostgreSQL runs instead.
var sqliteForms = strings.NewReplacer(
	idTable, "(SELECT unnest(CAST(? AS bigint[])) AS value)",
	inTexts, "IN (SELECT unnest(CAST(? AS text[])))",
	hiatusRows, "jsonb_array_elements(CAST(g.hiatuses AS jsonb)) h(value)",
	hiatusStart, "(h.value->>'start')",
	hiatusEnd, "(h.value->>'end')",
	wordsMatch, "name_search.terms @@ to_tsquery('simple', ?)",
)

// postgresSQL translates a statement written for SQLite: its SQLite-only
// forms (sqliteForms), and its parameters, ? numbered in order and $N
// kept, as SQLite numbers them, into PostgreSQL's $N.
func postgresSQL(query string) string {
	s := sqliteForms.Replace(query)
	var b strings.Builder
	b.Grow(len(s) + 16)
	highest := 0
	var quote byte
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0
			}
		case ch == '\'' || ch == '"':
			quote = ch
		case ch == '?':
			highest++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(highest))
			continue
		case ch == '$' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			j := i + 1
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			n, _ := strconv.Atoi(s[i+1 : j])
			highest = max(highest, n)
			b.WriteString(s[i:j])
			i = j - 1
			continue
		}
		b.WriteByte(ch)
	}
	return b.String()
}
