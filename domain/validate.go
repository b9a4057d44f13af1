package domain

import (
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"
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
	// Named lists the slugs of the stored things of a kind whose primary
	// name is name, ignoring case.
	Named(kind Kind, name string) ([]string, error)
	// Similar returns the stored slug of a kind nearest to slug (see
	// Closest), "" when none is near.
	Similar(kind Kind, slug string) (string, error)
	// Identified returns the stored thing with an external identifier;
	// "" when there is none.
	Identified(scheme, value string) (Kind, string, error)
}

// Validator checks items one at a time, as a load streams them: Thing for
// the thing an item describes, then Facts for the facts it holds. A fact may
// refer to things described later; see Ready.
type Validator struct {
	stored Stored
	things map[Kind]map[string]Known
	// names holds the slugs of the things described, by kind and name
	// in lower case, to refuse a new thing named like another by mistake.
	names map[Kind]map[string][]string
	// holder is what the store or dataset knows of the thing a fact
	// written apart names (see Standalone), while its facts are checked.
	holder Known
	// identified names the thing each identifier ("mbid:...") of the
	// dataset belongs to.
	identified map[string]string
	// suggested counts the near slugs looked for, each a scan of a
	// kind's slugs, which a load bounds (maxSuggestions).
	suggested int
	problems  Problems
	err       error
	// pending is set when, with waiting on, a reference names a thing the
	// dataset has not described yet.
	waiting, pending bool
}

// NewValidator starts a validation against what stored holds.
func NewValidator(stored Stored) *Validator {
	return &Validator{stored: stored, things: map[Kind]map[string]Known{}, names: map[Kind]map[string][]string{}, identified: map[string]string{}}
}

// Err returns the error a lookup in the stored graph failed with, or every
// problem found, or nil.
func (v *Validator) Err() error {
	if v.err != nil {
		return v.err
	}
	return v.problems.Err()
}

// OK reports whether nothing is wrong so far.
func (v *Validator) OK() bool { return v.err == nil && len(v.problems) == 0 }

// Ready checks the facts of an item only if every thing they refer to has
// been described by the dataset already, and reports whether it did: a load
// keeps an item that is not ready until the end, then checks it with Facts.
func (v *Validator) Ready(item any) bool {
	before := len(v.problems)
	v.waiting, v.pending = true, false
	v.Facts(item)
	v.waiting = false
	if v.pending {
		v.problems = v.problems[:before]
		return false
	}
	return true
}

func (v *Validator) add(l Loc, field, format string, args ...any) {
	v.problems.Add(l.File, l.Path+field, format, args...)
}

func (v *Validator) enum(l Loc, field, value string, allowed []string) {
	if !slices.Contains(allowed, value) {
		v.add(l, field, "%q is not one of %s", value, strings.Join(allowed, ", "))
	}
}

func (v *Validator) required(l Loc, field, value string) {
	if strings.TrimSpace(value) == "" {
		v.add(l, field, "is required")
	}
}

func (v *Validator) requiredDate(l Loc, field string, d Date) {
	if d.IsZero() {
		v.add(l, field, "is required (a date such as \"2013\", \"2024-02\" or \"2013-06-13\")")
	}
}

func (v *Validator) order(l Loc, startField string, start Date, endField string, end Date) {
	if !start.IsZero() && !end.IsZero() && end.Before(start) {
		v.add(l, endField, "%s ends before it starts (%s %s)", end, startField, start)
	}
}

// Thing checks and indexes the thing an item describes, by its kind's
// rules (see kindSpecs); items that are only facts have none.
func (v *Validator) Thing(item any) {
	s, ok := SpecOfItem(item)
	if !ok || !s.Thing {
		return
	}
	var key Date
	if s.keyDate != nil {
		key = s.keyDate(item)
	}
	_, t := ItemThing(item)
	if t.NamedBy != "" {
		return // a fact written apart: its holder is checked with it, by Facts
	}
	v.thing(s.Kind, t, key)
	if s.check != nil {
		s.check(v, item)
	}
}

// country accepts an ISO 3166-1 alpha-2 code (see IsCountry).
func (v *Validator) country(l Loc, code string) {
	if code != "" && !IsCountry(code) {
		v.add(l, ".country", "%q is not an ISO 3166-1 alpha-2 country code, such as \"KR\" or \"GB\"", code)
	}
}

// IsCountry reports whether code is the ISO 3166-1 alpha-2 code, in
// capitals, of a country that exists (golang.org/x/text knows the list).
func IsCountry(code string) bool {
	r, err := language.ParseRegion(code)
	return err == nil && len(code) == 2 && r.IsCountry() && r.String() == code
}

// url accepts an absolute http or https address.
func (v *Validator) url(l Loc, field, address string) {
	if address == "" {
		return
	}
	u, err := url.Parse(address)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		v.add(l, field, "%q is not a web address: give an absolute http or https URL", address)
	}
}

// MaxNames is how many names a thing may have, its primary name included.
const MaxNames = 1000

func (v *Validator) thing(kind Kind, t *ThingDoc, date Date) {
	v.required(t.Loc, ".name", t.Name)
	if len(t.Replace) > 0 {
		lists := listFields(newDoc(kind))
		for i, name := range t.Replace {
			if !slices.Contains(lists, name) {
				v.add(t.Loc, fmt.Sprintf(".replace[%d]", i), "%q is not a list of this %s: give %s", name, strings.ToLower(string(kind)), strings.Join(lists, ", "))
			}
		}
	}
	if len(t.Names) >= MaxNames {
		v.add(t.Loc, ".names", "%d names; a thing has at most %d besides its primary name", len(t.Names), MaxNames-1)
	}
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
	v.sameName(kind, t)
	v.identifiers(kind, t)
	// Artists and groups share one namespace of act slugs, so that a credit
	// can say "act": "bts" without saying which.
	if other := map[Kind]Kind{KindArtist: KindGroup, KindGroup: KindArtist}[kind]; other != "" {
		if _, clash := v.things[other][t.Slug]; clash {
			v.add(t.Loc, ".slug", "%q names both an artist and a group; act slugs must be unique across both", t.Slug)
		} else if _, stored := v.lookup(other, t.Slug); stored {
			v.add(t.Loc, ".slug", "%q is already stored as a %s; act slugs must be unique across artists and groups", t.Slug, strings.ToLower(string(other)))
		}
	}
}

// lookup asks the stored graph, remembering the first error.
func (v *Validator) lookup(kind Kind, slug string) (Known, bool) {
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
func (v *Validator) resolve(l Loc, field string, slug string, kinds ...Kind) (Known, bool) {
	if slug == "" {
		v.add(l, field, "is required")
		return Known{}, false
	}
	for _, k := range kinds {
		if known, ok := v.things[k][slug]; ok {
			return known, true
		}
	}
	if v.waiting {
		v.pending = true
		return Known{}, false
	}
	for _, k := range kinds {
		if known, ok := v.lookup(k, slug); ok {
			return known, true
		}
	}
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = strings.ToLower(string(k))
	}
	if near := v.near(slug, kinds); near != "" {
		v.add(l, field, "no %s has the slug %q; did you mean %q?", strings.Join(names, " or "), slug, near)
	} else {
		v.add(l, field, "no %s has the slug %q", strings.Join(names, " or "), slug)
	}
	return Known{}, false
}

// maxSuggestions bounds the slugs a validation suggests for those it
// cannot find: each suggestion reads every slug of a kind.
const maxSuggestions = 20

// near finds the slug of one of kinds, described or stored, nearest to a
// slug that names nothing: the likely mistyped one.
func (v *Validator) near(slug string, kinds []Kind) string {
	if v.suggested >= maxSuggestions {
		return ""
	}
	v.suggested++
	var stored []string
	for _, k := range kinds {
		if v.stored == nil || v.err != nil {
			break
		}
		similar, err := v.stored.Similar(k, slug)
		if err != nil {
			v.err = err
			return ""
		}
		if similar != "" {
			stored = append(stored, similar)
		}
	}
	return Closest(slug, func(yield func(string) bool) {
		for _, k := range kinds {
			for described := range v.things[k] {
				if !yield(described) {
					return
				}
			}
		}
		for _, s := range stored {
			if !yield(s) {
				return
			}
		}
	})
}

// Closest returns the candidate nearest to slug by edit distance that is
// near enough to be a typing mistake, "" when none is; ties go to the
// first in byte order.
func Closest(slug string, candidates func(yield func(string) bool)) string {
	best, distance := "", -1
	for c := range candidates {
		if d := EditDistance(slug, c); closeEnough(slug, d) && (distance < 0 || d < distance || d == distance && c < best) {
			best, distance = c, d
		}
	}
	return best
}

// EditDistance is the Levenshtein distance between two strings, in
// characters.
func EditDistance(a, b string) int { return Levenshtein([]rune(a), []rune(b)) }

// Levenshtein is the number of single-character insertions, deletions and
// substitutions that turn a into b.
func Levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// closeEnough: a slug a few edits away, for its length, is a likely typo
// ("one-directon" for "one-direction"); the same slug is not a suggestion.
func closeEnough(slug string, distance int) bool {
	return distance > 0 && distance <= max(1, min(3, utf8.RuneCountInString(slug)/4))
}

// NameKey is what look-alike names share: the name with ASCII letters in
// lower case, as SQLite's lower() folds them, so that a dataset and the
// store's index of names (see Stored.Named) agree on what is the same name.
func NameKey(name string) string {
	b := []byte(name)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// sameName refuses a new thing whose name is that of another thing of its
// kind, described or stored, unless the item says it is a different one
// (distinctFrom): most often its slug is mistyped, and it would be a
// second "One Direction" holding facts meant for the first.
func (v *Validator) sameName(kind Kind, t *ThingDoc) {
	for i, slug := range t.DistinctFrom {
		v.resolve(t.Loc, fmt.Sprintf(".distinctFrom[%d]", i), slug, kind)
	}
	if strings.TrimSpace(t.Name) == "" {
		return
	}
	name := NameKey(t.Name)
	if v.names[kind] == nil {
		v.names[kind] = map[string][]string{}
	}
	others := v.names[kind][name]
	v.names[kind][name] = append(others, t.Slug)
	if _, stored := v.lookup(kind, t.Slug); stored || v.err != nil {
		return // a restatement of a stored thing, not a new one
	}
	if v.stored != nil {
		named, err := v.stored.Named(kind, t.Name)
		if err != nil {
			v.err = err
			return
		}
		others = append(others, named...)
	}
	var clash []string
	for _, other := range others {
		if other != t.Slug && !slices.Contains(t.DistinctFrom, other) && !slices.Contains(clash, other) {
			clash = append(clash, other)
		}
	}
	if len(clash) == 0 {
		return
	}
	slices.Sort(clash)
	quoted := make([]string, len(clash))
	for i, c := range clash {
		quoted[i] = strconv.Quote(c)
	}
	what := strings.ToLower(string(kind))
	v.add(t.Loc, ".slug", "a new %s %q has the name %q, which %s %s already has: to add to that one, use its slug; if this is another %s, say so with \"distinctFrom\": [%s]",
		what, t.Slug, t.Name, what, strings.Join(quoted, ", "), what, strings.Join(quoted, ", "))
}

func (v *Validator) sources(l Loc, slugs []string, required bool) {
	if required && len(slugs) == 0 {
		v.add(l, ".sources", "a fact must cite at least one source")
	}
	for i, s := range slugs {
		v.resolve(l, fmt.Sprintf(".sources[%d]", i), s, KindSource)
	}
}

func (v *Validator) work(l Loc, w WorkRef) (Known, bool) {
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

func (v *Validator) credits(credits []CreditDoc) {
	for _, c := range credits {
		v.sources(c.Loc, c.Sources, true)
		v.resolve(c.Loc, ".act", c.Act, KindArtist, KindGroup)
		v.enum(c.Loc, ".role", c.Role, CreditRoles)
	}
}

// MaxText is the longest a text field may be, in characters: enough for
// any name, claim or note, and a bound on what one value costs to store and
// serve.
const MaxText = 10_000

// texts refuses any text of an item over MaxText, naming its field.
func (v *Validator) texts(item any) {
	var at Loc
	if _, t := ItemThing(item); t != nil {
		at = t.Loc
	} else if f := FactPart(item); f != nil {
		at = f.Loc
	}
	v.textsIn(at, reflect.ValueOf(item), "")
}

func (v *Validator) textsIn(at Loc, val reflect.Value, path string) {
	switch val.Kind() {
	case reflect.Pointer:
		if !val.IsNil() {
			v.textsIn(at, val.Elem(), path)
		}
	case reflect.Struct:
		for i := range val.NumField() {
			field := val.Type().Field(i)
			name, _, _ := strings.Cut(field.Tag.Get("json"), ",")
			switch {
			case !field.IsExported() || name == "-":
			case field.Anonymous:
				v.textsIn(at, val.Field(i), path)
			default:
				v.textsIn(at, val.Field(i), path+"."+name)
			}
		}
	case reflect.Slice:
		for i := range val.Len() {
			v.textsIn(at, val.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.String:
		if n := utf8.RuneCountInString(val.String()); n > MaxText {
			v.add(at, path, "is %d characters long; at most %d", n, MaxText)
		}
	}
}

// Facts checks the facts an item holds, and the sources a thing cites.
// A fact written apart (see Standalone) must name a thing that is
// described or stored.
func (v *Validator) Facts(item any) {
	v.texts(item)
	if kind, t := ItemThing(item); t != nil {
		v.holder = Known{}
		if t.NamedBy != "" {
			known, ok := v.resolve(t.Loc, "."+t.NamedBy, t.Slug, kind)
			if !ok {
				return
			}
			v.holder = known
		}
		v.sources(t.Loc, t.Sources, false)
		v.heldNaming(kind, t, item)
	}
	if s, ok := SpecOfItem(item); ok && s.facts != nil {
		s.facts(v, item)
	}
	if f := FactPart(item); f != nil {
		s, _ := SpecOfItem(item)
		v.fact(s, f)
	}
	HeldFacts(item, func(kind Kind, _ string, _ int, f *FactDoc) {
		s, _ := SpecOf(kind)
		v.fact(s, f)
	})
}

// fact checks what every fact carries: its support, and "movedFrom" only
// on a fact matched by a date.
func (v *Validator) fact(s KindSpec, f *FactDoc) {
	if f.Support != "" {
		v.enum(f.Loc, ".support", string(f.Support), Supports)
	}
	if !f.MovedFrom.IsZero() && s.KeyDate == "" {
		v.add(f.Loc, ".movedFrom", "a %s is not matched by a date: only %s move with \"movedFrom\"", s.Kind.Noun(), strings.Join(datedKinds(), ", "))
	}
}

// datedKinds names the kinds of fact matched by a date, in lower case.
func datedKinds() []string {
	var out []string
	for _, s := range kinds.specs {
		if s.KeyDate != "" {
			out = append(out, s.Kind.Noun()+"s")
		}
	}
	return out
}

func (v *Validator) members(g *GroupDoc) {
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
	// An artist's stints in one group follow one another: a second stint
	// that starts before the first has certainly ended would list the
	// artist twice among the members of a date.
	for i, a := range g.Members {
		for _, b := range g.Members[i+1:] {
			if a.Artist == b.Artist && StintsOverlap(a.Start, a.End, b.Start, b.End) {
				v.add(b.Loc, ".start", "%s is already a member then (from %s%s); a second stint starts after the first has ended", b.Artist, a.Start, until(a.End))
			}
		}
	}
}

// hiatuses checks a group's periods of inactivity: each starts, ends after
// it starts, falls within the group's life and follows the one before.
func (v *Validator) hiatuses(g *GroupDoc) {
	for i, h := range g.Hiatuses {
		at := g.At(fmt.Sprintf(".hiatuses[%d]", i))
		v.requiredDate(at, ".start", h.Start)
		v.order(at, "start", h.Start, ".end", h.End)
		if formed := firstDate(g.Formed, g.Debuted); !formed.IsZero() && !h.Start.IsZero() && h.Start.Before(formed) {
			v.add(at, ".start", "%s is before the group was formed (%s)", h.Start, formed)
		}
		if !g.Disbanded.IsZero() && !h.Start.IsZero() && g.Disbanded.Before(h.Start) {
			v.add(at, ".start", "%s is after the group disbanded (%s)", h.Start, g.Disbanded)
		}
		if i > 0 {
			if prev := g.Hiatuses[i-1]; prev.End.IsZero() || !prev.End.Before(h.Start) && prev.End != h.Start {
				v.add(at, ".start", "%s is not after the hiatus before it has ended (%s%s); list hiatuses in order", h.Start, prev.Start, until(prev.End))
			}
		}
	}
}

// StintsOverlap reports whether two memberships of one artist in one
// group, each from start to end (open when zero), certainly share a day.
func StintsOverlap(aStart, aEnd, bStart, bEnd Date) bool {
	if bStart.Before(aStart) || (aStart.IsZero() && !bStart.IsZero()) {
		aStart, aEnd, bStart = bStart, bEnd, aStart
	}
	// a starts first (or as early as b): they overlap unless a ends by
	// the time b starts.
	if aEnd.IsZero() {
		return true
	}
	return !bStart.IsZero() && bStart.Latest().Before(aEnd.Earliest())
}

func until(end Date) string {
	if end.IsZero() {
		return ", not ended"
	}
	return " to " + end.String()
}

func (v *Validator) tracks(tracks []TrackDoc) {
	seen := map[[2]int]bool{}
	for _, t := range tracks {
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

func (v *Validator) awardResults(results []AwardResultDoc) {
	for _, r := range results {
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
		if r.Ceremony != "" {
			if e, ok := v.resolve(r.Loc, ".ceremony", r.Ceremony, KindEvent); ok && !e.Date.IsZero() && r.Date.Before(e.Date) {
				v.add(r.Loc, ".date", "%s is before the ceremony (%s)", r.Date, e.Date)
			}
		}
	}
}

// holderDate is the key date of the thing whose facts are checked: its
// document's, or, for a holder made of facts written apart (which states
// none), what the dataset or the store knows of it.
func (v *Validator) holderDate(t *ThingDoc, own Date) Date {
	if t.NamedBy != "" {
		return v.holder.Date
	}
	return own
}

func (v *Validator) performances(e *EventDoc) {
	start := v.holderDate(&e.ThingDoc, e.Start)
	for _, p := range e.Performances {
		v.sources(p.Loc, p.Sources, true)
		date := p.Date
		switch {
		case date.IsZero() && e.NamedBy != "":
			v.add(p.Loc, ".date", "is required of a performance written apart from its event")
		case date.IsZero():
			date = e.Start
		case !start.IsZero() && p.Date.Before(start):
			v.add(p.Loc, ".date", "%s is before the event starts (%s)", p.Date, start)
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
			at := fmt.Sprintf(".setList[%d].song", j)
			if song, ok := v.resolve(p.Loc, at, s.Song, KindSong); ok && !song.Date.IsZero() && !date.IsZero() && date.Before(song.Date) {
				v.add(p.Loc, at, "%s is before %s was released (%s)", date, s.Song, song.Date)
			}
		}
	}
}

func (v *Validator) chartRun(r *ChartRunDoc) {
	v.sources(r.Loc, r.Sources, true)
	v.resolve(r.Loc, ".chart", r.Chart, KindChart)
	if r.Weeks != nil {
		v.quantity(r.Loc.At(".weeks"), *r.Weeks)
	}
	if r.WeeksAtPeak != nil {
		v.quantity(r.Loc.At(".weeksAtPeak"), *r.WeeksAtPeak)
		if r.Weeks != nil && r.Weeks.Bound != "at_least" && r.Weeks.Bound != "more_than" && r.WeeksAtPeak.Value > r.Weeks.Value {
			v.add(r.Loc, ".weeksAtPeak", "%d weeks at the peak, but %d weeks on the chart", r.WeeksAtPeak.Value, r.Weeks.Value)
		}
	}
	v.order(r.Loc, "entered", r.Entered, ".peakDate", r.PeakDate)
	if w, ok := v.work(r.Loc, r.WorkRef); ok && !w.Date.IsZero() && !r.Entered.IsZero() && r.Entered.Before(w.Date) {
		v.add(r.Loc, ".entered", "%s is before the work's release (%s)", r.Entered, w.Date)
	}
}

func (v *Validator) milestone(m *MilestoneDoc) {
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

func (v *Validator) record(r *RecordDoc) {
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

// notBefore refuses a dated fact about an act from before the act existed.
func (v *Validator) notBefore(l Loc, field string, d Date, act Known, slug string) {
	if d.IsZero() || act.Date.IsZero() || !d.Before(act.Date) {
		return
	}
	what := "was born"
	if act.Kind == KindGroup {
		what = "was formed"
	}
	v.add(l, field, "%s is before %s %s (%s)", d, slug, what, act.Date)
}

func (v *Validator) quantity(l Loc, q Quantity) {
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
	for _, k := range ThingKinds() {
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

// Each calls fn with every item of the dataset, section by section in
// the order of Sections (a pointer to each SourceDoc, ArtistDoc, ...),
// stopping at the first error fn returns.
func (d *Dataset) Each(fn func(item any) error) error {
	for _, s := range kinds.specs {
		if s.list == nil {
			continue
		}
		list := s.list(d)
		for i := range list.Len() {
			if err := fn(list.Index(i).Addr().Interface()); err != nil {
				return err
			}
		}
	}
	return nil
}

// Items is a set of fixture items a load can walk, as often as it needs:
// a Dataset in memory, or fixture files streamed from disk.
type Items interface {
	Each(fn func(item any) error) error
}
