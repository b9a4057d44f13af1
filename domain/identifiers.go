package domain

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Scheme names a scheme of external identifiers, the hook for linking
// things to the open music databases and importing from them: "mbid",
// "wikidata", "spotify", "isrc". Fixtures spell it in lower case, GraphQL
// in capitals.
type Scheme string

// IdentifierScheme declares one scheme: how its identifiers look, which
// kinds of thing have them and where each points. Every rule and reader
// of identifiers walks identifierSchemes.
type IdentifierScheme struct {
	Name Scheme
	// Title names the scheme for people.
	Title string
	// Form is the pattern a value must match, with Example one that
	// does, for error messages.
	Form    *regexp.Regexp
	Example string
	// Kinds have identifiers of the scheme, each with the path of its
	// page under Site ("artist" for MusicBrainz, "" for Wikidata, whose
	// pages are all under one path).
	Kinds map[Kind]string
	Site  string
}

var identifierSchemes = []IdentifierScheme{
	{
		Name: "mbid", Title: "MusicBrainz ID", Site: "https://musicbrainz.org/",
		Form:    regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`),
		Example: "a8bdf4d2-8f32-4bc2-9d47-4e2bfa4a3be7",
		Kinds: map[Kind]string{KindArtist: "artist", KindGroup: "artist", KindSong: "recording", KindAlbum: "release-group",
			KindLabel: "label", KindEvent: "event"},
	},
	{
		Name: "wikidata", Title: "Wikidata item", Site: "https://www.wikidata.org/wiki/",
		Form: regexp.MustCompile(`^Q[1-9][0-9]*$`), Example: "Q14624744",
		Kinds: map[Kind]string{KindArtist: "", KindGroup: "", KindSong: "", KindAlbum: "", KindAward: "", KindEvent: "",
			KindChart: "", KindPlatform: "", KindLabel: "", KindSource: ""},
	},
	{
		Name: "spotify", Title: "Spotify ID", Site: "https://open.spotify.com/",
		Form: regexp.MustCompile(`^[0-9A-Za-z]{22}$`), Example: "6HaGTQPmzraVmaVxvz6EUc",
		Kinds: map[Kind]string{KindArtist: "artist", KindGroup: "artist", KindSong: "track", KindAlbum: "album"},
	},
	{
		Name: "isrc", Title: "ISRC", Site: "https://musicbrainz.org/isrc/",
		Form: regexp.MustCompile(`^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$`), Example: "USSM12301928",
		Kinds: map[Kind]string{KindSong: ""},
	},
}

// SchemeOf returns a scheme's declaration.
func SchemeOf(name Scheme) (IdentifierScheme, bool) {
	i := slices.IndexFunc(identifierSchemes, func(s IdentifierScheme) bool { return s.Name == name })
	if i < 0 {
		return IdentifierScheme{}, false
	}
	return identifierSchemes[i], true
}

// SchemesOf names the schemes a kind of thing has identifiers in.
func SchemesOf(kind Kind) []string {
	var out []string
	for _, s := range identifierSchemes {
		if _, ok := s.Kinds[kind]; ok {
			out = append(out, string(s.Name))
		}
	}
	return out
}

// Identifier is a thing's identifier in one scheme.
type Identifier struct {
	Scheme Scheme
	Value  string
	// URL is the thing's page in the scheme's database.
	URL string
}

// Identifiers lists a thing's external identifiers, in the order of the
// schemes. It reads only IDs, kept with the thing, so it costs no read of
// the store.
func (t *Thing) Identifiers() []*Identifier {
	ids := t.IdentifierMap()
	out := make([]*Identifier, 0, len(ids))
	for _, s := range identifierSchemes {
		if v, ok := ids[string(s.Name)]; ok {
			path, _ := s.Kinds[t.Kind]
			if path != "" {
				path += "/"
			}
			out = append(out, &Identifier{Scheme: s.Name, Value: v, URL: s.Site + path + v})
		}
	}
	return out
}

// IdentifierMap is a thing's identifiers by scheme, as fixtures write them.
func (t *Thing) IdentifierMap() map[string]string {
	if t.IDs == "" {
		return nil
	}
	var ids map[string]string
	if json.Unmarshal([]byte(t.IDs), &ids) != nil {
		return nil
	}
	return ids
}

// IdentifiersJSON is how a thing keeps its identifiers (Thing.IDs): a JSON
// object by scheme, in key order, or "" for none.
func IdentifiersJSON(ids map[string]string) string {
	given := maps.Clone(ids)
	maps.DeleteFunc(given, func(_, v string) bool { return v == "" })
	if len(given) == 0 {
		return ""
	}
	b, _ := json.Marshal(given) // a map of strings always encodes, its keys sorted
	return string(b)
}

// identifiers checks a thing's identifiers: schemes its kind has, values
// of their form, each given to one thing only.
func (v *Validator) identifiers(kind Kind, t *ThingDoc) {
	for _, scheme := range slices.Sorted(maps.Keys(t.IDs)) {
		value := t.IDs[scheme]
		if value == "" {
			continue // cleared
		}
		field := ".ids." + scheme
		s, ok := SchemeOf(Scheme(scheme))
		if _, has := s.Kinds[kind]; !ok || !has {
			v.add(t.Loc, field, "%q is not an identifier of %ss: give %s", scheme, kind.Noun(), strings.Join(SchemesOf(kind), ", "))
			continue
		}
		if !s.Form.MatchString(value) {
			v.add(t.Loc, field, "%q is not a %s, which looks like %q", value, s.Title, s.Example)
			continue
		}
		key := scheme + ":" + value
		if other, taken := v.identified[key]; taken && other != t.Slug {
			v.add(t.Loc, field, "%s %s is already %s", s.Title, value, other)
			continue
		}
		v.identified[key] = kind.Noun() + " " + strconv.Quote(t.Slug)
		if v.stored == nil || v.err != nil {
			continue
		}
		otherKind, otherSlug, err := v.stored.Identified(scheme, value)
		if err != nil {
			v.err = err
			return
		}
		if otherSlug != "" && (otherKind != kind || otherSlug != t.Slug) {
			v.add(t.Loc, field, "%s %s is already the stored %s %q's", s.Title, value, otherKind.Noun(), otherSlug)
		}
	}
}

// MarshalGQL writes the scheme as its GraphQL enum value.
func (s Scheme) MarshalGQL(w io.Writer) {
	_, _ = io.WriteString(w, strconv.Quote(strings.ToUpper(string(s))))
}

// UnmarshalGQL reads a GraphQL enum value.
func (s *Scheme) UnmarshalGQL(v any) error {
	text, _ := v.(string)
	if _, ok := SchemeOf(Scheme(strings.ToLower(text))); !ok {
		return fmt.Errorf("%v is not an identifier scheme", v)
	}
	*s = Scheme(strings.ToLower(text))
	return nil
}
