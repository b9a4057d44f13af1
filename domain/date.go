package domain

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Precision says how much of a Date a source gave.
type Precision int

const (
	// PrecisionYear is a date known to the year: "2013".
	PrecisionYear Precision = iota + 1
	// PrecisionMonth is a date known to the month: "2024-02".
	PrecisionMonth
	// PrecisionDay is a full calendar day: "2013-06-13".
	PrecisionDay
)

// String returns the GraphQL enum spelling of the precision.
func (p Precision) String() string {
	switch p {
	case PrecisionYear:
		return "YEAR"
	case PrecisionMonth:
		return "MONTH"
	case PrecisionDay:
		return "DAY"
	}
	return "UNKNOWN"
}

// Date is a calendar date known to a year, a month or a day. The zero Date
// means "no date". Its text form ("2013", "2024-02", "2013-06-13") sorts
// correctly as a string: a month-precise date sorts after every day of the
// month before it and before every day of its own month, so the store keeps
// dates as text.
type Date struct {
	Year, Month, Day int
}

// ParseDate reads "YYYY", "YYYY-MM" or "YYYY-MM-DD" and refuses dates that do
// not exist (2023-02-29) and anything else.
func ParseDate(s string) (Date, error) {
	bad := func(why string) (Date, error) {
		return Date{}, fmt.Errorf("%q is not a date: %s", s, why)
	}
	var d Date
	switch len(s) {
	case 4, 7, 10:
	default:
		return bad("want YYYY, YYYY-MM or YYYY-MM-DD")
	}
	num := func(part string) (int, bool) {
		for _, c := range part {
			if c < '0' || c > '9' {
				return 0, false
			}
		}
		n, err := strconv.Atoi(part)
		return n, err == nil
	}
	var ok bool
	if d.Year, ok = num(s[:4]); !ok || d.Year < 1 {
		return bad("the year must be four digits from 0001")
	}
	if len(s) >= 7 {
		if s[4] != '-' {
			return bad("want YYYY, YYYY-MM or YYYY-MM-DD")
		}
		if d.Month, ok = num(s[5:7]); !ok || d.Month < 1 || d.Month > 12 {
			return bad("the month must be 01 to 12")
		}
	}
	if len(s) == 10 {
		if s[7] != '-' {
			return bad("want YYYY, YYYY-MM or YYYY-MM-DD")
		}
		if d.Day, ok = num(s[8:10]); !ok || d.Day < 1 || d.Day > daysIn(d.Year, d.Month) {
			return bad(fmt.Sprintf("%04d-%02d has no day %s", d.Year, d.Month, s[8:10]))
		}
	}
	return d, nil
}

// MustParseDate is ParseDate for constants in tests and examples.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d.Year == 0 }

// Precision reports how much of the date is known.
func (d Date) Precision() Precision {
	switch {
	case d.Day != 0:
		return PrecisionDay
	case d.Month != 0:
		return PrecisionMonth
	default:
		return PrecisionYear
	}
}

// String prints the date at its own precision; the zero Date prints as "".
func (d Date) String() string {
	switch {
	case d.IsZero():
		return ""
	case d.Day != 0:
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	case d.Month != 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	default:
		return fmt.Sprintf("%04d", d.Year)
	}
}

// Earliest is the first day the date can stand for.
func (d Date) Earliest() time.Time {
	m, day := max(d.Month, 1), max(d.Day, 1)
	return time.Date(d.Year, time.Month(m), day, 0, 0, 0, 0, time.UTC)
}

// Latest is the last day the date can stand for.
func (d Date) Latest() time.Time {
	switch d.Precision() {
	case PrecisionYear:
		return time.Date(d.Year, 12, 31, 0, 0, 0, 0, time.UTC)
	case PrecisionMonth:
		return time.Date(d.Year, time.Month(d.Month), daysIn(d.Year, d.Month), 0, 0, 0, 0, time.UTC)
	}
	return d.Earliest()
}

// Before reports whether d certainly lies before e: every day d can stand for
// comes before every day e can stand for. "2023-07" is not before "2023-07-14".
func (d Date) Before(e Date) bool { return d.Latest().Before(e.Earliest()) }

// Covers reports whether every day e can stand for is one d can stand for:
// "2010" covers "2010-07-23", and every date covers itself.
func (d Date) Covers(e Date) bool {
	return !d.IsZero() && !e.IsZero() && !e.Earliest().Before(d.Earliest()) && !e.Latest().After(d.Latest())
}

// DateFromTime returns the day of t.
func DateFromTime(t time.Time) Date {
	return Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
}

// Range is a whole number known to lie between Min and Max, as a duration or
// an age computed from partial dates is.
type Range struct {
	Min, Max int
}

// Exact reports whether the partial dates pinned the number down.
func (r Range) Exact() bool { return r.Min == r.Max }

// String prints "15" or "15–16".
func (r Range) String() string {
	if r.Exact() {
		return strconv.Itoa(r.Min)
	}
	return fmt.Sprintf("%d–%d", r.Min, r.Max)
}

// DaysBetween is the number of days from start to end, as a range when either
// date is partial.
func DaysBetween(start, end Date) Range {
	days := func(a, b time.Time) int { return int(b.Sub(a).Hours() / 24) }
	return Range{Min: max(0, days(start.Latest(), end.Earliest())), Max: days(start.Earliest(), end.Latest())}
}

// AgeAt is how old someone born on birth was on day, in whole years, as a
// range when either date is partial.
func AgeAt(birth, day Date) Range {
	years := func(b, d time.Time) int {
		y := d.Year() - b.Year()
		if d.Month() < b.Month() || (d.Month() == b.Month() && d.Day() < b.Day()) {
			y--
		}
		return y
	}
	return Range{Min: max(0, years(birth.Latest(), day.Earliest())), Max: years(birth.Earliest(), day.Latest())}
}

// MarshalJSON writes the date as a JSON string, or null when unset.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads a date string.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a date must be a string such as \"2013\", \"2024-02\" or \"2013-06-13\"")
	}
	parsed, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

// MarshalGQL writes the PartialDate scalar; an unset date is null.
func (d Date) MarshalGQL(w io.Writer) {
	if d.IsZero() {
		_, _ = io.WriteString(w, "null")
		return
	}
	_, _ = io.WriteString(w, strconv.Quote(d.String()))
}

// UnmarshalGQL reads the PartialDate scalar.
func (d *Date) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return Errorf(EINVALID, "a PartialDate is a string such as \"2013\", \"2024-02\" or \"2013-06-13\"")
	}
	parsed, err := ParseDate(s)
	if err != nil {
		return Errorf(EINVALID, "%v", err)
	}
	*d = parsed
	return nil
}
