package httpapi

import (
	"context"
	"sync"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	"github.com/vektah/gqlparser/v2/ast"
)

// byteLRU is a least-recently-used cache bounded by the bytes its entries
// take as well as by their number: a few huge distinct queries must not be
// able to grow the process without bound. It implements gqlgen's
// graphql.Cache.
type byteLRU[V any] struct {
	mu    sync.Mutex
	lru   *simplelru.LRU[string, V]
	weigh func(key string, value V) int64
	bytes int64
	max   int64
}

// maxCacheEntries bounds the number of entries whatever their size.
const maxCacheEntries = 1000

// parsedQueryBytesPerByte is about how many bytes of memory a parsed query
// takes per byte of its text (measured on gqlparser's documents: 21-23 for
// selections, and the text itself is kept); a long string literal takes
// less, so this is an upper bound.
const parsedQueryBytesPerByte = 24

func newByteLRU[V any](maxBytes int64, weigh func(key string, value V) int64) *byteLRU[V] {
	c := &byteLRU[V]{weigh: weigh, max: maxBytes}
	c.lru, _ = simplelru.NewLRU(maxCacheEntries, func(key string, value V) { c.bytes -= c.weigh(key, value) })
	return c
}

// newQueryCache caches parsed and validated queries by their text.
func newQueryCache(maxBytes int64) *byteLRU[*ast.QueryDocument] {
	return newByteLRU[*ast.QueryDocument](maxBytes, func(query string, _ *ast.QueryDocument) int64 {
		return int64(len(query)) * parsedQueryBytesPerByte
	})
}

func (c *byteLRU[V]) Get(_ context.Context, key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Get(key)
}

// Add keeps an entry, evicting the least recently used until the cache is
// within its bytes. An entry over an eighth of the budget is not kept at
// all: it would push out many ordinary ones to serve one client.
func (c *byteLRU[V]) Add(_ context.Context, key string, value V) {
	w := c.weigh(key, value)
	if w > c.max/8 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lru.Contains(key) {
		return
	}
	c.lru.Add(key, value)
	c.bytes += w
	for c.bytes > c.max {
		c.lru.RemoveOldest()
	}
}

// size is the bytes and entries the cache holds now.
func (c *byteLRU[V]) size() (bytes int64, entries int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes, c.lru.Len()
}
