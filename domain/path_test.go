package domain_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
)

// graph is an undirected test graph: each edge is a fact joining two things.
type graph map[int64][]domain.Step

func (g graph) add(a, b, fact int64) {
	g[a] = append(g[a], domain.Step{From: a, To: b, Fact: fact, FactKind: domain.KindCredit})
	g[b] = append(g[b], domain.Step{From: b, To: a, Fact: fact, FactKind: domain.KindCredit})
}

func (g graph) next(calls *int) func(context.Context, []int64) ([]domain.Step, bool, error) {
	return func(_ context.Context, from []int64) ([]domain.Step, bool, error) {
		*calls++
		var out []domain.Step
		for _, f := range from {
			out = append(out, g[f]...)
		}
		return out, false, nil
	}
}

func render(p domain.Path) string {
	if len(p) == 0 {
		return "()"
	}
	s := fmt.Sprint(p[0].From)
	for _, st := range p {
		s += fmt.Sprintf("-%d-%d", st.Fact, st.To)
	}
	return s
}

func TestShortestPaths(t *testing.T) {
	// 1 - 2 - 3 - 4 - 5, and a second route 1 - 6 - 3, and 7 on its own.
	g := graph{}
	g.add(1, 2, 12)
	g.add(2, 3, 23)
	g.add(3, 4, 34)
	g.add(4, 5, 45)
	g.add(1, 6, 16)
	g.add(6, 3, 63)
	tests := []struct {
		from, to int64
		depth    int
		limit    int
		want     []string
	}{
		{1, 2, 4, 1, []string{"1-12-2"}},
		{1, 3, 4, 5, []string{"1-12-2-23-3", "1-16-6-63-3"}},
		{1, 5, 4, 5, []string{"1-12-2-23-3-34-4-45-5", "1-16-6-63-3-34-4-45-5"}},
		{5, 1, 4, 1, []string{"5-45-4-34-3-23-2-12-1"}},
		{1, 5, 3, 5, nil}, // beyond the depth cap
		{1, 7, 4, 5, nil}, // nothing links them
		{3, 3, 4, 5, []string{"()"}},
	}
	for _, tt := range tests {
		var calls int
		res, err := domain.ShortestPaths(context.Background(), tt.from, tt.to, domain.PathSearch{MaxDepth: tt.depth, Limit: tt.limit, MaxVisited: 1000, Next: g.next(&calls)})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range res.Paths {
			got = append(got, render(p))
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%d→%d depth %d: %v, want %v", tt.from, tt.to, tt.depth, got, tt.want)
		}
		if calls > tt.depth {
			t.Errorf("%d→%d: %d expansions for depth %d", tt.from, tt.to, calls, tt.depth)
		}
	}
}

func TestShortestPathsStopsAtTheVisitCap(t *testing.T) {
	g := graph{}
	for i := int64(10); i < 200; i++ {
		g.add(1, i, i) // a hub
	}
	g.add(199, 2, 1000)
	var calls int
	res, err := domain.ShortestPaths(context.Background(), 1, 3, domain.PathSearch{MaxDepth: 6, Limit: 1, MaxVisited: 50, Next: g.next(&calls)})
	if err != nil || !res.Exhausted || len(res.Paths) != 0 {
		t.Errorf("got %+v, %v; want an exhausted, empty search", res, err)
	}
}
