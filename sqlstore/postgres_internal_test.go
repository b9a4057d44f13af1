package sqlstore

import (
	"database/sql/driver"
	"slices"
	"testing"
)

// The statements written in SQLite's dialect are translated for
// PostgreSQL: parameters numbered as SQLite numbers them, quotes left
// alone, lists read as arrays, and SQLite's own forms replaced.
func TestPostgresSQL(t *testing.T) {
	for _, tt := range []struct{ sqlite, postgres string }{
		{`SELECT a FROM t WHERE b = ? AND c = ?`, `SELECT a FROM t WHERE b = $1 AND c = $2`},
		// SQLite gives ? the number after the highest so far.
		{`SELECT $1, ?, $1, ?`, `SELECT $1, $2, $1, $3`},
		{`SELECT '?', "a?b", ? FROM t`, `SELECT '?', "a?b", $1 FROM t`},
		{`SELECT 'it''s ?', ?`, `SELECT 'it''s ?', $1`},
		{`SELECT id FROM nodes WHERE id ` + inList, `SELECT id FROM nodes WHERE id IN (SELECT unnest(CAST($1 AS bigint[])) AS value)`},
		{`SELECT x FROM ` + idTable + ` want`, `SELECT x FROM (SELECT unnest(CAST($1 AS bigint[])) AS value) want`},
		{`WHERE n.kind ` + inTexts + ` AND n.id = ?`, `WHERE n.kind IN (SELECT unnest(CAST($1 AS text[]))) AND n.id = $2`},
		{`SELECT ` + hiatusStart + ` FROM groups_ g, ` + hiatusRows, `SELECT (h.value->>'start') FROM groups_ g, jsonb_array_elements(CAST(g.hiatuses AS jsonb)) h(value)`},
		{`SELECT node_id FROM name_search WHERE ` + wordsMatch, `SELECT node_id FROM name_search WHERE name_search.terms @@ to_tsquery('simple', $1)`},
		{`CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RETURN NULL; END $$`, `CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RETURN NULL; END $$`},
	} {
		if got := postgresSQL(tt.sqlite); got != tt.postgres {
			t.Errorf("%s\ngave  %s\nwant  %s", tt.sqlite, got, tt.postgres)
		}
	}
}

// Lists travel to PostgreSQL as arrays, and to SQLite as JSON.
func TestListsAsParameters(t *testing.T) {
	c := &translatedConn{}
	ids := driver.NamedValue{Value: idList([]int64{3, 1})}
	texts := driver.NamedValue{Value: textList([]string{"Artist", `a "quote"`})}
	if c.checkList(&ids); !slices.Equal(ids.Value.([]int64), []int64{3, 1}) {
		t.Errorf("ids: %#v", ids.Value)
	}
	if c.checkList(&texts); !slices.Equal(texts.Value.([]string), []string{"Artist", `a "quote"`}) {
		t.Errorf("texts: %#v", texts.Value)
	}
	if v, err := idList([]int64{3, 1}).Value(); err != nil || v != "[3,1]" {
		t.Errorf("ids for SQLite: %v %v", v, err)
	}
	if v, err := textList([]string{"Artist", `a "quote"`}).Value(); err != nil || v != `["Artist","a \"quote\""]` {
		t.Errorf("texts for SQLite: %v %v", v, err)
	}
}
