package domain

import (
	"reflect"
	"slices"
	"strings"
)

// KindSpec declares one kind of node: what it is, the document fixtures and
// edits write it as, where fixtures list it and the rules that check it.
// Code that must handle every kind walks Kinds instead of switching on
// kinds, and each layer has a completeness test that walks it too (its
// table, schema type, fixture section and a fixture row), so a kind that
// misses a part fails a test rather than being skipped in silence.
type KindSpec struct {
	Kind Kind
	// Thing is true for a kind that has a slug and names; the others are
	// facts.
	Thing bool
	// Act and Work: the kind can stand where an act (artist or group) or
	// a work (song or album) is expected.
	Act, Work bool
	// Section is the top-level list of the fixture document that holds
	// its documents; "" for a fact written only inside its holder.
	Section string
	// Holders are the kinds whose documents hold this fact, in their
	// list HeldIn ("members" of a group).
	Holders []Kind
	HeldIn  string
	// Doc is the type of its document (ArtistDoc, MembershipDoc, ...).
	Doc reflect.Type

	newDoc func() any
	// list reaches the Dataset's list of a kind with a Section.
	list func(*Dataset) reflect.Value
	// keyDate is the date a thing is known by (an artist's birth, a
	// song's release), which the facts about it may not precede.
	keyDate func(item any) Date
	// check holds the kind's own rules for its document, beyond those of
	// every thing or fact; facts checks the facts an item holds or is.
	check func(v *Validator, item any)
	facts func(v *Validator, item any)
	// relation words how the thing playing one role of a fact stands to
	// the thing playing another (see Relation); subjects are the roles a
	// fact is written about (see Forward).
	relation func(fromRole, toRole, detail string) string
	subjects []string
	// datedBy are the kinds of thing whose dates a fact's rules check it
	// against (a membership starts after its artist's birth): an edit that
	// moves such a date later checks the fact again.
	datedBy []Kind
}

// HasKeyDate reports whether things of the kind have a date facts about
// them may not precede.
func (s KindSpec) HasKeyDate() bool { return s.keyDate != nil }

// NewDoc returns an empty document of the kind, as a pointer.
func (s KindSpec) NewDoc() any { return s.newDoc() }

// listed declares a kind fixtures list in their own section.
func listed[T any](kind Kind, thing bool, section string, list func(*Dataset) *[]T) KindSpec {
	return KindSpec{
		Kind: kind, Thing: thing, Section: section, Doc: reflect.TypeFor[T](),
		newDoc: func() any { return new(T) },
		list:   func(d *Dataset) reflect.Value { return reflect.ValueOf(list(d)).Elem() },
	}
}

// heldIn declares a fact written inside its holders' documents.
func heldIn[T any](kind Kind, field string, holders ...Kind) KindSpec {
	return KindSpec{Kind: kind, Holders: holders, HeldIn: field, Doc: reflect.TypeFor[T](), newDoc: func() any { return new(T) }}
}

// rules attaches a kind's own checks, typed by its document.
func rules[T any](s KindSpec, keyDate func(*T) Date, check func(*Validator, *T), facts func(*Validator, *T)) KindSpec {
	if keyDate != nil {
		s.keyDate = func(item any) Date { return keyDate(item.(*T)) }
	}
	if check != nil {
		s.check = func(v *Validator, item any) { check(v, item.(*T)) }
	}
	if facts != nil {
		s.facts = func(v *Validator, item any) { facts(v, item.(*T)) }
	}
	return s
}

// words attaches how a fact reads (see Relation and Forward).
func words(s KindSpec, relation func(fromRole, toRole, detail string) string, subjects ...string) KindSpec {
	s.relation, s.subjects = relation, subjects
	return s
}

// dated declares the things whose dates a fact is checked against.
func dated(s KindSpec, things ...Kind) KindSpec {
	s.datedBy = things
	return s
}

// datedFacts lists the kinds of fact checked against a kind of thing's
// dates.
func datedFacts(thing Kind) []Kind {
	var out []Kind
	for _, s := range kinds.specs {
		if slices.Contains(s.datedBy, thing) {
			out = append(out, s.Kind)
		}
	}
	return out
}

func act(s KindSpec) KindSpec  { s.Act = true; return s }
func work(s KindSpec) KindSpec { s.Work = true; return s }

// kindSpecs lists every kind: things in the order fixtures name them (a
// thing's facts may refer to things before it), then facts.
func kindSpecs() []KindSpec {
	return []KindSpec{
		rules(listed(KindSource, true, "sources", func(d *Dataset) *[]SourceDoc { return &d.Sources }),
			func(s *SourceDoc) Date { return s.Published },
			func(v *Validator, s *SourceDoc) { v.url(s.Loc, ".url", s.URL) }, nil),
		act(rules(listed(KindArtist, true, "artists", func(d *Dataset) *[]ArtistDoc { return &d.Artists }),
			func(a *ArtistDoc) Date { return a.BirthDate },
			func(v *Validator, a *ArtistDoc) { v.country(a.Loc, a.Country) }, nil)),
		act(rules(listed(KindGroup, true, "groups", func(d *Dataset) *[]GroupDoc { return &d.Groups }),
			func(g *GroupDoc) Date { return firstDate(g.Formed, g.Debuted) },
			func(v *Validator, g *GroupDoc) {
				v.country(g.Loc, g.Country)
				v.order(g.Loc, "formed", g.Formed, ".debuted", g.Debuted)
				v.order(g.Loc, "formed", firstDate(g.Formed, g.Debuted), ".disbanded", g.Disbanded)
			},
			(*Validator).members)),
		work(rules(listed(KindSong, true, "songs", func(d *Dataset) *[]SongDoc { return &d.Songs }),
			func(s *SongDoc) Date { return s.Released }, nil,
			func(v *Validator, s *SongDoc) { v.credits(s.Credits) })),
		work(rules(listed(KindAlbum, true, "albums", func(d *Dataset) *[]AlbumDoc { return &d.Albums }),
			func(a *AlbumDoc) Date { return a.Released },
			func(v *Validator, a *AlbumDoc) { v.enum(a.Loc, ".kind", a.Kind, AlbumKinds) },
			func(v *Validator, a *AlbumDoc) { v.credits(a.Credits); v.tracks(a.Tracks) })),
		rules(listed(KindAward, true, "awards", func(d *Dataset) *[]AwardDoc { return &d.Awards }), nil,
			func(v *Validator, a *AwardDoc) { v.country(a.Loc, a.Country) },
			func(v *Validator, a *AwardDoc) { v.awardResults(a.Results) }),
		rules(listed(KindEvent, true, "events", func(d *Dataset) *[]EventDoc { return &d.Events }),
			func(e *EventDoc) Date { return e.Start },
			func(v *Validator, e *EventDoc) {
				v.country(e.Loc, e.Country)
				v.enum(e.Loc, ".kind", e.Kind, EventKinds)
				v.requiredDate(e.Loc, ".start", e.Start)
				v.order(e.Loc, "start", e.Start, ".end", e.End)
			},
			(*Validator).performances),
		listed(KindChart, true, "charts", func(d *Dataset) *[]ChartDoc { return &d.Charts }),
		rules(listed(KindPlatform, true, "platforms", func(d *Dataset) *[]PlatformDoc { return &d.Platforms }), nil,
			func(v *Validator, p *PlatformDoc) { v.enum(p.Loc, ".kind", p.Kind, PlatformKinds) }, nil),
		rules(listed(KindLabel, true, "labels", func(d *Dataset) *[]LabelDoc { return &d.Labels }),
			func(l *LabelDoc) Date { return l.Founded }, (*Validator).label, (*Validator).labelFacts),

		dated(words(heldIn[MembershipDoc](KindMembership, "members", KindGroup), membershipWords, "member"), KindArtist, KindGroup),
		words(heldIn[CreditDoc](KindCredit, "credits", KindSong, KindAlbum), creditWords, "act"),
		words(heldIn[TrackDoc](KindTrack, "tracks", KindAlbum), trackWords, "song"),
		dated(words(heldIn[AwardResultDoc](KindAwardResult, "results", KindAward), awardResultWords, "recipient", "work"),
			KindArtist, KindGroup, KindSong, KindAlbum),
		dated(words(heldIn[PerformanceDoc](KindPerformance, "performances", KindEvent), performanceWordsOf, "performer"),
			KindArtist, KindGroup, KindEvent),
		dated(words(rules(listed(KindChartRun, false, "chartRuns", func(d *Dataset) *[]ChartRunDoc { return &d.ChartRuns }), nil, nil, (*Validator).chartRun), chartRunWords, "work"),
			KindSong, KindAlbum),
		dated(words(rules(listed(KindMilestone, false, "milestones", func(d *Dataset) *[]MilestoneDoc { return &d.Milestones }), nil, nil, (*Validator).milestone), milestoneWords, "work"),
			KindSong, KindAlbum),
		words(rules(listed(KindRecord, false, "records", func(d *Dataset) *[]RecordDoc { return &d.Records }), nil, nil, (*Validator).record), recordWords, "subject"),
		dated(words(heldIn[SigningDoc](KindSigning, "signings", KindLabel), signingWords, "act"), KindArtist, KindGroup, KindLabel),
		words(heldIn[LabelReleaseDoc](KindLabelRelease, "releases", KindLabel), labelReleaseWords, "work"),
	}
}

// registry is the declarations of kindSpecs, indexed once.
type registry struct {
	specs  []KindSpec
	byKind map[Kind]int
	byDoc  map[reflect.Type]int
	// held lists, for each kind of thing, the lists of facts its
	// document holds, with their fields' indexes.
	held map[Kind][]heldList
}

// heldList is one list of facts a thing's document holds.
type heldList struct {
	kind  Kind
	name  string
	index []int
}

// kinds is set once, by init, and only read after: the rules it holds
// refer back to it (a record's subjects are "kind:slug"), which a variable's
// initializer may not.
var kinds registry

func init() {
	kinds = registry{specs: kindSpecs(), byKind: map[Kind]int{}, byDoc: map[reflect.Type]int{}, held: map[Kind][]heldList{}}
	for i, s := range kinds.specs {
		kinds.byKind[s.Kind] = i
		kinds.byDoc[reflect.PointerTo(s.Doc)] = i
	}
	for _, s := range kinds.specs {
		for _, h := range s.Holders {
			holder := kinds.specs[kinds.byKind[h]]
			kinds.held[h] = append(kinds.held[h], heldList{s.Kind, s.HeldIn, jsonField(holder.Doc, s.HeldIn)})
		}
	}
}

// Kinds lists every kind's declaration: things in fixture order, then
// facts.
func Kinds() []KindSpec { return slices.Clone(kinds.specs) }

// SpecOf returns a kind's declaration.
func SpecOf(k Kind) (KindSpec, bool) {
	i, ok := kinds.byKind[k]
	if !ok {
		return KindSpec{}, false
	}
	return kinds.specs[i], true
}

// SpecOfItem returns the declaration of the kind a document (a pointer to
// an ArtistDoc, a MembershipDoc, ...) describes.
func SpecOfItem(item any) (KindSpec, bool) {
	i, ok := kinds.byDoc[reflect.TypeOf(item)]
	if !ok {
		return KindSpec{}, false
	}
	return kinds.specs[i], true
}

// ThingKinds lists the kinds that have slugs, in the order fixtures name them.
func ThingKinds() []Kind {
	var out []Kind
	for _, s := range kinds.specs {
		if s.Thing {
			out = append(out, s.Kind)
		}
	}
	return out
}

// Sections lists the top-level lists of a fixture document, in the order
// a load reads them.
func Sections() []string {
	var out []string
	for _, s := range kinds.specs {
		if s.Section != "" {
			out = append(out, s.Section)
		}
	}
	return out
}

// SectionSpec returns the declaration of the kind a fixture section lists.
func SectionSpec(section string) (KindSpec, bool) {
	for _, s := range kinds.specs {
		if s.Section == section && section != "" {
			return s, true
		}
	}
	return KindSpec{}, false
}

// IsThing reports whether k is a kind of thing (it has a slug and names).
func (k Kind) IsThing() bool { s, ok := SpecOf(k); return ok && s.Thing }

// IsFact reports whether k is a kind of fact.
func (k Kind) IsFact() bool { s, ok := SpecOf(k); return ok && !s.Thing }

// IsAct reports whether k can stand where an act is expected.
func (k Kind) IsAct() bool { s, _ := SpecOf(k); return s.Act }

// IsWork reports whether k can stand where a work is expected.
func (k Kind) IsWork() bool { s, _ := SpecOf(k); return s.Work }

// HeldFacts calls fn with every fact a thing's document holds (a group's
// members, an album's credits and tracks, ...), with the list it is in and
// its index there.
func HeldFacts(item any, fn func(kind Kind, list string, i int, fact *FactDoc)) {
	s, ok := SpecOfItem(item)
	if !ok || !s.Thing {
		return
	}
	doc := reflect.ValueOf(item).Elem()
	for _, held := range kinds.held[s.Kind] {
		list := doc.FieldByIndex(held.index)
		for i := range list.Len() {
			fn(held.kind, held.name, i, FactPart(list.Index(i).Addr().Interface()))
		}
	}
}

// heldLists names the lists of facts a thing's document holds.
func heldLists(thing Kind) []string {
	var out []string
	for _, held := range kinds.held[thing] {
		out = append(out, held.name)
	}
	return out
}

// jsonField finds the index of the field of a struct type with a JSON name.
func jsonField(t reflect.Type, name string) []int {
	for _, f := range reflect.VisibleFields(t) {
		if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag == name {
			return f.Index
		}
	}
	panic("domain: " + t.Name() + " has no field " + name) // a declaration error, caught by the kinds test
}

// ItemFacts counts the facts an item holds, or is.
func ItemFacts(item any) int {
	s, ok := SpecOfItem(item)
	if !ok {
		return 0
	}
	if !s.Thing {
		return 1
	}
	n := 0
	HeldFacts(item, func(Kind, string, int, *FactDoc) { n++ })
	return n
}

// ItemThing returns the kind and thing part of an item, or "" and nil for
// an item that is only a fact.
func ItemThing(item any) (Kind, *ThingDoc) {
	s, ok := SpecOfItem(item)
	if !ok || !s.Thing {
		return "", nil
	}
	return s.Kind, item.(interface{ thingPart() *ThingDoc }).thingPart()
}

// FactPart returns the fact part of a fact's document, nil for a thing's.
func FactPart(doc any) *FactDoc {
	if f, ok := doc.(interface{ factPart() *FactDoc }); ok {
		return f.factPart()
	}
	return nil
}

func (t *ThingDoc) thingPart() *ThingDoc { return t }
func (f *FactDoc) factPart() *FactDoc    { return f }
