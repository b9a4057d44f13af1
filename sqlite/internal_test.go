package sqlite

// PreparedStatements counts the statements the read pool has prepared, for
// the tests of package sqlite_test.
func PreparedStatements(db *DB) int64 { return db.read.stmts.prepared.Load() }
