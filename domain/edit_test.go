package domain_test

import (
	"strings"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
)

func TestDraftMergeTellsNullFromAbsent(t *testing.T) {
	stored := domain.Draft{"slug": "bts", "name": "BTS", "country": "KR", "formed": "2010"}
	got := stored.Merge(domain.Draft{"country": nil, "disbanded": "2030"})
	if _, ok := got["country"]; ok || got["formed"] != "2010" || got["disbanded"] != "2030" {
		t.Errorf("merge gave %v", got)
	}
	if stored["country"] != "KR" {
		t.Error("merge changed the draft it was called on")
	}
	c := domain.Change{Before: stored, After: got}
	var fields []string
	for _, f := range c.Fields() {
		fields = append(fields, f.Field)
	}
	if strings.Join(fields, ",") != "country,disbanded" {
		t.Errorf("fields %v", fields)
	}
}

func TestDraftDoc(t *testing.T) {
	cases := []struct {
		name  string
		kind  domain.Kind
		draft domain.Draft
		want  string // a problem, or "" for none
	}{
		{"artist", domain.KindArtist, domain.Draft{"slug": "x", "name": "X", "birthDate": "1997-09"}, ""},
		{"membership keeps its group out of the document", domain.KindMembership, domain.Draft{"group": "bts", "artist": "x"}, ""},
		{"credit position", domain.KindCredit, domain.Draft{"song": "seven", "act": "x", "role": "primary", "position": 2}, ""},
		{"held facts are edited alone", domain.KindGroup, domain.Draft{"slug": "x", "name": "X", "members": []any{}}, "input.members: facts are edited one at a time"},
		{"unknown field", domain.KindChart, domain.Draft{"slug": "x", "colour": "red"}, `input.colour: unknown field "colour"`},
		{"bad date names its field", domain.KindEvent, domain.Draft{"start": "yesterday"}, "input.start:"},
		{"no such kind", domain.Kind("Tour"), domain.Draft{}, `"Tour" is not a kind`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := c.draft.Doc(c.kind)
			if c.want == "" {
				if err != nil || doc == nil {
					t.Fatalf("got %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
	doc, _ := domain.Draft{"song": "seven", "act": "x", "role": "primary", "position": 2}.Doc(domain.KindCredit)
	if c := doc.(*domain.CreditDoc); c.Position != 0 || c.Act != "x" {
		t.Errorf("credit %+v: the position is the draft's, not the document's", c)
	}
	if kind, slug, held := (domain.Draft{"album": "golden"}).Holder(domain.KindCredit); !held || kind != domain.KindAlbum || slug != "golden" {
		t.Errorf("holder %s %s %v", kind, slug, held)
	}
	if err := domain.Hold(&domain.SongDoc{}, &domain.TrackDoc{}); err == nil {
		t.Error("a song holding a track was accepted")
	}
}
