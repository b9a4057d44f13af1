package domain

import (
	"context"
	"slices"
)

// Step goes from one thing through a fact to another thing, naming the part
// each thing plays in the fact ("member" and "group" for a membership).
type Step struct {
	From, Fact, To   int64
	FactKind         Kind
	FromRole, ToRole string
}

// Reverse returns the same step walked the other way.
func (s Step) Reverse() Step {
	return Step{From: s.To, Fact: s.Fact, To: s.From, FactKind: s.FactKind, FromRole: s.ToRole, ToRole: s.FromRole}
}

// Path is a chain of steps from one thing to another.
type Path []Step

// PathSearch bounds a search for shortest paths.
type PathSearch struct {
	MaxDepth int // the longest path looked for, in steps
	Limit    int // how many shortest paths to return at most
	// MaxVisited stops the search once it has seen this many things, so a
	// graph with hubs (a platform every song is on) cannot make it run away.
	MaxVisited int
	// Next returns the steps out of the given things, and whether it left
	// some out.
	Next func(ctx context.Context, from []int64) ([]Step, bool, error)
}

// PathResult is what a search found.
type PathResult struct {
	Paths []Path
	// Exhausted is true when the search stopped at MaxVisited, or Next left
	// steps out: a missing or longer path is then not proof that no shorter
	// one exists.
	Exhausted bool
}

// side is one direction of a bidirectional breadth-first search.
type side struct {
	depth    map[int64]int
	parents  map[int64][]Step
	frontier []int64
	level    int
	cut      bool
}

func newSide(start int64) *side {
	return &side{depth: map[int64]int{start: 0}, parents: map[int64][]Step{}, frontier: []int64{start}}
}

// expand visits the next layer, recording every shortest way into each new
// thing, and returns that layer.
func (s *side) expand(ctx context.Context, next func(context.Context, []int64) ([]Step, bool, error)) ([]int64, error) {
	steps, cut, err := next(ctx, s.frontier)
	if err != nil {
		return nil, err
	}
	s.cut = s.cut || cut
	s.level++
	var layer []int64
	for _, st := range steps {
		d, seen := s.depth[st.To]
		switch {
		case !seen:
			s.depth[st.To] = s.level
			layer = append(layer, st.To)
			s.parents[st.To] = append(s.parents[st.To], st)
		case d == s.level && !slices.Contains(s.parents[st.To], st):
			s.parents[st.To] = append(s.parents[st.To], st)
		}
	}
	s.frontier = layer
	return layer, nil
}

// ShortestPaths finds the shortest chains of facts from one thing to another
// with a breadth-first search from both ends, expanding the smaller frontier
// each round. It returns up to Limit paths of the shortest length found
// within MaxDepth, none when nothing links the two so closely.
func ShortestPaths(ctx context.Context, from, to int64, p PathSearch) (PathResult, error) {
	if from == to {
		return PathResult{Paths: []Path{{}}}, nil
	}
	fwd, bwd := newSide(from), newSide(to)
	for fwd.level+bwd.level < p.MaxDepth {
		grow, other := fwd, bwd
		if len(bwd.frontier) < len(fwd.frontier) {
			grow, other = bwd, fwd
		}
		layer, err := grow.expand(ctx, p.Next)
		if err != nil {
			return PathResult{}, err
		}
		best := -1
		var meets []int64
		for _, t := range layer {
			if d, ok := other.depth[t]; ok {
				switch total := grow.level + d; {
				case best < 0 || total < best:
					best, meets = total, []int64{t}
				case total == best:
					meets = append(meets, t)
				}
			}
		}
		if best >= 0 {
			slices.Sort(meets)
			var paths []Path
			for _, m := range meets {
				paths = appendPaths(paths, fwd, bwd, from, to, m, p.Limit)
			}
			return PathResult{Paths: paths, Exhausted: fwd.cut || bwd.cut}, nil
		}
		if len(layer) == 0 {
			return PathResult{Exhausted: fwd.cut || bwd.cut}, nil
		}
		if len(fwd.depth)+len(bwd.depth) > p.MaxVisited {
			return PathResult{Exhausted: true}, nil
		}
	}
	return PathResult{Exhausted: fwd.cut || bwd.cut}, nil
}

// appendPaths adds the paths through the meeting thing m, up to limit.
func appendPaths(paths []Path, fwd, bwd *side, from, to, m int64, limit int) []Path {
	heads := walkBack(fwd, from, m, limit)
	tails := walkBack(bwd, to, m, limit)
	for _, h := range heads {
		for _, t := range tails {
			if len(paths) >= limit {
				return paths
			}
			path := slices.Clone(h)
			for i := len(t) - 1; i >= 0; i-- {
				path = append(path, t[i].Reverse())
			}
			paths = append(paths, path)
		}
	}
	return paths
}

// walkBack lists up to limit paths from start to node through the recorded
// parents, each from start outwards.
func walkBack(s *side, start, node int64, limit int) []Path {
	if node == start {
		return []Path{{}}
	}
	var out []Path
	for _, st := range s.parents[node] {
		for _, prefix := range walkBack(s, start, st.From, limit-len(out)) {
			out = append(out, append(prefix, st))
			if len(out) >= limit {
				return out
			}
		}
	}
	return out
}
