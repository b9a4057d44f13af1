package domain

import (
	"reflect"
	"slices"
	"strings"
	"unicode"
)

// KindSpec declares one kind of node: what it is, the document fixtures and
// edits write it as, where fixtures list it, the rules that check it and
// how a stored one reads back as a document. Code that must handle every
// kind walks Kinds instead of switching on kinds, and each layer has a
// completeness test that walks it too (its table, schema type, fixture
// section and a fixture row), so a kind that misses a part fails a test
// rather than being skipped in silence. kindSpecs lists the declarations.
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
	// Key names the fields a fact is matched by when a load restates it
	// (its natural key), in fixture spelling: a work is "song or album".
	Key []string
	// KeyDate is the JSON name of the date that is part of a fact's
	// natural key ("start" of a membership), "" when none is: a fact
	// restated with that date less or more precise (one covering the
	// other) is the same fact, and "movedFrom" moves it.
	KeyDate string
	// Apart is the top-level list where a held fact may also be written
	// on its own, naming its holder by slug in the field named after the
	// holder's kind ("group": "one-direction"); see Standalone.
	Apart string
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
	// thingDoc and factDoc write a stored node as its document (see
	// ThingDocOf, FactDocOf); holderID is the thing a held fact is
	// written in, and order the order of its list there (nil: as read).
	thingDoc func(t AnyThing, base ThingDoc) any
	factDoc  func(f Node, base FactDoc, r Refs, holder Node) any
	holderID func(f Node) int64
	order    func(a, b any) int
}

// HasKeyDate reports whether things of the kind have a date facts about
// them may not precede.
func (s KindSpec) HasKeyDate() bool { return s.keyDate != nil }

// NewDoc returns an empty document of the kind, as a pointer.
func (s KindSpec) NewDoc() any { return s.newDoc() }

// thingKind declares a kind of thing, with its document D and its stored
// form T.
type thingKind[D any, T AnyThing] struct {
	kind      Kind
	section   string
	list      func(*Dataset) *[]D
	act, work bool
	keyDate   func(*D) Date
	check     func(*Validator, *D) // its own fields
	facts     func(*Validator, *D) // the facts it holds
	doc       func(T, ThingDoc) *D
}

func (k thingKind[D, T]) spec() KindSpec {
	s := KindSpec{
		Kind: k.kind, Thing: true, Act: k.act, Work: k.work, Section: k.section, Doc: reflect.TypeFor[D](),
		newDoc:   func() any { return new(D) },
		list:     func(d *Dataset) reflect.Value { return reflect.ValueOf(k.list(d)).Elem() },
		thingDoc: func(t AnyThing, base ThingDoc) any { return k.doc(t.(T), base) },
	}
	if k.keyDate != nil {
		s.keyDate = func(item any) Date { return k.keyDate(item.(*D)) }
	}
	if k.check != nil {
		s.check = func(v *Validator, item any) { k.check(v, item.(*D)) }
	}
	if k.facts != nil {
		s.facts = func(v *Validator, item any) { k.facts(v, item.(*D)) }
	}
	return s
}

// factKind declares a kind of fact, with its document D and its stored
// form T: listed in a section of its own, or held in its holders' lists.
type factKind[D any, T Node] struct {
	kind     Kind
	section  string
	list     func(*Dataset) *[]D
	holders  []Kind
	heldIn   string
	apart    string
	key      []string
	keyDate  string
	holderID func(T) int64
	order    func(a, b *D) int
	check    func(*Validator, *D) // a fact with a section of its own; held facts are checked by their holder's facts rule
	words    func(fromRole, toRole, detail string) string
	subjects []string
	datedBy  []Kind
	doc      func(T, FactDoc, Refs, Node) *D
}

func (k factKind[D, T]) spec() KindSpec {
	s := KindSpec{
		Kind: k.kind, Section: k.section, Holders: k.holders, HeldIn: k.heldIn, Apart: k.apart, Key: k.key, KeyDate: k.keyDate, Doc: reflect.TypeFor[D](),
		newDoc:   func() any { return new(D) },
		relation: k.words, subjects: k.subjects, datedBy: k.datedBy,
		factDoc: func(f Node, base FactDoc, r Refs, holder Node) any { return k.doc(f.(T), base, r, holder) },
	}
	if k.list != nil {
		s.list = func(d *Dataset) reflect.Value { return reflect.ValueOf(k.list(d)).Elem() }
	}
	if k.check != nil {
		s.facts = func(v *Validator, item any) { k.check(v, item.(*D)) }
	}
	if k.holderID != nil {
		s.holderID = func(f Node) int64 { return k.holderID(f.(T)) }
	}
	if k.order != nil {
		s.order = func(a, b any) int { return k.order(a.(*D), b.(*D)) }
	}
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

// kindSpecs lists every kind: things in the order fixtures name them (a
// thing's facts may refer to things before it), then facts.
func kindSpecs() []KindSpec {
	return []KindSpec{
		thingKind[SourceDoc, *Source]{
			kind: KindSource, section: "sources", list: func(d *Dataset) *[]SourceDoc { return &d.Sources },
			keyDate: func(s *SourceDoc) Date { return s.Published },
			check:   func(v *Validator, s *SourceDoc) { v.url(s.Loc, ".url", s.URL) },
			doc:     sourceDoc,
		}.spec(),
		thingKind[ArtistDoc, *Artist]{
			kind: KindArtist, section: "artists", list: func(d *Dataset) *[]ArtistDoc { return &d.Artists }, act: true,
			keyDate: func(a *ArtistDoc) Date { return a.BirthDate },
			check: func(v *Validator, a *ArtistDoc) {
				v.country(a.Loc, a.Country)
				if !a.BirthDate.IsZero() && !a.DeathDate.IsZero() && a.DeathDate.Before(a.BirthDate) {
					v.add(a.Loc, ".deathDate", "%s is before the artist was born (%s)", a.DeathDate, a.BirthDate)
				}
			},
			doc: artistDoc,
		}.spec(),
		thingKind[GroupDoc, *Group]{
			kind: KindGroup, section: "groups", list: func(d *Dataset) *[]GroupDoc { return &d.Groups }, act: true,
			keyDate: func(g *GroupDoc) Date { return firstDate(g.Formed, g.Debuted) },
			check: func(v *Validator, g *GroupDoc) {
				v.country(g.Loc, g.Country)
				v.order(g.Loc, "formed", g.Formed, ".debuted", g.Debuted)
				v.order(g.Loc, "formed", firstDate(g.Formed, g.Debuted), ".disbanded", g.Disbanded)
				v.hiatuses(g)
			},
			facts: func(v *Validator, g *GroupDoc) {
				v.members(g)
				if g.FormedOn != "" {
					v.resolve(g.Loc, ".formedOn", g.FormedOn, KindEvent)
				}
			},
			doc: groupDoc,
		}.spec(),
		thingKind[SongDoc, *Song]{
			kind: KindSong, section: "songs", list: func(d *Dataset) *[]SongDoc { return &d.Songs }, work: true,
			keyDate: func(s *SongDoc) Date { return s.Released },
			facts:   func(v *Validator, s *SongDoc) { v.credits(s.Credits) },
			doc:     songDoc,
		}.spec(),
		thingKind[AlbumDoc, *Album]{
			kind: KindAlbum, section: "albums", list: func(d *Dataset) *[]AlbumDoc { return &d.Albums }, work: true,
			keyDate: func(a *AlbumDoc) Date { return a.Released },
			check:   func(v *Validator, a *AlbumDoc) { v.enum(a.Loc, ".kind", a.Kind, AlbumKinds) },
			facts:   func(v *Validator, a *AlbumDoc) { v.credits(a.Credits); v.tracks(a.Tracks) },
			doc:     albumDoc,
		}.spec(),
		thingKind[AwardDoc, *Award]{
			kind: KindAward, section: "awards", list: func(d *Dataset) *[]AwardDoc { return &d.Awards },
			check: func(v *Validator, a *AwardDoc) { v.country(a.Loc, a.Country) },
			facts: func(v *Validator, a *AwardDoc) { v.awardResults(a.Results) },
			doc:   awardDoc,
		}.spec(),
		thingKind[EventDoc, *Event]{
			kind: KindEvent, section: "events", list: func(d *Dataset) *[]EventDoc { return &d.Events },
			keyDate: func(e *EventDoc) Date { return e.Start },
			check: func(v *Validator, e *EventDoc) {
				v.country(e.Loc, e.Country)
				v.enum(e.Loc, ".kind", e.Kind, EventKinds)
				v.requiredDate(e.Loc, ".start", e.Start)
				v.order(e.Loc, "start", e.Start, ".end", e.End)
			},
			facts: (*Validator).performances,
			doc:   eventDoc,
		}.spec(),
		thingKind[ChartDoc, *Chart]{
			kind: KindChart, section: "charts", list: func(d *Dataset) *[]ChartDoc { return &d.Charts },
			doc: chartDoc,
		}.spec(),
		thingKind[PlatformDoc, *Platform]{
			kind: KindPlatform, section: "platforms", list: func(d *Dataset) *[]PlatformDoc { return &d.Platforms },
			check: func(v *Validator, p *PlatformDoc) { v.enum(p.Loc, ".kind", p.Kind, PlatformKinds) },
			doc:   platformDoc,
		}.spec(),
		labelKind.spec(),

		factKind[MembershipDoc, *Membership]{
			kind: KindMembership, holders: []Kind{KindGroup}, heldIn: "members", key: []string{"artist", "group", "start"}, keyDate: "start",
			apart: "memberships", list: func(d *Dataset) *[]MembershipDoc { return &d.Memberships },
			holderID: func(m *Membership) int64 { return m.GroupID }, order: membershipOrder,
			words: membershipWords, subjects: []string{"member"}, datedBy: []Kind{KindArtist, KindGroup},
			doc: membershipDoc,
		}.spec(),
		factKind[CreditDoc, *Credit]{
			kind: KindCredit, holders: []Kind{KindSong, KindAlbum}, heldIn: "credits", key: []string{"song or album", "act", "role"},
			apart: "credits", list: func(d *Dataset) *[]CreditDoc { return &d.Credits },
			holderID: func(c *Credit) int64 { return c.WorkID },
			words:    creditWords, subjects: []string{"act"},
			doc: creditDoc,
		}.spec(),
		factKind[TrackDoc, *Track]{
			kind: KindTrack, holders: []Kind{KindAlbum}, heldIn: "tracks", key: []string{"album", "song"},
			apart: "tracks", list: func(d *Dataset) *[]TrackDoc { return &d.Tracks },
			holderID: func(t *Track) int64 { return t.AlbumID }, order: trackOrder,
			words: trackWords, subjects: []string{"song"},
			doc: trackDoc,
		}.spec(),
		factKind[AwardResultDoc, *AwardResult]{
			kind: KindAwardResult, holders: []Kind{KindAward}, heldIn: "results", key: []string{"award", "date", "category", "recipients", "work"}, keyDate: "date",
			apart: "awardResults", list: func(d *Dataset) *[]AwardResultDoc { return &d.AwardResults },
			holderID: func(r *AwardResult) int64 { return r.AwardID }, order: awardResultOrder,
			words: awardResultWords, subjects: []string{"recipient", "work"}, datedBy: []Kind{KindArtist, KindGroup, KindSong, KindAlbum},
			doc: awardResultDoc,
		}.spec(),
		factKind[PerformanceDoc, *Performance]{
			kind: KindPerformance, holders: []Kind{KindEvent}, heldIn: "performances", key: []string{"event", "date", "performers"}, keyDate: "date",
			apart: "performances", list: func(d *Dataset) *[]PerformanceDoc { return &d.Performances },
			holderID: func(p *Performance) int64 { return p.EventID }, order: performanceOrder,
			words: performanceWordsOf, subjects: []string{"performer"}, datedBy: []Kind{KindArtist, KindGroup, KindEvent},
			doc: performanceDoc,
		}.spec(),
		factKind[ChartRunDoc, *ChartRun]{
			kind: KindChartRun, section: "chartRuns", key: []string{"song or album", "chart", "entered"}, keyDate: "entered", list: func(d *Dataset) *[]ChartRunDoc { return &d.ChartRuns },
			check: (*Validator).chartRun,
			words: chartRunWords, subjects: []string{"work"}, datedBy: []Kind{KindSong, KindAlbum},
			doc: chartRunDoc,
		}.spec(),
		factKind[MilestoneDoc, *Milestone]{
			kind: KindMilestone, section: "milestones", key: []string{"song or album", "platform", "metric", "threshold"}, list: func(d *Dataset) *[]MilestoneDoc { return &d.Milestones },
			check: (*Validator).milestone,
			words: milestoneWords, subjects: []string{"work"}, datedBy: []Kind{KindSong, KindAlbum},
			doc: milestoneDoc,
		}.spec(),
		factKind[RecordDoc, *Record]{
			kind: KindRecord, section: "records", key: []string{"claim", "subjects"}, list: func(d *Dataset) *[]RecordDoc { return &d.Records },
			check: (*Validator).record,
			words: recordWords, subjects: []string{"subject"},
			doc: recordDoc,
		}.spec(),
		signingKind.spec(),
		labelReleaseKind.spec(),
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
	// named lists, for each kind of held fact, the fields that name its
	// holder when it is written apart, one per kind of holder.
	named map[Kind][]heldList
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
	kinds = registry{specs: kindSpecs(), byKind: map[Kind]int{}, byDoc: map[reflect.Type]int{}, held: map[Kind][]heldList{}, named: map[Kind][]heldList{}}
	for i, s := range kinds.specs {
		kinds.byKind[s.Kind] = i
		kinds.byDoc[reflect.PointerTo(s.Doc)] = i
	}
	for _, s := range kinds.specs {
		for _, h := range s.Holders {
			holder := kinds.specs[kinds.byKind[h]]
			kinds.held[h] = append(kinds.held[h], heldList{s.Kind, s.HeldIn, jsonField(holder.Doc, s.HeldIn)})
			field := strings.ToLower(string(h))
			kinds.named[s.Kind] = append(kinds.named[s.Kind], heldList{h, field, jsonField(s.Doc, field)})
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
// a load reads them: those of things, then those of facts, including
// facts written apart from their holders.
func Sections() []string {
	var out []string
	for _, s := range kinds.specs {
		for _, section := range []string{s.Section, s.Apart} {
			if section != "" {
				out = append(out, section)
			}
		}
	}
	return out
}

// SectionSpec returns the declaration of the kind a fixture section lists.
func SectionSpec(section string) (KindSpec, bool) {
	for _, s := range kinds.specs {
		if section != "" && (s.Section == section || s.Apart == section) {
			return s, true
		}
	}
	return KindSpec{}, false
}

// Standalone turns a fact written apart from its holder (see
// KindSpec.Apart) into its holder's document holding only that fact, the
// form a load checks and writes. The holder only names a thing described
// elsewhere, in the dataset or the store (ThingDoc.NamedBy); the validator
// refuses one that names no thing. Any other item is returned as it is.
func Standalone(item any) any {
	s, ok := SpecOfItem(item)
	if !ok || s.Thing || len(s.Holders) == 0 {
		return item
	}
	fact := reflect.ValueOf(item).Elem()
	named := kinds.named[s.Kind][0]
	for _, n := range kinds.named[s.Kind] {
		if fact.FieldByIndex(n.index).String() != "" {
			named = n
			break
		}
	}
	holder := kinds.specs[kinds.byKind[named.kind]].newDoc()
	_, t := ItemThing(holder)
	f := FactPart(item)
	t.Slug, t.NamedBy, t.Loc = fact.FieldByIndex(named.index).String(), named.name, f.Loc
	if err := Hold(holder, item); err != nil {
		panic("domain: " + err.Error()) // the registry declared this holder's list
	}
	return holder
}

// heldNaming checks the fields of held facts that name a holder: written
// inside a holder, a fact may name it again, but no other thing.
func (v *Validator) heldNaming(holderKind Kind, holder *ThingDoc, item any) {
	doc := reflect.ValueOf(item).Elem()
	for _, held := range kinds.held[holderKind] {
		list := doc.FieldByIndex(held.index)
		for i := range list.Len() {
			fact := list.Index(i)
			at := FactPart(fact.Addr().Interface()).Loc
			var given []heldList
			for _, n := range kinds.named[held.kind] {
				if fact.FieldByIndex(n.index).String() != "" {
					given = append(given, n)
				}
			}
			switch {
			case len(given) > 1:
				names := make([]string, len(given))
				for j, n := range given {
					names[j] = n.name
				}
				v.add(at, "", "names both %s; a %s has one holder", strings.Join(names, " and "), strings.ToLower(string(held.kind)))
			case len(given) == 1:
				if n, slug := given[0], fact.FieldByIndex(given[0].index).String(); n.kind != holderKind || slug != holder.Slug {
					v.add(at, "."+n.name, "names %s %q, but the fact is written in %s %q", n.name, slug, strings.ToLower(string(holderKind)), holder.Slug)
				}
			}
		}
	}
}

// Noun is the kind in words, for messages: "chart run", "award result".
func (k Kind) Noun() string {
	var b strings.Builder
	for i, r := range string(k) {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte(' ')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
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

// HeldKinds lists the kinds of fact a kind of thing's document holds.
func HeldKinds(thing Kind) []Kind {
	var out []Kind
	for _, held := range kinds.held[thing] {
		out = append(out, held.kind)
	}
	return out
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
	panic("domain: " + t.Name() + " has no field " + name) // a declaration error: init stops every program and test
}

// heldIndex is the index of a thing's document's list of a kind of fact.
func heldIndex(thing, fact Kind) ([]int, bool) {
	for _, held := range kinds.held[thing] {
		if held.kind == fact {
			return held.index, true
		}
	}
	return nil, false
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
