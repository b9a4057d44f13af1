package domain

import (
	"strings"
	"testing"
)

// compareDates agrees with the order of the dates' strings, which the
// timeline's cursors carry.
func TestCompareDatesAsStrings(t *testing.T) {
	var dates []Date
	for _, y := range []int{0, 7, 999, 1999, 2013} {
		for _, m := range []int{0, 1, 2, 12} {
			for _, d := range []int{0, 1, 9, 31} {
				if (m == 0 && d != 0) || (y == 0 && (m != 0 || d != 0)) {
					continue
				}
				dates = append(dates, Date{Year: y, Month: m, Day: d})
			}
		}
	}
	for _, a := range dates {
		for _, b := range dates {
			if got, want := compareDates(a, b), strings.Compare(a.String(), b.String()); got != want {
				t.Errorf("compareDates(%q, %q) = %d; the strings compare %d", a, b, got, want)
			}
		}
	}
}
