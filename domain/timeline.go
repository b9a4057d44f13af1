package domain

import (
	"cmp"
	"slices"
)

// The kinds of timeline entries, in the order entries of one date are shown.
var TimelineKinds = []string{"birth", "formed", "debut", "joined", "release", "chart_entry", "performance", "award", "milestone", "record", "event", "left", "disbanded", "death", "hiatus", "return"}

// TimelineEntry is one dated fact in a career.
type TimelineEntry struct {
	Date Date
	Kind string
	// FactID is the fact dated, 0 for an attribute (a birth date).
	FactID int64
	// ActID is who the entry is about; 0 when no act is (a release on "on
	// this day").
	ActID int64
	// SubjectID is the other thing: the group joined, the work released, the
	// event played, the award given.
	SubjectID int64
	// ViaID is the member through whom a group's timeline has this entry.
	ViaID int64
}

// CompareTimelineEntries orders entries for a timeline.
func CompareTimelineEntries(a, b TimelineEntry) int {
	return cmp.Or(
		compareDates(a.Date, b.Date),
		cmp.Compare(slices.Index(TimelineKinds, a.Kind), slices.Index(TimelineKinds, b.Kind)),
		cmp.Compare(a.FactID, b.FactID), cmp.Compare(a.ActID, b.ActID), cmp.Compare(a.SubjectID, b.SubjectID))
}

// Overlaps reports whether d may fall between from and to (either may be
// unset), honouring the precision of all three.
func (d Date) Overlaps(from, to Date) bool {
	return (from.IsZero() || !d.Before(from)) && (to.IsZero() || !to.Before(d))
}

// compareDates orders dates as their strings sort ("2013" before "2013-01"
// before "2013-01-05" before "2013-02"), without making the strings: a
// prolific act's timeline sorts over a hundred thousand entries.
func compareDates(a, b Date) int {
	return cmp.Or(cmp.Compare(a.Year, b.Year), cmp.Compare(a.Month, b.Month), cmp.Compare(a.Day, b.Day))
}
