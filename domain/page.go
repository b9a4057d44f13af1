package domain

import (
	"encoding/base64"
	"encoding/json"
	"slices"
)

// MaxPageSize is the most items one page of a connection holds.
const MaxPageSize = 100

// DefaultPageSize is the page size when a client does not say.
const DefaultPageSize = 20

// PageArgs asks for a page of a list: the items between the cursors After
// and Before (the start and the end when empty), at most First of them from
// the start, or Last from the end, as Relay's connections have it.
type PageArgs struct {
	First  int
	After  string
	Last   int
	Before string
	// WithTotal asks for the total count too, which costs a count of the
	// whole list: only when a client selects totalCount.
	WithTotal bool
}

// Page is one page of a list of IDs, ordered by a key the cursors encode.
type Page struct {
	IDs         []int64
	Cursors     []string
	HasNext     bool
	HasPrevious bool
	Total       int
}

// Size checks and defaults the size of a page, and says whether it is
// counted from the end (Last).
func (p PageArgs) Size() (n int, fromEnd bool, err error) {
	switch {
	case p.First != 0 && p.Last != 0:
		return 0, false, Errorf(EINVALID, "first and last: give one of them, not both")
	case p.Last != 0:
		if p.Last < 0 || p.Last > MaxPageSize {
			return 0, false, Errorf(EINVALID, "last: must be between 1 and %d, not %d", MaxPageSize, p.Last)
		}
		return p.Last, true, nil
	case p.First == 0:
		return DefaultPageSize, false, nil
	case p.First < 0 || p.First > MaxPageSize:
		return 0, false, Errorf(EINVALID, "first: must be between 1 and %d, not %d", MaxPageSize, p.First)
	}
	return p.First, false, nil
}

// Finish says whether a page read with p has neighbours (more: the read
// found a row past the page), and puts a page counted from the end, read
// backwards, back in the list's order.
func (pg *Page) Finish(p PageArgs, fromEnd, more bool) {
	if fromEnd {
		slices.Reverse(pg.IDs)
		slices.Reverse(pg.Cursors)
		pg.HasPrevious, pg.HasNext = more, p.Before != ""
		return
	}
	pg.HasNext, pg.HasPrevious = more, p.After != ""
}

// Cursor is what a page's cursor holds: the (Key, ID) of an item in a list
// ordered by key then ID (keyset pagination, so pages stay right while
// items are added), and the name of the ordering it was given out for.
type Cursor struct {
	Key   any    `json:"k"`
	ID    int64  `json:"i"`
	Order string `json:"o,omitempty"`
}

// EncodeCursor writes a cursor as the opaque text clients pass back.
func EncodeCursor(key any, id int64, order string) string {
	b, _ := json.Marshal(Cursor{Key: key, ID: id, Order: order})
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reads a cursor given as the argument name, for a list in the
// order named; another list's cursor or a forged one is EINVALID.
func DecodeCursor(name, s, order string) (Cursor, error) {
	var c Cursor
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(raw, &c)
	}
	if err != nil || c.ID <= 0 {
		return c, Errorf(EINVALID, "%s: %q is not a cursor this API gave out", name, s)
	}
	if c.Order != order {
		return c, Errorf(EINVALID, "%s: the cursor was given out for another ordering (%s) than this one (%s); start again from the first page", name, orderName(c.Order), orderName(order))
	}
	return c, nil
}

func orderName(order string) string {
	if order == "" {
		return "the default"
	}
	return order
}

// MaxSearchText and MaxSearchTerms bound a search's text, in characters
// and in words: each word is a term of a full-text query and its letters
// the trigrams of a fuzzy one, so the cost of a search grows with both.
// Names are far shorter.
const (
	MaxSearchText  = 200
	MaxSearchTerms = 10
)

// MaxListArgument is the most items a list argument of a query may hold
// (IDs, kinds): one page's worth.
const MaxListArgument = MaxPageSize
