package domain

import (
	"cmp"
	"slices"
	"sort"
)

// Contender is one entry of a ranking: an ID and the value it is ranked by,
// as a range when partial dates leave it open.
type Contender struct {
	ID    int64
	Value Range
}

// Placed is a contender with its place.
type Placed struct {
	Contender
	// Rank counts from 1; tied contenders share a rank and the next rank
	// skips ("1, 2, 2, 4").
	Rank int
	// Tied reports that another contender has exactly the same value.
	Tied bool
	// Certain reports that no other contender's range overlaps this one, so
	// no more precise date could change the order around it.
	Certain bool
}

// RankAscending places contenders from the smallest value (the fastest to a
// milestone, the best chart peak) by the middle of each range, then its low
// end, then ID for a stable order.
func RankAscending(cs []Contender) []Placed {
	sorted := slices.Clone(cs)
	slices.SortFunc(sorted, func(a, b Contender) int {
		return cmp.Or(cmp.Compare(a.Value.Min+a.Value.Max, b.Value.Min+b.Value.Max), cmp.Compare(a.Value.Min, b.Value.Min), cmp.Compare(a.ID, b.ID))
	})
	return place(sorted)
}

// RankDescending places contenders from the largest value (the most weeks on
// a chart, the most awards).
func RankDescending(cs []Contender) []Placed {
	sorted := slices.Clone(cs)
	slices.SortFunc(sorted, func(a, b Contender) int {
		return cmp.Or(cmp.Compare(b.Value.Min+b.Value.Max, a.Value.Min+a.Value.Max), cmp.Compare(b.Value.Max, a.Value.Max), cmp.Compare(a.ID, b.ID))
	})
	return place(sorted)
}

func place(sorted []Contender) []Placed {
	out := make([]Placed, len(sorted))
	for i, c := range sorted {
		out[i] = Placed{Contender: c, Rank: i + 1}
		if i > 0 && c.Value == sorted[i-1].Value {
			out[i].Rank = out[i-1].Rank
			out[i].Tied, out[i-1].Tied = true, true
		}
	}
	overlapped := overlapping(sorted)
	for i := range out {
		out[i].Certain = !overlapped[out[i].Value]
	}
	return out
}

// overlapping finds the ranges that overlap another, different range, in
// O(n log n): ties are not overlaps, they are ties.
func overlapping(cs []Contender) map[Range]bool {
	seen := map[Range]bool{}
	var vals []Range
	for _, c := range cs {
		if !seen[c.Value] {
			seen[c.Value] = true
			vals = append(vals, c.Value)
		}
	}
	slices.SortFunc(vals, func(a, b Range) int { return cmp.Or(cmp.Compare(a.Min, b.Min), cmp.Compare(a.Max, b.Max)) })
	// best[k] and second[k]: the indexes of the two largest Max among vals[:k+1].
	best, second := make([]int, len(vals)), make([]int, len(vals))
	for k := range vals {
		best[k], second[k] = k, -1
		if k > 0 {
			b, s := best[k-1], second[k-1]
			switch {
			case vals[k].Max >= vals[b].Max:
				best[k], second[k] = k, b
			case s < 0 || vals[k].Max >= vals[s].Max:
				best[k], second[k] = b, k
			default:
				best[k], second[k] = b, s
			}
		}
	}
	out := map[Range]bool{}
	for i, v := range vals {
		// Every range starting no later than v ends could overlap it.
		k := sort.Search(len(vals), func(j int) bool { return vals[j].Min > v.Max }) - 1
		other := best[k]
		if other == i {
			other = second[k]
		}
		out[v] = other >= 0 && vals[other].Max >= v.Min
	}
	return out
}
