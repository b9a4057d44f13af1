// Package domain holds artistgraph's model of music careers: the things
// (artists, groups, songs, ...), the facts that link them (memberships,
// credits, ...), partial dates, the fixture document that describes them and
// the rules that keep them consistent; the registry of kinds (kinds.go)
// declares each kind once, and store.go the interfaces of a store, by role.
// It knows nothing of SQL or HTTP.
package domain

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Kind names a type of node. It is the GraphQL type name and the first part
// of a global ID.
type Kind string

// The kinds of things.
const (
	KindArtist   Kind = "Artist"
	KindGroup    Kind = "Group"
	KindSong     Kind = "Song"
	KindAlbum    Kind = "Album"
	KindAward    Kind = "Award"
	KindEvent    Kind = "Event"
	KindChart    Kind = "Chart"
	KindPlatform Kind = "Platform"
	KindSource   Kind = "Source"
)

// The kinds of facts.
const (
	KindMembership  Kind = "Membership"
	KindCredit      Kind = "Credit"
	KindTrack       Kind = "Track"
	KindAwardResult Kind = "AwardResult"
	KindPerformance Kind = "Performance"
	KindChartRun    Kind = "ChartRun"
	KindMilestone   Kind = "Milestone"
	KindRecord      Kind = "Record"
)

// GlobalID returns the opaque Relay ID of a node.
func GlobalID(k Kind, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(string(k) + ":" + strconv.FormatInt(id, 10)))
}

// ParseGlobalID reverses GlobalID.
func ParseGlobalID(s string) (Kind, int64, error) {
	bad := Errorf(EINVALID, "%q is not an artistgraph ID", s)
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return "", 0, bad
	}
	kind, num, ok := strings.Cut(string(raw), ":")
	id, err := strconv.ParseInt(num, 10, 64)
	if !ok || err != nil || id <= 0 || !(Kind(kind).IsThing() || Kind(kind).IsFact()) {
		return "", 0, bad
	}
	return Kind(kind), id, nil
}

// Name is one of the names a thing goes by.
type Name struct {
	Value  string
	Locale string
	Kind   string
}

// Thing is what every thing has: an ID, a slug and names.
type Thing struct {
	ID          int64
	Kind        Kind
	Revision    int
	Slug        string
	Name        string
	Description Text
	Note        Text
	// LocalNames is the name the thing goes by in each locale it has a
	// name in, as the JSON LocalNames writes, kept with the thing so that
	// NameIn needs no read of its own.
	LocalNames string
	// IDs holds its external identifiers, as IdentifiersJSON writes them.
	IDs string
}

// Artist is a person who makes music.
type Artist struct {
	Thing
	BirthDate   Date
	DeathDate   Date
	BirthPlace  Text
	Country     Text
	Occupations []string
	Education   []Education
}

// AliveOn reports whether the artist may have been alive on a date: a
// death date, once given, ends memberships and ages.
func (a *Artist) AliveOn(day Date) bool {
	return a.DeathDate.IsZero() || !a.DeathDate.Before(day)
}

// AgeOn is the artist's age on a day, which stops at death; false when the
// birth date is unknown.
func (a *Artist) AgeOn(day Date) (Range, bool) {
	if a.BirthDate.IsZero() || day.IsZero() {
		return Range{}, false
	}
	if !a.DeathDate.IsZero() && a.DeathDate.Before(day) {
		day = a.DeathDate
	}
	return AgeAt(a.BirthDate, day), true
}

// Education is a school an artist attended.
type Education struct {
	Institution string `json:"institution"`
	Level       Text   `json:"level,omitempty"`
	Start       Date   `json:"start,omitzero"`
	End         Date   `json:"end,omitzero"`
	Note        Text   `json:"note,omitempty"`
}

// Group is a band or idol group.
type Group struct {
	Thing
	Formed    Date
	Debuted   Date
	Disbanded Date
	Country   Text
	// FormedOnID is the event the group was formed on (a TV show), 0
	// when none; FormedOn is its slug.
	FormedOnID int64
	FormedOn   string
	// Hiatuses are its periods of inactivity, in order: it keeps its
	// members, unlike a group that disbanded.
	Hiatuses []Period
}

// Period is a span of time; an open End means it has not ended.
type Period struct {
	Start Date `json:"start"`
	End   Date `json:"end,omitzero"`
}

// HiatusOn returns the group's hiatus that may hold a date (partial dates
// may leave it open), nil when none does.
func (g *Group) HiatusOn(date Date) *Period {
	for i, h := range g.Hiatuses {
		if date.Overlaps(h.Start, h.End) {
			return &g.Hiatuses[i]
		}
	}
	return nil
}

// Song is a recorded song.
type Song struct {
	Thing
	Released        Date
	DurationSeconds int
}

// Album is a release: a studio album, single album, EP or single.
type Album struct {
	Thing
	AlbumKind string
	Released  Date
}

// Award is an award or honour and who presents it.
type Award struct {
	Thing
	Presenter Text
	Country   Text
}

// Event is a dated happening where acts perform: a ceremony, a broadcast, a
// concert.
type Event struct {
	Thing
	// Edition is the number of a recurring event's edition (65 for the
	// 65th Annual Grammy Awards), 0 when not numbered.
	Edition     int
	EventKind   string
	Start, End  Date
	Venue       Text
	City        Text
	Country     Text
	Organiser   Text
	Broadcaster Text
}

// Numbered is the event's edition number, nil when it has none.
func (e *Event) Numbered() *int {
	if e.Edition == 0 {
		return nil
	}
	return &e.Edition
}

// Chart is a ranked chart such as the Billboard Hot 100.
type Chart struct {
	Thing
	Publisher Text
	Region    Text
	Measures  Text
}

// Platform is a streaming service or store such as Spotify or iTunes.
type Platform struct {
	Thing
	PlatformKind string
	Owner        Text
}

// Source is where facts come from: an article, a web page, a database.
type Source struct {
	Thing
	Publisher Text
	Author    Text
	Published Date
	URL       Text
}

// Fact is what every fact has.
type Fact struct {
	ID       int64
	Kind     Kind
	Revision int
	Note     Text
	// Support is how its sources support it ("" when they state it).
	Support Support
}

// Membership is an artist's time in a group.
type Membership struct {
	Fact
	ArtistID, GroupID int64
	Roles             []string
	Start, End        Date
}

// Credit is an act's part in a work.
type Credit struct {
	Fact
	WorkID, ActID int64
	Role          string
	Position      int
	JoinPhrase    string
	CreditedAs    string
}

// Track places a song on an album.
type Track struct {
	Fact
	AlbumID, SongID int64
	Disc, Position  int
	Relations       []string
}

// AwardResult is a win or a nomination.
type AwardResult struct {
	Fact
	AwardID      int64
	Date         Date
	Category     Text
	Result       string
	WorkID       int64
	RecipientIDs []int64
	// CeremonyID is the event where the result was given, 0 when not
	// known.
	CeremonyID int64
}

// Performance is acts performing songs at an event.
type Performance struct {
	Fact
	EventID      int64
	Date         Date
	PerformerIDs []int64
	SetList      []SetListEntry
}

// SetListEntry is one song performed.
type SetListEntry struct {
	SongID int64  `json:"song"`
	Note   string `json:"note,omitempty"`
}

// Quantity is a count a source may give only as a bound ("more than fifteen").
type Quantity struct {
	Value int64  `json:"value"`
	Bound string `json:"bound,omitempty"`
}

// ChartRun is a work's time on a chart.
type ChartRun struct {
	Fact
	ChartID, WorkID int64
	Entered         Date
	Peak            int
	PeakDate        Date
	Weeks           *Quantity
	// WeeksAtPeak is how many weeks of the run it held its peak (weeks
	// at number one for a peak of 1).
	WeeksAtPeak *Quantity
	AsOf        Date
}

// RunNumber is which of a work's runs on a chart a run is, by entry date,
// from 1: a run after the first is a re-entry. runs are the work's runs on
// any chart.
func RunNumber(run *ChartRun, runs []*ChartRun) int {
	n := 1
	for _, other := range runs {
		if other.ChartID != run.ChartID || other.ID == run.ID {
			continue
		}
		if c := other.Entered.Earliest().Compare(run.Entered.Earliest()); c < 0 || c == 0 && other.ID < run.ID {
			n++
		}
	}
	return n
}

// Milestone is a work passing a threshold on a platform.
type Milestone struct {
	Fact
	WorkID, PlatformID int64
	Metric             string
	Threshold          int64
	Reached            Date
}

// Record is a claim a source makes about one or more things ("third fastest
// song to 1.4 billion Spotify streams"). A ranking claim also names what it
// ranks, so that the graph can check it against the milestones it holds.
type Record struct {
	Fact
	Claim      string
	Date       Date
	SubjectIDs []int64
	Ranking    *Ranking
}

// Ranking is the checkable part of a record: the subject's rank among works
// by days from release to a milestone.
type Ranking struct {
	PlatformID int64  `json:"platform"`
	Metric     string `json:"metric"`
	Threshold  int64  `json:"threshold"`
	Rank       int    `json:"rank"`
}

// NodeKind returns the thing's kind.
func (t Thing) NodeKind() Kind { return t.Kind }

// NodeRevision is the thing's revision.
func (t Thing) NodeRevision() int { return t.Revision }

// NodeKind returns the fact's kind.
func (f Fact) NodeKind() Kind { return f.Kind }

// GlobalID is the fact's ID in the API.
func (f *Fact) GlobalID() string { return GlobalID(f.Kind, f.ID) }

// NodeID is the fact's ID.
func (f *Fact) NodeID() int64 { return f.ID }

// NodeRevision is the fact's revision.
func (f Fact) NodeRevision() int { return f.Revision }

// Node is any thing or fact.
type Node interface {
	NodeID() int64
	NodeKind() Kind
	// NodeRevision counts the changes made to the node: 1 as created or
	// loaded, one more for each edit.
	NodeRevision() int
}

// AnyThing is any of the things (artist, group, song, ...).
type AnyThing interface {
	Node
	NodeName() string
	ThingFields() *Thing
}

// AnyFact is any of the facts (membership, credit, ...).
type AnyFact interface {
	Node
	isFact()
	FactFields() *Fact
}

// Act is an artist or a group.
type Act interface {
	AnyThing
	act()
}

// Work is a song or an album.
type Work interface {
	AnyThing
	work()
}

func (*Fact) isFact() {}
func (*Artist) act()  {}
func (*Group) act()   {}
func (*Song) work()   {}
func (*Album) work()  {}

// NodeName returns the thing's primary name.
func (t *Thing) NodeName() string { return t.Name }

// FactFields returns what every fact has.
func (f *Fact) FactFields() *Fact { return f }

// ThingFields returns what every thing has.
func (t *Thing) ThingFields() *Thing { return t }

// NodeID returns the thing's ID.
func (t *Thing) NodeID() int64 { return t.ID }

// GlobalID is the thing's ID in the API.
func (t *Thing) GlobalID() string { return GlobalID(t.Kind, t.ID) }

// Positive is a number that counts from 1 in a fixture or an edit: a chart
// position, a length in seconds. Zero stands for "unknown" in the model, so
// a zero (or less) that a file or an edit states is refused rather than
// quietly read as unknown; null clears it.
type Positive int

// UnmarshalJSON refuses numbers under 1.
func (p *Positive) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*p = 0
		return nil
	}
	var n int
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("must be a whole number: %s", b)
	}
	if n < 1 {
		return fmt.Errorf("must be at least 1 (%d given); leave it out, or null, when unknown", n)
	}
	*p = Positive(n)
	return nil
}

// OrNil is the number, or nil when it is unknown (0).
func OrNil(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

// Duration is a song's length in seconds, nil when unknown.
func (s *Song) Duration() *int { return OrNil(s.DurationSeconds) }

// nameKindOrder is which name a thing goes by in a locale where it has
// several: its stage name before its birth name, say.
var nameKindOrder = []string{"primary", "native", "stage", "translation", "alias", "romanized", "birth", "former"}

// LocalNames picks, for each locale a thing has names in, the one it goes
// by there (by nameKindOrder, then position), and writes them as a JSON
// object in locale order, "" when none has a locale. Migration 0013 writes
// the same bytes from stored names.
func LocalNames(names []NameDoc) string {
	best := map[string]NameDoc{}
	for _, n := range names {
		if n.Locale == "" {
			continue
		}
		if b, ok := best[n.Locale]; !ok || nameRank(n.Kind) < nameRank(b.Kind) {
			best[n.Locale] = n
		}
	}
	if len(best) == 0 {
		return ""
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	buf.WriteByte('{')
	for i, locale := range slices.Sorted(maps.Keys(best)) {
		if i > 0 {
			buf.WriteByte(',')
		}
		_ = enc.Encode(locale)
		buf.Truncate(buf.Len() - 1) // Encode ends with a newline
		buf.WriteByte(':')
		_ = enc.Encode(best[locale].Value)
		buf.Truncate(buf.Len() - 1)
	}
	buf.WriteByte('}')
	return buf.String()
}

func nameRank(kind string) int {
	if i := slices.Index(nameKindOrder, kind); i >= 0 {
		return i
	}
	return len(nameKindOrder)
}

// NameIn is the thing's name in a locale: the one written in exactly that
// locale (`ko`, `ko-Latn`), else one in a script of that language (`ko`
// finds `ko-Kore`, never the romanization `ko-Latn`), else the primary
// name. It reads only LocalNames, so it costs no read of the store.
func (t *Thing) NameIn(locale *string) string {
	if locale == nil || *locale == "" || t.LocalNames == "" {
		return t.Name
	}
	var byLocale map[string]string
	if json.Unmarshal([]byte(t.LocalNames), &byLocale) != nil {
		return t.Name
	}
	for have, name := range byLocale {
		if strings.EqualFold(have, *locale) {
			return name
		}
	}
	for _, have := range slices.Sorted(maps.Keys(byLocale)) {
		lang, script, ok := strings.Cut(have, "-")
		if ok && strings.EqualFold(lang, *locale) && !strings.EqualFold(script, "Latn") {
			return byLocale[have]
		}
	}
	return t.Name
}
