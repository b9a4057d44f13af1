package seed_test

import (
	"strings"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/seed"
)

// What a fixture states wrongly is refused with the field and the reason,
// not stored as something else.
func TestFixturesRefuseImpossibleFacts(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"a peak of 0", `{"sources": [{"slug": "s", "name": "S"}], "charts": [{"slug": "c", "name": "C"}], "songs": [{"slug": "song", "name": "Song"}],
			"chartRuns": [{"chart": "c", "song": "song", "peak": 0, "sources": ["s"]}]}`, `chartRuns[0].peak: must be at least 1 (0 given)`},
		{"a duration of 0", `{"songs": [{"slug": "song", "name": "Song", "durationSeconds": 0}]}`, `songs[0].durationSeconds: must be at least 1`},
		{"a country that is a name", `{"artists": [{"slug": "harry", "name": "Harry", "country": "England"}]}`, `artists[0].country: "England" is not an ISO 3166-1 alpha-2 country code`},
		{"a country in lower case", `{"artists": [{"slug": "harry", "name": "Harry", "country": "gb"}]}`, `"gb" is not an ISO 3166-1`},
		{"a country that does not exist", `{"groups": [{"slug": "g", "name": "G", "country": "QQ"}]}`, `groups[0].country: "QQ"`},
		{"a url that is not one", `{"sources": [{"slug": "s", "name": "S", "url": "en.wikipedia.org/wiki/X"}]}`, `sources[0].url: "en.wikipedia.org/wiki/X" is not a web address`},
		{"overlapping stints", `{"sources": [{"slug": "s", "name": "S"}], "artists": [{"slug": "harry", "name": "Harry"}],
			"groups": [{"slug": "g", "name": "G", "members": [
				{"artist": "harry", "start": "2010-07-23", "end": "2016", "sources": ["s"]},
				{"artist": "harry", "start": "2012", "sources": ["s"]}]}]}`, `groups[0].members[1].start: harry is already a member then (from 2010-07-23 to 2016)`},
		{"a song performed before its release", `{"sources": [{"slug": "s", "name": "S"}], "artists": [{"slug": "harry", "name": "Harry"}],
			"songs": [{"slug": "song", "name": "Song", "released": "2022-04-01"}],
			"events": [{"slug": "e", "name": "E", "kind": "concert", "start": "2021-09-04", "performances": [{"performers": ["harry"], "setList": [{"song": "song"}], "sources": ["s"]}]}]}`,
			`events[0].performances[0].setList[0].song: 2021-09-04 is before song was released (2022-04-01)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := check(tt.doc)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error saying %q", err, tt.want)
			}
		})
	}
	// What is right passes: a second stint after the first, a known country.
	ok := `{"sources": [{"slug": "s", "name": "S", "url": "https://example.org/a"}], "artists": [{"slug": "harry", "name": "Harry", "country": "GB"}],
		"groups": [{"slug": "g", "name": "G", "country": "KR", "members": [
			{"artist": "harry", "start": "2010", "end": "2012-03", "sources": ["s"]},
			{"artist": "harry", "start": "2012-05", "sources": ["s"]}]}]}`
	if err := check(ok); err != nil {
		t.Errorf("a valid fixture: %v", err)
	}
}

func check(doc string) error {
	ds, err := seed.Decode([]byte(doc))
	if err != nil {
		return err
	}
	// As a load checks items: every thing first, then the facts.
	v := domain.NewValidator(nil)
	_ = ds.Each(func(item any) error { v.Thing(item); return nil })
	_ = ds.Each(func(item any) error { v.Facts(item); return nil })
	return v.Err()
}
