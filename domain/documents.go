package domain

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Stored nodes written back as fixture documents, for export and for the
// drafts edits start from. Each kind's conversion and the order of a held
// list are declared with the kind (see kindSpecs); a store reads the nodes
// and the slugs they refer to (Refs), and these functions do the rest.

// Refs names the things a document refers to.
type Refs interface {
	// Ref is the kind and slug of a thing.
	Ref(id int64) (Kind, string)
}

func slugOf(r Refs, id int64) string {
	_, slug := r.Ref(id)
	return slug
}

func slugsOf(r Refs, ids []int64) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = slugOf(r, id)
	}
	return out
}

func workOf(r Refs, id int64) WorkRef {
	if kind, slug := r.Ref(id); kind == KindAlbum {
		return WorkRef{Album: slug}
	}
	return WorkRef{Song: slugOf(r, id)}
}

// ThingDocOf writes a stored thing as its fixture document, without the
// facts it holds, around base: its slug, names, description, note and
// sources.
func ThingDocOf(t AnyThing, base ThingDoc) (any, error) {
	s, ok := SpecOf(t.NodeKind())
	if !ok || s.thingDoc == nil {
		return nil, fmt.Errorf("no document for a %s", t.NodeKind())
	}
	return s.thingDoc(t, base), nil
}

// FactDocOf writes a stored fact as its fixture document (a pointer),
// around base: its note and sources. holder is the thing the fact is
// written in, nil for a fact with a section of its own.
func FactDocOf(f Node, base FactDoc, r Refs, holder Node) (any, error) {
	s, ok := SpecOf(f.NodeKind())
	if !ok || s.factDoc == nil {
		return nil, fmt.Errorf("no document for a %s", f.NodeKind())
	}
	return s.factDoc(f, base, r, holder), nil
}

// HolderID is the thing a held fact is written in (a membership's group, a
// credit's work); 0 for a fact with a section of its own.
func HolderID(f Node) int64 {
	s, ok := SpecOf(f.NodeKind())
	if !ok || s.holderID == nil {
		return 0
	}
	return s.holderID(f)
}

// HoldAll sets a thing's document's list of facts of one kind to docs (as
// FactDocOf writes them), in the kind's order.
func HoldAll(holder any, kind Kind, docs []any) error {
	f, _ := SpecOf(kind)
	h, _ := SpecOfItem(holder)
	index, ok := heldIndex(h.Kind, kind)
	if !ok {
		return fmt.Errorf("a %s is not held by a %T", kind, holder)
	}
	if f.order != nil {
		slices.SortStableFunc(docs, f.order)
	}
	list := reflect.ValueOf(holder).Elem().FieldByIndex(index)
	out := reflect.MakeSlice(list.Type(), 0, len(docs))
	for _, d := range docs {
		out = reflect.Append(out, reflect.ValueOf(d).Elem())
	}
	if len(docs) == 0 {
		out = reflect.Zero(list.Type())
	}
	list.Set(out)
	return nil
}

func sourceDoc(t *Source, d ThingDoc) *SourceDoc {
	return &SourceDoc{ThingDoc: d, Publisher: string(t.Publisher), Author: string(t.Author), Published: t.Published, URL: string(t.URL)}
}

func artistDoc(t *Artist, d ThingDoc) *ArtistDoc {
	return &ArtistDoc{ThingDoc: d, BirthDate: t.BirthDate, DeathDate: t.DeathDate, BirthPlace: string(t.BirthPlace), Country: string(t.Country), Occupations: t.Occupations, Education: t.Education}
}

func groupDoc(t *Group, d ThingDoc) *GroupDoc {
	return &GroupDoc{ThingDoc: d, Formed: t.Formed, Debuted: t.Debuted, Disbanded: t.Disbanded, Country: string(t.Country),
		FormedOn: t.FormedOn, Hiatuses: t.Hiatuses}
}

func songDoc(t *Song, d ThingDoc) *SongDoc {
	return &SongDoc{ThingDoc: d, Released: t.Released, DurationSeconds: Positive(t.DurationSeconds)}
}

func albumDoc(t *Album, d ThingDoc) *AlbumDoc {
	return &AlbumDoc{ThingDoc: d, Kind: t.AlbumKind, Released: t.Released}
}

func awardDoc(t *Award, d ThingDoc) *AwardDoc {
	return &AwardDoc{ThingDoc: d, Presenter: string(t.Presenter), Country: string(t.Country)}
}

func eventDoc(t *Event, d ThingDoc) *EventDoc {
	return &EventDoc{ThingDoc: d, Kind: t.EventKind, Edition: Positive(t.Edition), Start: t.Start, End: t.End, Venue: string(t.Venue), City: string(t.City),
		Country: string(t.Country), Organiser: string(t.Organiser), Broadcaster: string(t.Broadcaster)}
}

func chartDoc(t *Chart, d ThingDoc) *ChartDoc {
	return &ChartDoc{ThingDoc: d, Publisher: string(t.Publisher), Region: string(t.Region), Measures: string(t.Measures)}
}

func platformDoc(t *Platform, d ThingDoc) *PlatformDoc {
	return &PlatformDoc{ThingDoc: d, Kind: t.PlatformKind, Owner: string(t.Owner)}
}

func membershipDoc(m *Membership, f FactDoc, r Refs, _ Node) *MembershipDoc {
	return &MembershipDoc{FactDoc: f, Artist: slugOf(r, m.ArtistID), Roles: m.Roles, Start: m.Start, End: m.End}
}

func membershipOrder(a, b *MembershipDoc) int {
	return cmp.Or(strings.Compare(a.Start.String(), b.Start.String()), strings.Compare(a.Artist, b.Artist))
}

func creditDoc(c *Credit, f FactDoc, r Refs, _ Node) *CreditDoc {
	return &CreditDoc{FactDoc: f, Act: slugOf(r, c.ActID), Role: c.Role, JoinPhrase: c.JoinPhrase, CreditedAs: c.CreditedAs}
}

func trackDoc(t *Track, f FactDoc, r Refs, _ Node) *TrackDoc {
	disc := t.Disc
	if disc == 1 {
		disc = 0
	}
	return &TrackDoc{FactDoc: f, Song: slugOf(r, t.SongID), Disc: disc, Position: t.Position, Relations: t.Relations}
}

// trackOrder is a track list: by disc, then placed tracks by position,
// then unplaced ones by song.
func trackOrder(a, b *TrackDoc) int {
	unplaced := func(position int) int {
		if position == 0 {
			return 1
		}
		return 0
	}
	return cmp.Or(cmp.Compare(a.Disc, b.Disc), cmp.Compare(unplaced(a.Position), unplaced(b.Position)), cmp.Compare(a.Position, b.Position), strings.Compare(a.Song, b.Song))
}

func awardResultDoc(a *AwardResult, f FactDoc, r Refs, _ Node) *AwardResultDoc {
	d := &AwardResultDoc{FactDoc: f, Date: a.Date, Category: string(a.Category), Result: a.Result, Recipients: slugsOf(r, a.RecipientIDs)}
	if a.CeremonyID != 0 {
		d.Ceremony = slugOf(r, a.CeremonyID)
	}
	if a.WorkID != 0 {
		w := workOf(r, a.WorkID)
		d.Work = &w
	}
	return d
}

func awardResultOrder(a, b *AwardResultDoc) int {
	return cmp.Or(strings.Compare(a.Date.String(), b.Date.String()), strings.Compare(a.Category, b.Category),
		strings.Compare(strings.Join(a.Recipients, ","), strings.Join(b.Recipients, ",")), strings.Compare(fmt.Sprint(a.Work), fmt.Sprint(b.Work)))
}

// performanceDoc leaves out a date that is its event's start.
func performanceDoc(p *Performance, f FactDoc, r Refs, holder Node) *PerformanceDoc {
	d := &PerformanceDoc{FactDoc: f, Performers: slugsOf(r, p.PerformerIDs)}
	if e, ok := holder.(*Event); !ok || p.Date != e.Start {
		d.Date = p.Date
	}
	for _, e := range p.SetList {
		d.SetList = append(d.SetList, SetListDoc{Song: slugOf(r, e.SongID), Note: e.Note})
	}
	return d
}

func performanceOrder(a, b *PerformanceDoc) int {
	return cmp.Or(strings.Compare(a.Date.String(), b.Date.String()), strings.Compare(strings.Join(a.Performers, ","), strings.Join(b.Performers, ",")))
}

func chartRunDoc(c *ChartRun, f FactDoc, r Refs, _ Node) *ChartRunDoc {
	return &ChartRunDoc{FactDoc: f, WorkRef: workOf(r, c.WorkID), Chart: slugOf(r, c.ChartID), Entered: c.Entered,
		Peak: Positive(c.Peak), PeakDate: c.PeakDate, Weeks: c.Weeks, WeeksAtPeak: c.WeeksAtPeak, AsOf: c.AsOf}
}

func milestoneDoc(m *Milestone, f FactDoc, r Refs, _ Node) *MilestoneDoc {
	return &MilestoneDoc{FactDoc: f, WorkRef: workOf(r, m.WorkID), Platform: slugOf(r, m.PlatformID), Metric: m.Metric, Threshold: m.Threshold, Reached: m.Reached}
}

func recordDoc(rec *Record, f FactDoc, r Refs, _ Node) *RecordDoc {
	doc := &RecordDoc{FactDoc: f, Claim: rec.Claim, Date: rec.Date}
	for _, s := range rec.SubjectIDs {
		kind, slug := r.Ref(s)
		doc.Subjects = append(doc.Subjects, strings.ToLower(string(kind))+":"+slug)
	}
	if rk := rec.Ranking; rk != nil {
		doc.Ranking = &RankingDoc{Platform: slugOf(r, rk.PlatformID), Metric: rk.Metric, Threshold: rk.Threshold, Rank: rk.Rank}
	}
	return doc
}
