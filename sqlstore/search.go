package sqlstore

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/artistgraph/artistgraph/domain"
)

// Search reads two indexes of the names each engine keeps its own way:
// name_search, matched by wordsMatch, finds names by the start of their
// words or of the whole name folded (compact), and name_trigrams holds each
// name spelt letter by letter (letters) for near spellings. A thing's rows
// in both are id*MaxNames and up (see the writer's names).

// wordsMatch is the condition that a name_search row matches the engine's
// form of a query (engine.matchText).
const wordsMatch = "name_search MATCH ?"

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

// letters spells a folded name letter by letter for near-spelling search:
// each Hangul syllable becomes its jamo, so that 전정극 is one letter from
// 전정국 (ㄱㅡㄱ for ㄱㅜㄱ), where syllables would differ as a whole.
func letters(folded string) string {
	var b strings.Builder
	for _, r := range folded {
		if r >= 0xAC00 && r <= 0xD7A3 {
			b.WriteString(norm.NFD.String(string(r)))
		} else {
			b.WriteRune(r)
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

// fuzzyCandidates bounds the names a typo-tolerant search compares by edit
// distance, and maxPairs the letter pairs of the query it looks them up by.
const (
	fuzzyCandidates = 500
	maxPairs        = 8
)

// prefixCandidates bounds the matches each tier of a search reads: a query
// such as "ka" matches a large part of a big graph, and no one pages
// through more.
const prefixCandidates = 1000

// fuzzyBelow is how few prefix matches make a search also look for near
// spellings: with enough matches the query was spelt right.
const fuzzyBelow = 20

// Search finds things whose names match a user's query, best first: a
// thing whose external identifier is the query, exact primary names, exact other names, names that start with the query
// (shortest first), names with words that start with the query's words,
// then, when those are few, near spellings by edit distance. kinds limits the kinds searched (all when
// empty). Text that holds no letters or digits finds nothing.
func (db *DB) Search(ctx context.Context, text string, kinds []string, p domain.PageArgs) ([]domain.SearchHit, domain.Page, error) {
	if n := utf8.RuneCountInString(text); n > domain.MaxSearchText {
		return nil, domain.Page{}, domain.Errorf(domain.EINVALID, "the search text is %d characters long; at most %d", n, domain.MaxSearchText)
	}
	if n := len(words(text)); n > domain.MaxSearchTerms {
		return nil, domain.Page{}, domain.Errorf(domain.EINVALID, "the search text has %d words; at most %d", n, domain.MaxSearchTerms)
	}
	slices.Sort(kinds)
	kinds = slices.Compact(kinds)
	match := db.eng.matchText(text)
	if match == "" {
		return nil, domain.Page{}, nil
	}
	folded := compact(text)
	kindFilter := ""
	var kindArgs []any
	if len(kinds) > 0 {
		kindFilter = ` AND n.kind ` + inTexts
		kindArgs = append(kindArgs, textList(kinds))
	}
	first, _, err := p.Size()
	if err != nil {
		return nil, domain.Page{}, err
	}
	// Near spellings are the last tier: looked for only when the query
	// starts few names, and only when the earlier tiers leave the page
	// unfilled (or the client counts every match).
	var fuzzy []fuzzyHit
	nearSpellings := func() error {
		few, err := db.fewPrefixMatches(ctx, match)
		if err == nil && few {
			fuzzy, err = db.fuzzyMatches(ctx, folded, match, kindFilter, kindArgs)
		}
		return err
	}
	var page domain.Page
	var hits []domain.SearchHit
	fuzzyFrom := 0
	if c, ok := decodeFuzzyCursor(p.After); ok {
		if err := nearSpellings(); err != nil {
			return nil, page, err
		}
		page.HasPrevious = true
		fuzzyFrom = len(fuzzy)
		for i, f := range fuzzy {
			if compareFuzzy(f, c) > 0 {
				fuzzyFrom = i
				break
			}
		}
		if p.WithTotal {
			page.Total, err = db.countPrefixMatches(ctx, match, kindFilter, kindArgs)
		}
	} else {
		// Three tiers, each cheap: exact names and names that start with
		// the query, by the index on folded names (shorter names first),
		// then names with words that start with the query's words, from
		// FTS5 in index order. Each tier reads at most prefixCandidates.
		// A cursor carries the key, so the pages of either statement
		// follow on from each other.
		candidates := prefixCandidates
		if len(kinds) > 0 {
			candidates *= 5
		}
		args := append([]any{strings.TrimSpace(text)}, kindArgs...)
		args = append(append(append(args, folded), kindArgs...), folded, folded+string(rune(utf8.MaxRune)))
		args = append(append(args, kindArgs...), candidates)
		names := `SELECT i.node_id AS id, -1 AS score FROM identifiers i JOIN nodes n ON n.id = i.node_id WHERE i.value = ?` + kindFilter + `
			UNION ALL
			SELECT nm.node_id AS id, CASE WHEN nm.position = 0 THEN 0 ELSE 1 END AS score
			FROM names nm JOIN nodes n ON n.id = nm.node_id WHERE nm.compact = ?` + kindFilter + `
			UNION ALL
			SELECT id, score FROM (SELECT nm.node_id AS id, 2 + length(nm.compact) / 10000.0 AS score
				FROM names nm JOIN nodes n ON n.id = nm.node_id WHERE nm.compact > ? AND nm.compact < ?` + kindFilter + `
				ORDER BY nm.compact LIMIT ?) AS prefixed`
		words := `SELECT s.id, 3 AS score FROM (SELECT node_id AS id FROM name_search WHERE ` + wordsMatch + ` LIMIT ?) s
			JOIN nodes n ON n.id = s.id WHERE TRUE` + kindFilter
		// The word tier ranks after every name the first two find, so
		// when those fill the page (and more), it is not read.
		args12 := domain.PageArgs{First: p.First, After: p.After}
		page, err = db.page(ctx, listQuery{body: `SELECT id, CAST(min(score) AS DOUBLE PRECISION) AS key FROM (` + names + `) AS hits GROUP BY id`, args: args}, args12)
		if err == nil && !page.HasNext {
			args = append(append(args, match, candidates), kindArgs...)
			page, err = db.page(ctx, listQuery{body: `SELECT id, CAST(min(score) AS DOUBLE PRECISION) AS key FROM (` + names + ` UNION ALL ` + words + `) AS hits GROUP BY id`, args: args}, args12)
		}
		if err != nil {
			return nil, page, err
		}
		if p.WithTotal {
			if page.Total, err = db.countPrefixMatches(ctx, match, kindFilter, kindArgs); err != nil {
				return nil, page, err
			}
		}
		hits, err = db.prefixHits(ctx, page.IDs, text, folded)
		if err == nil && (!page.HasNext || p.WithTotal) {
			err = nearSpellings()
		}
	}
	if err != nil {
		return nil, page, err
	}
	if !page.HasNext {
		for _, f := range fuzzy[fuzzyFrom:] {
			if len(hits) == first {
				page.HasNext = true
				break
			}
			hits = append(hits, f.SearchHit)
			page.IDs = append(page.IDs, f.ID)
			page.Cursors = append(page.Cursors, encodeFuzzyCursor(f))
		}
	}
	page.Total += len(fuzzy)
	return hits, page, nil
}

// fewPrefixMatches reports whether the query starts fewer than fuzzyBelow
// names, reading no further than that.
func (db *DB) fewPrefixMatches(ctx context.Context, match string) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM name_search WHERE `+wordsMatch+` LIMIT ?) AS matches`, match, fuzzyBelow).Scan(&n)
	return n < fuzzyBelow, err
}

// countPrefixMatches counts every thing a query matches, not only the
// candidates ranked: it reads every match, so only when asked.
func (db *DB) countPrefixMatches(ctx context.Context, match, kindFilter string, kindArgs []any) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(DISTINCT name_search.node_id) FROM name_search JOIN nodes n ON n.id = name_search.node_id
		WHERE `+wordsMatch+``+kindFilter, append([]any{match}, kindArgs...)...).Scan(&n)
	return n, err
}

// prefixHits finds, for each thing of a page, its best matching name: the
// names are read by key and matched here, as the FTS query matched them.
func (db *DB) prefixHits(ctx context.Context, ids []int64, query, folded string) ([]domain.SearchHit, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := db.read.QueryContext(ctx, `SELECT node_id, position, value, compact FROM names WHERE node_id `+inList+` ORDER BY node_id, position`, idList(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	queryWords := words(query)
	rank := map[string]int{"exact_name": 0, "exact_alias": 1, "prefix": 2}
	best := map[int64]domain.SearchHit{}
	prevScore := map[int64]int{}
	for rows.Next() {
		var h domain.SearchHit
		var position int
		var name string
		if err := rows.Scan(&h.ID, &position, &h.Matched, &name); err != nil {
			return nil, err
		}
		switch {
		case name == folded && position == 0:
			h.Match = "exact_name"
		case name == folded:
			h.Match = "exact_alias"
		case strings.HasPrefix(name, folded) || wordsStart(words(h.Matched), queryWords):
			h.Match = "prefix"
		default:
			continue
		}
		// Between names that match alike, the one spelt as typed wins.
		score := 2*rank[h.Match] + map[bool]int{true: 0, false: 1}[strings.EqualFold(strings.TrimSpace(query), h.Matched)]
		if _, ok := best[h.ID]; !ok || score < prevScore[h.ID] {
			best[h.ID], prevScore[h.ID] = h, score
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// A thing one of whose identifiers is the query matched by it.
	rows, err = db.read.QueryContext(ctx, `SELECT node_id, value FROM identifiers WHERE value = ? AND node_id `+inList, strings.TrimSpace(query), idList(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		h := domain.SearchHit{Match: "identifier"}
		if err := rows.Scan(&h.ID, &h.Matched); err != nil {
			return nil, err
		}
		best[h.ID] = h
	}
	hits := make([]domain.SearchHit, len(ids))
	for i, id := range ids {
		hits[i] = best[id]
	}
	return hits, rows.Err()
}

// wordsStart reports whether each query word starts a word of the name.
func wordsStart(name, query []string) bool {
	for _, q := range query {
		if !slices.ContainsFunc(name, func(w string) bool { return strings.HasPrefix(w, q) }) {
			return false
		}
	}
	return true
}

type fuzzyHit struct {
	domain.SearchHit
	distance int // to the name or its start
	whole    int // to the whole name, to rank "jungkook" above "jungkook's seven ..."
}

// fuzzyMatches finds names within a few edits of the query that the prefix
// search does not already find: candidates share trigrams with the query,
// then edit distance decides. Queries under three letters have no trigrams
// and find no near spellings.
func (db *DB) fuzzyMatches(ctx context.Context, folded, match, kindFilter string, kindArgs []any) ([]fuzzyHit, error) {
	folded = letters(folded)
	if utf8.RuneCountInString(folded) < 3 {
		return nil, nil
	}
	query, args := db.eng.nearSpellings(folded, kindFilter, kindArgs)
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	best := map[int64]fuzzyHit{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return nil, err
		}
		d := typoDistance(folded, name)
		if d > maxTypos(folded) {
			continue
		}
		whole := domain.Levenshtein([]rune(folded), []rune(name))
		if prev, ok := best[id]; !ok || d < prev.distance || (d == prev.distance && whole < prev.whole) {
			best[id] = fuzzyHit{domain.SearchHit{ID: id, Match: "fuzzy"}, d, whole}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(best) == 0 {
		return nil, err
	}
	ids := make([]int64, 0, len(best))
	for id := range best {
		ids = append(ids, id)
	}
	// Drop what the prefix search finds, and name what matched.
	found := map[int64]bool{}
	prefixRows, err := db.read.QueryContext(ctx, `SELECT DISTINCT node_id FROM name_search WHERE `+wordsMatch+` AND node_id `+inList, match, idList(ids))
	if err != nil {
		return nil, err
	}
	for prefixRows.Next() {
		var id int64
		if err := prefixRows.Scan(&id); err != nil {
			prefixRows.Close()
			return nil, err
		}
		found[id] = true
	}
	prefixRows.Close()
	names, err := db.read.QueryContext(ctx, `SELECT node_id, value, compact FROM names WHERE node_id `+inList, idList(ids))
	if err != nil {
		return nil, err
	}
	defer names.Close()
	for names.Next() {
		var id int64
		var value, name string
		if err := names.Scan(&id, &value, &name); err != nil {
			return nil, err
		}
		name = letters(name)
		if h := best[id]; h.Matched == "" && typoDistance(folded, name) == h.distance && domain.Levenshtein([]rune(folded), []rune(name)) == h.whole {
			h.Matched = value
			best[id] = h
		}
	}
	out := make([]fuzzyHit, 0, len(best))
	for id, h := range best {
		if !found[id] {
			out = append(out, h)
		}
	}
	slices.SortFunc(out, compareFuzzy)
	return out, names.Err()
}

// fuzzyCursor marks a place among the near spellings; its "f" field tells
// it from a prefix-match cursor.
type fuzzyCursor struct {
	Distance *int  `json:"f"`
	Whole    int   `json:"w"`
	ID       int64 `json:"i"`
}

func encodeFuzzyCursor(h fuzzyHit) string {
	b, _ := json.Marshal(fuzzyCursor{&h.distance, h.whole, h.ID})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeFuzzyCursor(s string) (fuzzyHit, bool) {
	var c fuzzyCursor
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if s == "" || err != nil || json.Unmarshal(raw, &c) != nil || c.Distance == nil {
		return fuzzyHit{}, false
	}
	return fuzzyHit{SearchHit: domain.SearchHit{ID: c.ID}, distance: *c.Distance, whole: c.Whole}, true
}

// compareFuzzy orders near spellings: fewest edits, then closest whole name.
func compareFuzzy(a, b fuzzyHit) int {
	return cmp.Or(cmp.Compare(a.distance, b.distance), cmp.Compare(a.whole, b.whole), cmp.Compare(a.ID, b.ID))
}

func trigrams(s string) []string {
	r := []rune(s)
	var out []string
	for i := 0; i+3 <= len(r); i++ {
		if g := string(r[i : i+3]); !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

// maxTypos is how many edits a query may be from a name and still match.
func maxTypos(folded string) int {
	switch n := utf8.RuneCountInString(folded); {
	case n < 6:
		return 1
	case n < 10:
		return 2
	default:
		return 3
	}
}

// typoDistance is the edit distance from the query to the name, or to the
// name's start when the name is longer, so that a misspelt prefix matches.
func typoDistance(query, name string) int {
	q, n := []rune(query), []rune(name)
	d := domain.Levenshtein(q, n)
	if len(n) > len(q) {
		d = min(d, domain.Levenshtein(q, n[:len(q)]))
	}
	return d
}

// dropSearchRows removes a thing's rows from the search indexes, which
// FTS5 keys by rowid: a thing's rows are id*MaxNames and up (see names).
func dropSearchRows(exec func(query string, args ...any) error, id int64) error {
	for _, q := range []string{`DELETE FROM name_search WHERE rowid BETWEEN ? AND ?`, `DELETE FROM name_trigrams WHERE rowid BETWEEN ? AND ?`} {
		if err := exec(q, id*domain.MaxNames, id*domain.MaxNames+domain.MaxNames-1); err != nil {
			return err
		}
	}
	return nil
}
