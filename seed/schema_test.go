package seed_test

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
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
	defs := map[string]reflect.Type{
		"source": reflect.TypeFor[domain.SourceDoc](), "artist": reflect.TypeFor[domain.ArtistDoc](),
		"group": reflect.TypeFor[domain.GroupDoc](), "membership": reflect.TypeFor[domain.MembershipDoc](),
		"credit": reflect.TypeFor[domain.CreditDoc](), "song": reflect.TypeFor[domain.SongDoc](),
		"track": reflect.TypeFor[domain.TrackDoc](), "album": reflect.TypeFor[domain.AlbumDoc](),
		"work": reflect.TypeFor[domain.WorkRef](), "awardResult": reflect.TypeFor[domain.AwardResultDoc](),
		"award": reflect.TypeFor[domain.AwardDoc](), "setListEntry": reflect.TypeFor[domain.SetListDoc](),
		"performance": reflect.TypeFor[domain.PerformanceDoc](), "event": reflect.TypeFor[domain.EventDoc](),
		"chart": reflect.TypeFor[domain.ChartDoc](), "platform": reflect.TypeFor[domain.PlatformDoc](),
		"chartRun": reflect.TypeFor[domain.ChartRunDoc](), "milestone": reflect.TypeFor[domain.MilestoneDoc](),
		"ranking": reflect.TypeFor[domain.RankingDoc](), "record": reflect.TypeFor[domain.RecordDoc](),
		"name": reflect.TypeFor[domain.NameDoc](), "quantity": reflect.TypeFor[domain.Quantity](),
		"education": reflect.TypeFor[domain.Education](),
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
