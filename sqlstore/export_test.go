package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
)

// Fingerprint hashes the content of every table, rows in sorted order, so a
// test can prove that a refused load left the database as it was. The FTS5
// shadow tables are left out: they are derived from the names and hold
// internal row IDs that a rewrite of equal names changes.
func Fingerprint(ctx context.Context, db *DB) (string, error) {
	// The tables, and the schema too: a fresh load drops and rebuilds
	// indexes.
	tablesQuery := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'name\_search\_%' ESCAPE '\' AND name NOT LIKE 'name\_trigrams\_%' ESCAPE '\' ORDER BY name`
	schemaQuery := `SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name`
	columnsQuery := `SELECT count(*) FROM pragma_table_info(?)`
	if _, ok := db.eng.(*postgresEngine); ok {
		tablesQuery = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1`
		schemaQuery = `SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()
			UNION ALL SELECT 'column', table_name || '.' || column_name, data_type || coalesce(column_default, '') FROM information_schema.columns WHERE table_schema = current_schema()
			ORDER BY 1, 2`
		columnsQuery = `SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?`
	}
	rows, err := db.read.QueryContext(ctx, tablesQuery)
	if err != nil {
		return "", err
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return "", err
		}
		tables = append(tables, name)
	}
	rows.Close()
	h := sha256.New()
	schema, err := db.read.QueryContext(ctx, schemaQuery)
	if err != nil {
		return "", err
	}
	for schema.Next() {
		var kind, name, sql string
		if err := schema.Scan(&kind, &name, &sql); err != nil {
			schema.Close()
			return "", err
		}
		fmt.Fprintf(h, "%s %s %s\n", kind, name, sql)
	}
	schema.Close()
	for _, table := range tables {
		var ncols int
		if err := db.read.QueryRowContext(ctx, columnsQuery, table).Scan(&ncols); err != nil {
			return "", err
		}
		order := "1"
		for i := 2; i <= ncols; i++ {
			order += fmt.Sprintf(", %d", i)
		}
		rows, err := db.read.QueryContext(ctx, `SELECT * FROM "`+table+`" ORDER BY `+order)
		if err != nil {
			return "", fmt.Errorf("%s: %w", table, err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		n := 0
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return "", err
			}
			fmt.Fprintf(h, "%s%v\n", table, vals)
			n++
		}
		rows.Close()
		fmt.Fprintf(h, "%s:%d\n", table, n)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// LimitPages caps the database at its current size plus pages more, as a
// full disk would: the writer is one connection, so the pragma holds for
// every write.
func LimitPages(ctx context.Context, db *DB, pages int) error {
	var count int
	if err := db.write.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&count); err != nil {
		return err
	}
	_, err := db.write.ExecContext(ctx, fmt.Sprintf(`PRAGMA max_page_count = %d`, count+pages))
	return err
}

// Columns lists "table.column" for every table of the schema but the
// search indexes, sorted.
func Columns(ctx context.Context, db *DB) ([]string, error) {
	query := `SELECT m.name || '.' || c.name FROM sqlite_master m, pragma_table_info(m.name) c
		WHERE m.type = 'table' AND m.name NOT LIKE 'name\_search%' ESCAPE '\' AND m.name NOT LIKE 'name\_trigrams%' ESCAPE '\'`
	if _, ok := db.eng.(*postgresEngine); ok {
		query = `SELECT table_name || '.' || column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name NOT IN ('name_search', 'name_trigrams')`
	}
	rows, err := db.read.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	slices.Sort(out)
	return out, rows.Err()
}
