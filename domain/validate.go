package domain

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// The values each enumerated field takes in fixtures (lower case); GraphQL
// spells them in upper case.
var (
	NameKinds        = []string{"primary", "native", "birth", "romanized", "stage", "alias", "former", "translation"}
	AlbumKinds       = []string{"studio_album", "single_album", "ep", "single", "compilation", "live_album", "soundtrack"}
	CreditRoles      = []string{"primary", "featured", "writer", "composer", "lyricist", "producer", "arranger", "remixer"}
	TrackRelations   = []string{"title_track", "lead_single", "single", "pre_release_single", "bonus_track"}
	AwardOutcomes    = []string{"won", "nominated"}
	EventKinds       = []string{"ceremony", "broadcast", "concert", "festival", "sports", "other"}
	PlatformKinds    = []string{"streaming", "store", "video"}
	QuantityBounds   = []string{"exact", "at_least", "more_than", "about"}
	MilestoneMetrics = []string{"streams", "views", "sales"}
)

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Known is what validation needs to know of a thing: its kind and its key
// date (birth of an artist, formation of a group, release of a work, start
// of an event, publication of a source).
type Known struct {
	Kind Kind
	Date Date
}

// Stored answers what the graph already holds, for references a dataset
// makes to things it does not itself describe.
type Stored interface {
	Known(kind Kind, slug string) (Known, bool, error)
}

// Validate checks a dataset against itself and what is stored, and returns
// every problem found (nil when there are none). Errors from stored are
// returned as they are.
func Validate(ds *Dataset, stored Stored) error {
	v := &validator{stored: stored, things: map[Kind]map[string]Known{}}
	v.indexThings(ds)
	v.checkFacts(ds)
	if v.err != nil {
		return v.err
	}
	return v.problems.Err()
}

type validator struct {
	stored   Stored
	things   map[Kind]map[string]Known
	problems Problems
	err      error
}

func (v *validator) add(l Loc, field, format string, args ...any) {
	v.problems.Add(l.File, l.Path+field, format, args...)
}

func (v *validator) enum(l Loc, field, value string, allowed []string) {
	if !slices.Contains(allowed, value) {
		v.add(l, field, "%q is not one of %s", value, strings.Join(allowed, ", "))
	}
}

func (v *validator) required(l Loc, field, value string) {
	if strings.TrimSpace(value) == "" {
		v.add(l, field, "is required")
	}
}

func (v *validator) requiredDate(l Loc, field string, d Date) {
	if d.IsZero() {
		v.add(l, field, "is required (a date such as \"2013\", \"2024-02\" or \"2013-06-13\")")
	}
}

func (v *validator) order(l Loc, startField string, start Date, endField string, end Date) {
	if !start.IsZero() && !end.IsZero() && end.Before(start) {
		v.add(l, endField, "%s ends before it starts (%s %s)", end, startField, start)
	}
}

func (v *validator) indexThings(ds *Dataset) {
	thing := func(kind Kind, t *ThingDoc, date Date) {
		v.required(t.Loc, ".name", t.Name)
		for i, n := range t.Names {
			l := t.At(fmt.Sprintf(".names[%d]", i))
			v.required(l, ".value", n.Value)
			if n.Kind != "" {
				v.enum(l, ".kind", n.Kind, NameKinds)
			}
		}
		if !slugPattern.MatchString(t.Slug) {
			v.add(t.Loc, ".slug", "%q is not a slug: use lower-case letters and digits joined by single hyphens", t.Slug)
			return
		}
		if v.things[kind] == nil {
			v.things[kind] = map[string]Known{}
		}
		if _, dup := v.things[kind][t.Slug]; dup {
			v.add(t.Loc, ".slug", "%s %q is described twice", strings.ToLower(string(kind)), t.Slug)
			return
		}
		v.things[kind][t.Slug] = Known{Kind: kind, Date: date}
	}
	for i := range ds.Sources {
		s := &ds.Sources[i]
		thing(KindSource, &s.ThingDoc, s.Published)
	}
	for i := range ds.Artists {
		a := &ds.Artists[i]
		thing(KindArtist, &a.ThingDoc, a.BirthDate)
	}
	for i := range ds.Groups {
		g := &ds.Groups[i]
		thing(KindGroup, &g.ThingDoc, firstDate(g.Formed, g.Debuted))
		v.order(g.Loc, "formed", g.Formed, ".debuted", g.Debuted)
		v.order(g.Loc, "formed", firstDate(g.Formed, g.Debuted), ".disbanded", g.Disbanded)
	}
	for i := range ds.Songs {
		thing(KindSong, &ds.Songs[i].ThingDoc, ds.Songs[i].Released)
	}
	for i := range ds.Albums {
		a := &ds.Albums[i]
		thing(KindAlbum, &a.ThingDoc, a.Released)
		v.enum(a.Loc, ".kind", a.Kind, AlbumKinds)
	}
	for i := range ds.Awards {
		thing(KindAward, &ds.Awards[i].ThingDoc, Date{})
	}
	for i := range ds.Events {
		e := &ds.Events[i]
		thing(KindEvent, &e.ThingDoc, e.Start)
		v.enum(e.Loc, ".kind", e.Kind, EventKinds)
		v.requiredDate(e.Loc, ".start", e.Start)
		v.order(e.Loc, "start", e.Start, ".end", e.End)
	}
	for i := range ds.Charts {
		thing(KindChart, &ds.Charts[i].ThingDoc, Date{})
	}
	for i := range ds.Platforms {
		p := &ds.Platforms[i]
		thing(KindPlatform, &p.ThingDoc, Date{})
		v.enum(p.Loc, ".kind", p.Kind, PlatformKinds)
	}
	// Artists and groups share one namespace of act slugs, so that a credit
	// can say "act": "bts" without saying which.
	for slug := range v.things[KindArtist] {
		if _, clash := v.things[KindGroup][slug]; clash {
			v.problems.Add("", "", "%q names both an artist and a group; act slugs must be unique across both", slug)
		}
	}
	for _, pair := range [][2]Kind{{KindArtist, KindGroup}, {KindGroup, KindArtist}} {
		for slug := range v.things[pair[0]] {
			if _, found := v.stored0(pair[1], slug); found {
				v.problems.Add("", "", "%q is already stored as a %s; act slugs must be unique across artists and groups", slug, strings.ToLower(string(pair[1])))
			}
		}
	}
	// Sources on things are checked once every thing is indexed.
	for _, t := range ds.ThingDocs() {
		v.sources(t.Doc.Loc, t.Doc.Sources, false)
	}
}

// stored0 asks the stored graph, remembering the first error.
func (v *validator) stored0(kind Kind, slug string) (Known, bool) {
	if v.stored == nil || v.err != nil {
		return Known{}, false
	}
	k, ok, err := v.stored.Known(kind, slug)
	if err != nil {
		v.err = err
		return Known{}, false
	}
	return k, ok
}

// resolve finds a thing of one of kinds by slug, in the dataset first.
func (v *validator) resolve(l Loc, field string, slug string, kinds ...Kind) (Known, bool) {
	if slug == "" {
		v.add(l, field, "is required")
		return Known{}, false
	}
	for _, k := range kinds {
		if known, ok := v.things[k][slug]; ok {
			return known, true
		}
	}
	for _, k := range kinds {
		if known, ok := v.stored0(k, slug); ok {
			return known, true
		}
	}
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = strings.ToLower(string(k))
	}
	v.add(l, field, "no %s has the slug %q", strings.Join(names, " or "), slug)
	return Known{}, false
}

func (v *validator) sources(l Loc, slugs []string, required bool) {
	if required && len(slugs) == 0 {
		v.add(l, ".sources", "a fact must cite at least one source")
	}
	for i, s := range slugs {
		v.resolve(l, fmt.Sprintf(".sources[%d]", i), s, KindSource)
	}
}

func (v *validator) work(l Loc, w WorkRef) (Known, bool) {
	switch {
	case w.Song != "" && w.Album != "":
		v.add(l, "", "names both a song and an album; a work is one of the two")
	case w.Song != "":
		return v.resolve(l, ".song", w.Song, KindSong)
	case w.Album != "":
		return v.resolve(l, ".album", w.Album, KindAlbum)
	default:
		v.add(l, "", "names no work: give \"song\" or \"album\"")
	}
	return Known{}, false
}

func (v *validator) credits(credits []CreditDoc) {
	for _, c := range credits {
		v.sources(c.Loc, c.Sources, true)
		v.resolve(c.Loc, ".act", c.Act, KindArtist, KindGroup)
		v.enum(c.Loc, ".role", c.Role, CreditRoles)
	}
}

func (v *validator) checkFacts(ds *Dataset) {
	for _, g := range ds.Groups {
		for _, m := range g.Members {
			v.sources(m.Loc, m.Sources, true)
			v.order(m.Loc, "start", m.Start, ".end", m.End)
			if a, ok := v.resolve(m.Loc, ".artist", m.Artist, KindArtist); ok {
				if !m.Start.IsZero() && !a.Date.IsZero() && m.Start.Before(a.Date) {
					v.add(m.Loc, ".start", "%s is before %s was born (%s)", m.Start, m.Artist, a.Date)
				}
			}
			if !g.Disbanded.IsZero() && !m.Start.IsZero() && g.Disbanded.Before(m.Start) {
				v.add(m.Loc, ".start", "%s is after the group disbanded (%s)", m.Start, g.Disbanded)
			}
		}
	}
	for _, s := range ds.Songs {
		v.credits(s.Credits)
	}
	for _, a := range ds.Albums {
		v.credits(a.Credits)
		seen := map[[2]int]bool{}
		for _, t := range a.Tracks {
			v.sources(t.Loc, t.Sources, true)
			v.resolve(t.Loc, ".song", t.Song, KindSong)
			for j, r := range t.Relations {
				v.enum(t.Loc, fmt.Sprintf(".relations[%d]", j), r, TrackRelations)
			}
			if t.Position < 0 || t.Disc < 0 {
				v.add(t.Loc, ".position", "positions and discs count from 1")
			}
			if t.Position > 0 {
				key := [2]int{max(t.Disc, 1), t.Position}
				if seen[key] {
					v.add(t.Loc, ".position", "disc %d already has a track %d", key[0], key[1])
				}
				seen[key] = true
			}
		}
	}
	for _, a := range ds.Awards {
		for _, r := range a.Results {
			v.sources(r.Loc, r.Sources, true)
			v.requiredDate(r.Loc, ".date", r.Date)
			v.enum(r.Loc, ".result", r.Result, AwardOutcomes)
			if len(r.Recipients) == 0 {
				v.add(r.Loc, ".recipients", "an award result needs at least one recipient")
			}
			for j, slug := range r.Recipients {
				if act, ok := v.resolve(r.Loc, fmt.Sprintf(".recipients[%d]", j), slug, KindArtist, KindGroup); ok {
					v.notBefore(r.Loc, ".date", r.Date, act, slug)
				}
			}
			if r.Work != nil {
				if w, ok := v.work(r.Loc.At(".work"), *r.Work); ok && !w.Date.IsZero() && r.Date.Before(w.Date) {
					v.add(r.Loc, ".date", "%s is before the work's release (%s)", r.Date, w.Date)
				}
			}
		}
	}
	for _, e := range ds.Events {
		for _, p := range e.Performances {
			v.sources(p.Loc, p.Sources, true)
			date := p.Date
			if date.IsZero() {
				date = e.Start
			} else if !e.Start.IsZero() && p.Date.Before(e.Start) {
				v.add(p.Loc, ".date", "%s is before the event starts (%s)", p.Date, e.Start)
			}
			if len(p.Performers) == 0 {
				v.add(p.Loc, ".performers", "a performance needs at least one performer")
			}
			for j, slug := range p.Performers {
				if act, ok := v.resolve(p.Loc, fmt.Sprintf(".performers[%d]", j), slug, KindArtist, KindGroup); ok {
					v.notBefore(p.Loc, ".date", date, act, slug)
				}
			}
			for j, s := range p.SetList {
				v.resolve(p.Loc, fmt.Sprintf(".setList[%d].song", j), s.Song, KindSong)
			}
		}
	}
	for _, r := range ds.ChartRuns {
		v.sources(r.Loc, r.Sources, true)
		v.resolve(r.Loc, ".chart", r.Chart, KindChart)
		if r.Peak < 0 {
			v.add(r.Loc, ".peak", "a chart position counts from 1")
		}
		if r.Weeks != nil {
			v.quantity(r.Loc.At(".weeks"), *r.Weeks)
		}
		v.order(r.Loc, "entered", r.Entered, ".peakDate", r.PeakDate)
		if w, ok := v.work(r.Loc, r.WorkRef); ok && !w.Date.IsZero() && !r.Entered.IsZero() && r.Entered.Before(w.Date) {
			v.add(r.Loc, ".entered", "%s is before the work's release (%s)", r.Entered, w.Date)
		}
	}
	for _, m := range ds.Milestones {
		v.sources(m.Loc, m.Sources, true)
		v.resolve(m.Loc, ".platform", m.Platform, KindPlatform)
		v.enum(m.Loc, ".metric", m.Metric, MilestoneMetrics)
		v.requiredDate(m.Loc, ".reached", m.Reached)
		if m.Threshold <= 0 {
			v.add(m.Loc, ".threshold", "must be a positive count")
		}
		if w, ok := v.work(m.Loc, m.WorkRef); ok && !w.Date.IsZero() && m.Reached.Before(w.Date) {
			v.add(m.Loc, ".reached", "%s is before the work's release (%s): a milestone cannot come before its release", m.Reached, w.Date)
		}
	}
	for _, r := range ds.Records {
		v.sources(r.Loc, r.Sources, true)
		v.required(r.Loc, ".claim", r.Claim)
		if len(r.Subjects) == 0 {
			v.add(r.Loc, ".subjects", "a record needs at least one subject")
		}
		for j, ref := range r.Subjects {
			field := fmt.Sprintf(".subjects[%d]", j)
			kind, slug, err := ParseThingRef(ref)
			if err != nil {
				v.add(r.Loc, field, "%s", err)
				continue
			}
			v.resolve(r.Loc, field, slug, kind)
		}
		if rk := r.Ranking; rk != nil {
			v.resolve(r.Loc, ".ranking.platform", rk.Platform, KindPlatform)
			v.enum(r.Loc, ".ranking.metric", rk.Metric, MilestoneMetrics)
			if rk.Rank < 1 {
				v.add(r.Loc, ".ranking.rank", "a rank counts from 1")
			}
			if rk.Threshold <= 0 {
				v.add(r.Loc, ".ranking.threshold", "must be a positive count")
			}
		}
	}
}

// notBefore refuses a dated fact about an act from before the act existed.
func (v *validator) notBefore(l Loc, field string, d Date, act Known, slug string) {
	if d.IsZero() || act.Date.IsZero() || !d.Before(act.Date) {
		return
	}
	what := "was born"
	if act.Kind == KindGroup {
		what = "was formed"
	}
	v.add(l, field, "%s is before %s %s (%s)", d, slug, what, act.Date)
}

func (v *validator) quantity(l Loc, q Quantity) {
	if q.Value < 0 {
		v.add(l, ".value", "must not be negative")
	}
	if q.Bound != "" {
		v.enum(l, ".bound", q.Bound, QuantityBounds)
	}
}

// ParseThingRef reads a "kind:slug" reference such as "song:seven".
func ParseThingRef(ref string) (Kind, string, error) {
	kind, slug, ok := strings.Cut(ref, ":")
	for _, k := range ThingKinds {
		if ok && strings.EqualFold(string(k), kind) {
			return k, slug, nil
		}
	}
	return "", "", fmt.Errorf("%q is not a reference: write kind:slug, such as \"song:seven\" or \"artist:jungkook\"", ref)
}

func firstDate(dates ...Date) Date {
	for _, d := range dates {
		if !d.IsZero() {
			return d
		}
	}
	return Date{}
}

// KindedThing is a thing of a dataset with its kind.
type KindedThing struct {
	Kind Kind
	Doc  *ThingDoc
}

// ThingDocs lists every thing of the dataset, sources first.
func (d *Dataset) ThingDocs() []KindedThing {
	var all []KindedThing
	add := func(k Kind, t *ThingDoc) { all = append(all, KindedThing{k, t}) }
	for i := range d.Sources {
		add(KindSource, &d.Sources[i].ThingDoc)
	}
	for i := range d.Artists {
		add(KindArtist, &d.Artists[i].ThingDoc)
	}
	for i := range d.Groups {
		add(KindGroup, &d.Groups[i].ThingDoc)
	}
	for i := range d.Songs {
		add(KindSong, &d.Songs[i].ThingDoc)
	}
	for i := range d.Albums {
		add(KindAlbum, &d.Albums[i].ThingDoc)
	}
	for i := range d.Awards {
		add(KindAward, &d.Awards[i].ThingDoc)
	}
	for i := range d.Events {
		add(KindEvent, &d.Events[i].ThingDoc)
	}
	for i := range d.Charts {
		add(KindChart, &d.Charts[i].ThingDoc)
	}
	for i := range d.Platforms {
		add(KindPlatform, &d.Platforms[i].ThingDoc)
	}
	return all
}
