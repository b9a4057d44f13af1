package seed_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/seed"
	"github.com/artistgraph/artistgraph/storetest"
)

// A fixture that restates a stored thing to add to it changes only what it
// states: a minimal restatement of Harry Styles and One Direction used to
// wipe their other names, birthplace, occupations, founding date, country,
// alias and sources.
func TestRestatingAThingKeepsWhatTheFileLeavesOut(t *testing.T) {
	ctx := context.Background()
	db := storetest.SeededSQLite(t)
	draft := func(kind domain.Kind, slug string) domain.Draft {
		t.Helper()
		id, err := db.IDBySlug(ctx, kind, slug)
		if err != nil {
			t.Fatal(err)
		}
		_, d, err := db.Draft(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	harry, band := draft(domain.KindArtist, "harry-styles"), draft(domain.KindGroup, "one-direction")

	file := filepath.Join(t.TempDir(), "grow.json")
	write := func(doc string) {
		t.Helper()
		if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := seed.Load(ctx, db, file); err != nil {
			t.Fatal(err)
		}
	}
	write(`{
	  "artists": [{"slug": "harry-styles", "name": "Harry Styles", "occupations": ["author"], "names": [{"value": "Harold", "locale": "en", "kind": "alias"}], "note": null}],
	  "groups": [{"slug": "one-direction", "name": "One Direction", "members": [
	    {"artist": "harry-styles", "roles": ["vocalist"], "start": "2010-07-23", "sources": ["wikipedia-one-direction"]}]}]
	}`)
	grown := draft(domain.KindArtist, "harry-styles")
	for _, field := range []string{"birthDate", "birthPlace", "country", "description", "sources"} {
		if !reflect.DeepEqual(grown[field], harry[field]) {
			t.Errorf("harry-styles %s: %v, was %v", field, grown[field], harry[field])
		}
	}
	if got := grown["occupations"]; !reflect.DeepEqual(got, []any{"singer", "songwriter", "actor", "author"}) {
		t.Errorf("occupations merged: %v", got)
	}
	if names, _ := grown["names"].([]any); len(names) != len(harry["names"].([]any))+1 {
		t.Errorf("names merged: %v, were %v", grown["names"], harry["names"])
	}
	if !reflect.DeepEqual(draft(domain.KindGroup, "one-direction"), band) {
		t.Errorf("one-direction changed: %v, was %v", draft(domain.KindGroup, "one-direction"), band)
	}

	// A list the item says it states in full replaces the stored one; null
	// clears a field.
	write(`{"artists": [{"slug": "harry-styles", "name": "Harry Styles", "occupations": ["singer"], "replace": ["occupations"], "birthPlace": null}]}`)
	replaced := draft(domain.KindArtist, "harry-styles")
	if got := replaced["occupations"]; !reflect.DeepEqual(got, []any{"singer"}) {
		t.Errorf("occupations replaced: %v", got)
	}
	if _, ok := replaced["birthPlace"]; ok {
		t.Errorf("birthPlace after null: %v", replaced["birthPlace"])
	}
	if replaced["birthDate"] != harry["birthDate"] {
		t.Errorf("birthDate lost: %v", replaced["birthDate"])
	}
}

func TestReplaceNamesAListOfTheThing(t *testing.T) {
	err := check(`{"artists": [{"slug": "a", "name": "A", "replace": ["birthDate"]}]}`)
	want := `artists[0].replace[0]: "birthDate" is not a list of this artist: give names, sources, occupations, education`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want %q", err, want)
	}
}
