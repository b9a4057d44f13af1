package domain

import (
	"cmp"
	"slices"
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
		out[i] = Placed{Contender: c, Rank: i + 1, Certain: true}
		if i > 0 && c.Value == sorted[i-1].Value {
			out[i].Rank = out[i-1].Rank
			out[i].Tied, out[i-1].Tied = true, true
		}
		for j, d := range sorted {
			if j != i && c.Value != d.Value && c.Value.Min <= d.Value.Max && d.Value.Min <= c.Value.Max {
				out[i].Certain = false
			}
		}
	}
	return out
}
