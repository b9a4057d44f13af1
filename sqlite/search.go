package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/artistgraph/artistgraph/domain"
)

// This file holds the FTS5 side of search: the one place that knows the
// search index is an SQLite virtual table.

func deleteSearchEntries(ctx context.Context, tx *sql.Tx, node int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM name_search WHERE node_id = ?`, node)
	return err
}

func addSearchEntry(ctx context.Context, tx *sql.Tx, node int64, name string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO name_search (value, compact, node_id) VALUES (?, ?, ?)`, name, compact(name), node)
	return err
}

// compact folds a name to lower-case letters and digits, with no spaces or
// punctuation: "Jeon Jung-kook" and "jeon jungkook" both give "jeonjungkook".
func compact(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKC.String(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// words splits a user's query into letters-and-digits words. Everything else
// is dropped, which is what keeps a user's text from ever being FTS5 syntax.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(norm.NFKC.String(s)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// matchExpression turns a user's query into an FTS5 MATCH expression: every
// word as a prefix on the value column, or the whole query run together as a
// prefix on the compact column. Each word is quoted, so no input is syntax.
func matchExpression(query string) string {
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

// SearchHit is a thing found by Search and the name that matched.
type SearchHit struct {
	ID      int64
	Matched string
}

// Search finds things whose names match a user's query, best match first:
// the whole name exactly before a word of it, primary names before aliases,
// then by FTS5's bm25 rank. kinds limits the kinds searched (all when empty).
// Text that holds no letters or digits finds nothing.
func (db *DB) Search(ctx context.Context, text string, kinds []string, p domain.PageArgs) ([]SearchHit, domain.Page, error) {
	match := matchExpression(text)
	if match == "" {
		return nil, domain.Page{}, nil
	}
	kindFilter := ""
	args := []any{compact(text), match}
	if len(kinds) > 0 {
		kindFilter = ` AND n.kind IN (` + placeholders(len(kinds)) + `)`
		for _, k := range kinds {
			args = append(args, k)
		}
	}
	body := `SELECT id, min(score) AS key FROM (
		SELECT s.node_id AS id,
			(CASE WHEN s.compact = ?1 THEN 0 ELSE 2000 END) + (CASE WHEN s.value = n.name THEN 0 ELSE 1000 END) + s.rank AS score
		FROM name_search s JOIN nodes n ON n.id = s.node_id
		WHERE name_search MATCH ?2` + kindFilter + `) GROUP BY id`
	page, err := db.page(ctx, listQuery{body, args}, p)
	if err != nil || len(page.IDs) == 0 {
		return nil, page, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT node_id, value FROM name_search WHERE name_search MATCH ? AND node_id IN (`+placeholders(len(page.IDs))+`) ORDER BY compact = ? DESC, rank`,
		append(append([]any{match}, int64Args(page.IDs)...), compact(text))...)
	if err != nil {
		return nil, page, err
	}
	defer rows.Close()
	matched := map[int64]string{}
	for rows.Next() {
		var id int64
		var value string
		if err := rows.Scan(&id, &value); err != nil {
			return nil, page, err
		}
		if _, ok := matched[id]; !ok {
			matched[id] = value
		}
	}
	hits := make([]SearchHit, len(page.IDs))
	for i, id := range page.IDs {
		hits[i] = SearchHit{ID: id, Matched: matched[id]}
	}
	return hits, page, rows.Err()
}
