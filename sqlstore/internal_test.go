package sqlstore

import "context"

// PreparedStatements counts the statements the read pool has prepared, for
// the tests of package sqlstore_test.
func PreparedStatements(db *DB) int64 { return db.read.stmts.prepared.Load() }

// MmapSize reads the memory map's size on a read connection.
func MmapSize(db *DB) (int64, error) {
	var n int64
	err := db.read.QueryRowContext(context.Background(), `PRAGMA mmap_size`).Scan(&n)
	return n, err
}
