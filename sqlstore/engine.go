package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"strconv"
	"time"
)

// engine is what one database engine does its own way: connecting,
// migrations, the tuning and bulk writing of a load, full-text search,
// storage errors and operating the database. Everything else in this
// package is SQL both engines run. It is written in SQLite's dialect; on
// PostgreSQL the few forms SQLite has alone, each a constant below or in
// search.go and walk.go, are translated once per statement text (see
// postgresSQL).
type engine interface {
	// migrations names the folder, under migrations/, of the engine's
	// schema changes.
	migrations() string
	// lockWrites is the first statement of every write transaction:
	// writers in several processes take turns, as SQLite's one writer
	// makes them do, so that revision checks, IDs and positions read in a
	// transaction stay true until it commits.
	lockWrites(ctx context.Context, tx *sql.Tx) error
	// beginLoad readies a load's connection before its transaction, for
	// a load into an empty database or not; undo runs after it.
	beginLoad(ctx context.Context, conn *sql.Conn, fresh bool) (undo func(), err error)
	// prepareLoad tunes a load's transaction.
	prepareLoad(l *writer, fresh bool) error
	// finishFreshLoad completes a load into an empty database before it
	// commits: indexes, what triggers keep, references.
	finishFreshLoad(l *writer, phase func(string)) error
	// insertRows writes a load's queued rows of one table.
	insertRows(l *writer, head string, cols int, rows [][]any) error
	// storageError says what a storage failure means to a client.
	storageError(err error) error
	// searchValue is what name_search keeps of a name for its words.
	searchValue(name string) string
	// pagePerParent is the statement of pageMany: the rows (parent, id,
	// key) of q, for each of parents, after the cursor condition cond (on
	// key and id, with its arguments cursors), ordered by order, at most
	// limit of them.
	pagePerParent(q childList, cond, order string, parents idArray, cursors []any, limit int) (string, []any)
	// matchText turns a user's query into the argument of wordsMatch.
	matchText(query string) string
	// nearSpellings is a statement that reads the candidates for near
	// spellings of a folded, letter-spelt query (see letters), as rows of
	// thing ID and the letters of a name, best first.
	nearSpellings(spelt string, kindFilter string, kindArgs []any) (query string, args []any)
	// afterCommit follows every committed write (see DB.committed).
	afterCommit(ctx context.Context, db *DB)
	// changesPoll is how often subscribers look for changes committed by
	// other processes, which they are not told of otherwise.
	changesPoll() time.Duration
	backup(ctx context.Context, db *DB, path string) error
	integrityCheck(ctx context.Context, db *DB) error
	sizeBytes(db *DB) int64
	close() error
}

// Lists travel as one parameter, so that a statement's text does not
// depend on how long a list is and is prepared once: SQLite reads the list
// as a JSON array (json_each), PostgreSQL as an array (see postgresSQL).
const (
	// idTable is a list of IDs as a table with one column, value.
	idTable = "(SELECT value FROM json_each(?))"
	// inList is the right side of an IN over a list of IDs (idList).
	inList = "IN " + idTable
	// inTexts is the right side of an IN over a list of strings
	// (textList).
	inTexts = "IN (SELECT CAST(value AS TEXT) FROM json_each(?))"
)

// idArray is a list of IDs passed as one parameter.
type idArray []int64

// Value is the list as SQLite reads it.
func (a idArray) Value() (driver.Value, error) {
	b := make([]byte, 0, 2+8*len(a))
	b = append(b, '[')
	for i, id := range a {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']')), nil
}

// textArray is a list of strings passed as one parameter.
type textArray []string

// Value is the list as SQLite reads it.
func (a textArray) Value() (driver.Value, error) {
	b, err := json.Marshal([]string(a))
	return string(b), err
}

// idList passes IDs as one parameter for inList and idTable.
func idList(ids []int64) idArray { return idArray(ids) }

// textList passes strings as one parameter for inTexts.
func textList[S ~string](values []S) textArray {
	out := make(textArray, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
