package sqlstore

import (
	"errors"

	sqlite3 "modernc.org/sqlite"

	"github.com/artistgraph/artistgraph/domain"
)

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
func storageError(err error) error {
	var e *sqlite3.Error
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
