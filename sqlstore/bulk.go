package sqlstore

import (
	"database/sql"
	"fmt"
	"strings"

	"github.com/artistgraph/artistgraph/domain"
)

// What a load does that is SQLite's own: a large page cache for the
// transaction, statement journals in memory, and, into an empty database, indexes and triggers dropped
// and built once at the end, and foreign keys checked once (PRAGMA
// foreign_key_check) instead of row by row (see LoadItems).

// loadCacheKiB is the page cache a load works with: a large transaction that
// spills its cache to the WAL early runs several times slower.
const loadCacheKiB = 256 << 10

func (l *writer) prepare(fresh bool) error {
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
	l.keys, l.dated, l.stints, l.queues = map[uint64]bool{}, map[uint64][]domain.Date{}, map[string][]stint{}, map[string]*queue{}
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

// queueRows makes a load into a populated database queue the rows of new
// nodes, as a fresh load does (see batched). Every reference is to nodes,
// whose queued rows go in before any other (see flushQueue), so that
// references are checked row by row as before. (Deferring the checks to
// the commit instead made each node's insert search every table that
// refers to nodes, some without an index: quadratic.)
func (l *writer) queueRows() {
	l.batch = true
	l.keys, l.dated, l.stints, l.queues = map[uint64]bool{}, map[uint64][]domain.Date{}, map[string][]stint{}, map[string]*queue{}
}

// rebuildIndexes creates again the indexes and triggers a fresh load
// dropped.
func (l *writer) rebuildIndexes() error {
	for _, create := range l.indexes {
		if _, err := l.tx.ExecContext(l.ctx, create); err != nil {
			return err
		}
	}
	return nil
}

// checkReferences verifies, once, every reference a fresh load wrote.
func (l *writer) checkReferences() error {
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
