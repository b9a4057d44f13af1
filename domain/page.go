package domain

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
