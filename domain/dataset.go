package domain

import (
	"encoding/json"
	"reflect"
)

// Dataset is the fixture document: things and facts written by hand,
// referring to one another by slug. One document may hold any kinds; several
// documents load together as one Dataset. The JSON names here are the
// fixture format documented in seed/README.md and seed/fixture.schema.json.
type Dataset struct {
	Schema     string         `json:"$schema,omitempty"`
	Sources    []SourceDoc    `json:"sources,omitempty"`
	Artists    []ArtistDoc    `json:"artists,omitempty"`
	Groups     []GroupDoc     `json:"groups,omitempty"`
	Songs      []SongDoc      `json:"songs,omitempty"`
	Albums     []AlbumDoc     `json:"albums,omitempty"`
	Awards     []AwardDoc     `json:"awards,omitempty"`
	Events     []EventDoc     `json:"events,omitempty"`
	Charts     []ChartDoc     `json:"charts,omitempty"`
	Platforms  []PlatformDoc  `json:"platforms,omitempty"`
	Labels     []LabelDoc     `json:"labels,omitempty"`
	ChartRuns  []ChartRunDoc  `json:"chartRuns,omitempty"`
	Milestones []MilestoneDoc `json:"milestones,omitempty"`
	Records    []RecordDoc    `json:"records,omitempty"`

	// Facts written apart from the thing that holds them, naming it by
	// slug (see KindSpec.Apart).
	Memberships   []MembershipDoc   `json:"memberships,omitempty"`
	Credits       []CreditDoc       `json:"credits,omitempty"`
	Tracks        []TrackDoc        `json:"tracks,omitempty"`
	AwardResults  []AwardResultDoc  `json:"awardResults,omitempty"`
	Performances  []PerformanceDoc  `json:"performances,omitempty"`
	Signings      []SigningDoc      `json:"signings,omitempty"`
	LabelReleases []LabelReleaseDoc `json:"labelReleases,omitempty"`
}

// Loc is where a document part came from, for error messages. The fixture
// reader fills it in; it is not part of the JSON.
type Loc struct {
	File string `json:"-"`
	Path string `json:"-"`
}

// At returns the location of a part of this one.
func (l Loc) At(suffix string) Loc { return Loc{File: l.File, Path: l.Path + suffix} }

// NameDoc is a name in a script or language.
type NameDoc struct {
	Value  string `json:"value"`
	Locale string `json:"locale,omitempty"`
	Kind   string `json:"kind,omitempty"`
}

// ThingDoc is what every thing carries.
type ThingDoc struct {
	Loc         `json:"-"`
	Slug        string    `json:"slug"`
	Name        string    `json:"name"`
	Names       []NameDoc `json:"names,omitempty"`
	Description string    `json:"description,omitempty"`
	Note        string    `json:"note,omitempty"`
	Sources     []string  `json:"sources,omitempty"`
	// IDs are its identifiers in the open music databases, by scheme
	// ("mbid", "wikidata", "spotify", "isrc"; see identifierSchemes).
	IDs map[string]string `json:"ids,omitempty"`
	// Replace names the lists this item states in full: loaded onto a
	// stored thing, they replace the stored lists instead of adding to
	// them (see Restate).
	Replace []string `json:"replace,omitempty"`
	// DistinctFrom names the things of the same kind and name that this
	// new thing is not: without it, a new thing named like one already
	// described is refused as a likely mistyped slug.
	DistinctFrom []string `json:"distinctFrom,omitempty"`
	// NamedBy is set on a holder made of a fact written apart (see
	// Standalone): the item names a thing described elsewhere, by the
	// fact's field NamedBy, and describes nothing itself.
	NamedBy string `json:"-"`
	// Stated holds the fields the fixture file wrote for this item, by
	// JSON name, null included; nil for an item not read from a file,
	// which states every field.
	Stated map[string]json.RawMessage `json:"-"`
}

// FactDoc is what every fact carries.
type FactDoc struct {
	Loc     `json:"-"`
	Note    string   `json:"note,omitempty"`
	Sources []string `json:"sources,omitempty"`
	// Support says how the sources support the fact: "stated" (when
	// left out), "estimated" or "inferred".
	Support Support `json:"support,omitempty"`
	// MovedFrom is, for a fact matched by a date (KindSpec.KeyDate), the
	// date it is stored with, when this item moves it to another.
	MovedFrom Date `json:"movedFrom,omitzero"`
}

// WorkRef names a song or an album: exactly one of the two.
type WorkRef struct {
	Song  string `json:"song,omitempty"`
	Album string `json:"album,omitempty"`
}

// SourceDoc describes a source.
type SourceDoc struct {
	ThingDoc
	Publisher string `json:"publisher,omitempty"`
	Author    string `json:"author,omitempty"`
	Published Date   `json:"published,omitzero"`
	URL       string `json:"url,omitempty"`
}

// ArtistDoc describes a person.
type ArtistDoc struct {
	ThingDoc
	BirthDate   Date        `json:"birthDate,omitzero"`
	DeathDate   Date        `json:"deathDate,omitzero"`
	BirthPlace  string      `json:"birthPlace,omitempty"`
	Country     string      `json:"country,omitempty"`
	Occupations []string    `json:"occupations,omitempty"`
	Education   []Education `json:"education,omitempty"`
}

// GroupDoc describes a group and its members over time.
type GroupDoc struct {
	ThingDoc
	Formed    Date            `json:"formed,omitzero"`
	Debuted   Date            `json:"debuted,omitzero"`
	Disbanded Date            `json:"disbanded,omitzero"`
	Country   string          `json:"country,omitempty"`
	FormedOn  string          `json:"formedOn,omitempty"`
	Hiatuses  []Period        `json:"hiatuses,omitempty"`
	Members   []MembershipDoc `json:"members,omitempty"`
}

// MembershipDoc is an artist's time in the group it is written in.
type MembershipDoc struct {
	FactDoc
	Group  string   `json:"group,omitempty"`
	Artist string   `json:"artist"`
	Roles  []string `json:"roles,omitempty"`
	Start  Date     `json:"start,omitzero"`
	End    Date     `json:"end,omitzero"`
}

// CreditDoc is an act's credit on the work it is written in; the order of
// credits in the list is their billing order.
type CreditDoc struct {
	FactDoc
	WorkRef
	Act        string `json:"act"`
	Role       string `json:"role"`
	JoinPhrase string `json:"joinPhrase,omitempty"`
	CreditedAs string `json:"creditedAs,omitempty"`
	// Position is the billing position an edit gives; in fixtures, the
	// order of the list gives it.
	Position int `json:"-"`
}

// SongDoc describes a song and its credits.
type SongDoc struct {
	ThingDoc
	Released        Date        `json:"released,omitzero"`
	DurationSeconds Positive    `json:"durationSeconds,omitempty"`
	Credits         []CreditDoc `json:"credits,omitempty"`
}

// TrackDoc places a song on the album it is written in.
type TrackDoc struct {
	FactDoc
	Album     string   `json:"album,omitempty"`
	Song      string   `json:"song"`
	Disc      int      `json:"disc,omitempty"`
	Position  int      `json:"position,omitempty"`
	Relations []string `json:"relations,omitempty"`
}

// AlbumDoc describes a release, its credits and its track list.
type AlbumDoc struct {
	ThingDoc
	Kind     string      `json:"kind"`
	Released Date        `json:"released,omitzero"`
	Credits  []CreditDoc `json:"credits,omitempty"`
	Tracks   []TrackDoc  `json:"tracks,omitempty"`
}

// AwardResultDoc is a win or nomination of the award it is written in.
type AwardResultDoc struct {
	FactDoc
	Award      string   `json:"award,omitempty"`
	Date       Date     `json:"date"`
	Category   string   `json:"category,omitempty"`
	Result     string   `json:"result"`
	Recipients []string `json:"recipients"`
	Work       *WorkRef `json:"work,omitempty"`
	Ceremony   string   `json:"ceremony,omitempty"`
}

// AwardDoc describes an award and its results.
type AwardDoc struct {
	ThingDoc
	Presenter string           `json:"presenter,omitempty"`
	Country   string           `json:"country,omitempty"`
	Results   []AwardResultDoc `json:"results,omitempty"`
}

// SetListDoc is one song of a set list.
type SetListDoc struct {
	Song string `json:"song"`
	Note string `json:"note,omitempty"`
}

// PerformanceDoc is a performance at the event it is written in.
type PerformanceDoc struct {
	FactDoc
	Event      string       `json:"event,omitempty"`
	Date       Date         `json:"date,omitzero"`
	Performers []string     `json:"performers"`
	SetList    []SetListDoc `json:"setList,omitempty"`
}

// EventDoc describes an event and the performances at it.
type EventDoc struct {
	ThingDoc
	Kind         string           `json:"kind"`
	Edition      Positive         `json:"edition,omitempty"`
	Start        Date             `json:"start"`
	End          Date             `json:"end,omitzero"`
	Venue        string           `json:"venue,omitempty"`
	City         string           `json:"city,omitempty"`
	Country      string           `json:"country,omitempty"`
	Organiser    string           `json:"organiser,omitempty"`
	Broadcaster  string           `json:"broadcaster,omitempty"`
	Performances []PerformanceDoc `json:"performances,omitempty"`
}

// ChartDoc describes a chart.
type ChartDoc struct {
	ThingDoc
	Publisher string `json:"publisher,omitempty"`
	Region    string `json:"region,omitempty"`
	Measures  string `json:"measures,omitempty"`
}

// PlatformDoc describes a platform.
type PlatformDoc struct {
	ThingDoc
	Kind  string `json:"kind"`
	Owner string `json:"owner,omitempty"`
}

// ChartRunDoc is a work's run on a chart.
type ChartRunDoc struct {
	FactDoc
	WorkRef
	Chart       string    `json:"chart"`
	Entered     Date      `json:"entered,omitzero"`
	Peak        Positive  `json:"peak,omitempty"`
	PeakDate    Date      `json:"peakDate,omitzero"`
	Weeks       *Quantity `json:"weeks,omitempty"`
	WeeksAtPeak *Quantity `json:"weeksAtPeak,omitempty"`
	AsOf        Date      `json:"asOf,omitzero"`
}

// MilestoneDoc is a work passing a threshold on a platform.
type MilestoneDoc struct {
	FactDoc
	WorkRef
	Platform  string `json:"platform"`
	Metric    string `json:"metric"`
	Threshold int64  `json:"threshold"`
	Reached   Date   `json:"reached"`
}

// RankingDoc is the checkable part of a ranking record.
type RankingDoc struct {
	Platform  string `json:"platform"`
	Metric    string `json:"metric"`
	Threshold int64  `json:"threshold"`
	Rank      int    `json:"rank"`
}

// RecordDoc is a claim about things, each subject written "kind:slug"
// ("song:seven", "artist:jungkook").
type RecordDoc struct {
	FactDoc
	Claim    string      `json:"claim"`
	Date     Date        `json:"date,omitzero"`
	Subjects []string    `json:"subjects"`
	Ranking  *RankingDoc `json:"ranking,omitempty"`
}

// ThingCount counts the things of the dataset.
func (d *Dataset) ThingCount() int {
	n := 0
	for _, s := range kinds.specs {
		if s.Thing && s.list != nil {
			n += s.list(d).Len()
		}
	}
	return n
}

// FactCount counts the facts of the dataset.
func (d *Dataset) FactCount() int {
	n := 0
	_ = d.Each(func(item any) error {
		if _, t := ItemThing(item); t == nil {
			n++
		} else {
			n += ItemFacts(item)
		}
		return nil
	})
	return n
}

// Add appends an item (a *SourceDoc, *ArtistDoc, ...) to its section of the
// dataset. It refuses a document no section lists (a held fact, or not a
// document at all).
func (d *Dataset) Add(item any) error {
	s, ok := SpecOfItem(item)
	if !ok || s.list == nil {
		return Errorf(EINVALID, "%T is not an item of a fixture section", item)
	}
	list := s.list(d)
	list.Set(reflect.Append(list, reflect.ValueOf(item).Elem()))
	return nil
}
