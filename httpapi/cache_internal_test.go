package httpapi

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
)

// 1,200 distinct 900 KB queries grew the process to 1.75 GB: the cache of
// parsed queries is bounded in bytes, whatever the queries.
func TestQueryCacheIsBoundedInBytes(t *testing.T) {
	const budget = 4 << 20
	c := newQueryCache(budget)
	ctx := context.Background()
	pad := strings.Repeat(" ", 20_000)
	for i := range 1200 {
		c.Add(ctx, fmt.Sprintf("{ a%d }%s", i, pad), &ast.QueryDocument{})
		if bytes, _ := c.size(); bytes > budget {
			t.Fatalf("after %d queries the cache holds %d bytes; budget %d", i+1, bytes, budget)
		}
	}
	if _, n := c.size(); n == 0 || n > budget/(20_000*parsedQueryBytesPerByte) {
		t.Errorf("%d entries kept", n)
	}
	// One query over an eighth of the budget is never kept.
	huge := strings.Repeat(" ", budget/8/parsedQueryBytesPerByte+1)
	c.Add(ctx, huge, &ast.QueryDocument{})
	if _, ok := c.Get(ctx, huge); ok {
		t.Error("a huge query was cached")
	}
	// Small ones are, and are found.
	c.Add(ctx, "{ small }", &ast.QueryDocument{})
	if _, ok := c.Get(ctx, "{ small }"); !ok {
		t.Error("a small query was not cached")
	}
}
