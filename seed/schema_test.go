package seed_test

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/seed"
)

// fixture.schema.json must accept exactly the fields the loader accepts, so
// that an editor's completion never suggests a field the loader refuses.
func TestSchemaMatchesTheLoader(t *testing.T) {
	raw, err := os.ReadFile("fixture.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	type object struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	var schema struct {
		object
		Defs map[string]object `json:"$defs"`
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	// Each kind's document is the $defs entry named after it ("artist",
	// "chartRun"), so a new kind's is checked too; then the parts several
	// documents share.
	defs := map[string]reflect.Type{
		"work": reflect.TypeFor[domain.WorkRef](), "setListEntry": reflect.TypeFor[domain.SetListDoc](),
		"ranking": reflect.TypeFor[domain.RankingDoc](), "name": reflect.TypeFor[domain.NameDoc](),
		"quantity": reflect.TypeFor[domain.Quantity](), "education": reflect.TypeFor[domain.Education](),
	}
	for _, k := range domain.Kinds() {
		defs[strings.ToLower(string(k.Kind[:1]))+string(k.Kind[1:])] = k.Doc
	}
	check := func(what string, props map[string]json.RawMessage, typ reflect.Type) {
		want := jsonFields(typ)
		var got []string
		for k := range props {
			got = append(got, k)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: the schema has %v, the loader takes %v", what, got, want)
		}
	}
	check("top level", schema.Properties, reflect.TypeFor[domain.Dataset]())
	for name, typ := range defs {
		def, ok := schema.Defs[name]
		if !ok {
			t.Errorf("the schema has no $defs/%s", name)
			continue
		}
		check(name, def.Properties, typ)
	}
}

// jsonFields lists the JSON names encoding/json reads into a struct.
func jsonFields(t reflect.Type) []string {
	var names []string
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case name == "-":
		case f.Anonymous && name == "":
			names = append(names, jsonFields(f.Type)...)
		case name != "":
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// TestEveryKindHasFixtureRows walks the registry of kinds: the built-in
// fixtures hold at least one of each, so every kind is loaded, exported and
// served by the tests that use them.
func TestEveryKindHasFixtureRows(t *testing.T) {
	ds, err := seed.ReadFS(seed.Fixtures())
	if err != nil {
		t.Fatal(err)
	}
	count := map[domain.Kind]int{}
	_ = ds.Each(func(item any) error {
		s, _ := domain.SpecOfItem(item)
		count[s.Kind]++
		domain.HeldFacts(item, func(k domain.Kind, _ string, _ int, _ *domain.FactDoc) { count[k]++ })
		return nil
	})
	for _, s := range domain.Kinds() {
		if count[s.Kind] == 0 {
			t.Errorf("%s: the built-in fixtures hold none", s.Kind)
		}
	}
}

// seed/README.md's table of how facts are matched must say what the
// declarations do.
func TestReadmeSaysHowEachFactIsMatched(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range domain.Kinds() {
		if k.Thing {
			continue
		}
		row := "| " + k.Kind.Noun() + " | " + strings.Join(k.Key, ", ") + " |"
		if !strings.Contains(string(readme), row) {
			t.Errorf("README.md has no row %q", row)
		}
	}
}

// The schema's identifiers of each kind are the ones the validator takes.
func TestSchemaListsEachKindsIdentifiers(t *testing.T) {
	raw, err := os.ReadFile("fixture.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Defs map[string]struct {
			Properties struct {
				IDs struct {
					Properties map[string]json.RawMessage `json:"properties"`
				} `json:"ids"`
			} `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	for _, kind := range domain.ThingKinds() {
		def := strings.ToLower(string(kind[:1])) + string(kind[1:])
		var got []string
		for scheme := range schema.Defs[def].Properties.IDs.Properties {
			got = append(got, scheme)
		}
		want := domain.SchemesOf(kind)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: the schema's ids are %v, the loader's %v", kind, got, want)
		}
	}
}
