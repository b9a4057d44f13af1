package graph

import (
	"slices"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
)

// TestEveryKindIsInTheSchema walks domain's registry of kinds: each is an
// object type of the schema, a Node and a Thing or a Fact (an Act or a
// Work as declared), with its create and update mutations.
func TestEveryKindIsInTheSchema(t *testing.T) {
	mutations := parsedSchema.Mutation
	for _, s := range domain.Kinds() {
		def := parsedSchema.Types[string(s.Kind)]
		if def == nil {
			t.Errorf("%s: no type in the schema", s.Kind)
			continue
		}
		want := []string{"Node", "Fact"}
		if s.Thing {
			want = []string{"Node", "Thing"}
		}
		if s.Act {
			want = append(want, "Act")
		}
		if s.Work {
			want = append(want, "Work")
		}
		for _, i := range want {
			if !slices.Contains(def.Interfaces, i) {
				t.Errorf("%s: does not implement %s", s.Kind, i)
			}
		}
		for _, verb := range []string{"create", "update"} {
			if mutations.Fields.ForName(verb+string(s.Kind)) == nil {
				t.Errorf("%s: no mutation %s%s", s.Kind, verb, s.Kind)
			}
		}
	}
}
