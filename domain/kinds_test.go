package domain_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
)

// TestEveryKindIsDeclaredWhole walks the registry of kinds: each kind's
// document, section or holders, and IDs fit together, so that code walking
// the registry finds every part of a kind.
func TestEveryKindIsDeclaredWhole(t *testing.T) {
	datasetLists := map[string]bool{}
	for _, f := range reflect.VisibleFields(reflect.TypeFor[domain.Dataset]()) {
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); f.Type.Kind() == reflect.Slice {
			datasetLists[name] = true
		}
	}
	sections := map[string]bool{}
	for _, s := range domain.Kinds() {
		doc := s.NewDoc()
		if reflect.TypeOf(doc) != reflect.PointerTo(s.Doc) {
			t.Errorf("%s: NewDoc gives %T, want *%s", s.Kind, doc, s.Doc.Name())
		}
		if got, ok := domain.SpecOfItem(doc); !ok || got.Kind != s.Kind {
			t.Errorf("%s: its document is not found as its own", s.Kind)
		}
		if _, thing := domain.ItemThing(doc); (thing != nil) != s.Thing {
			t.Errorf("%s: thing=%v, but its document has a thing part: %v", s.Kind, s.Thing, thing != nil)
		}
		if !s.Thing && domain.FactPart(doc) == nil {
			t.Errorf("%s: a fact whose document has no fact part", s.Kind)
		}
		if s.Kind.IsThing() == s.Kind.IsFact() {
			t.Errorf("%s: thing and fact at once, or neither", s.Kind)
		}
		switch {
		case s.Section != "" && len(s.Holders) > 0:
			t.Errorf("%s: both a section and holders", s.Kind)
		case s.Section == "" && len(s.Holders) == 0:
			t.Errorf("%s: no section and no holder: fixtures cannot write it", s.Kind)
		case s.Section != "":
			if sections[s.Section] || !datasetLists[s.Section] {
				t.Errorf("%s: section %q is repeated or not a list of Dataset", s.Kind, s.Section)
			}
			sections[s.Section] = true
			var ds domain.Dataset
			if err := ds.Add(doc); err != nil || ds.ThingCount()+ds.FactCount() != 1 {
				t.Errorf("%s: Dataset.Add keeps %d things and %d facts (%v)", s.Kind, ds.ThingCount(), ds.FactCount(), err)
			}
		}
		if !s.Thing && (len(s.Key) == 0 || s.KeyDate != "" && !slices.Contains(s.Key, s.KeyDate)) {
			t.Errorf("%s: a fact with no key, or a key date %q outside its key %v", s.Kind, s.KeyDate, s.Key)
		}
		if s.Apart != "" {
			if len(s.Holders) == 0 || sections[s.Apart] || !datasetLists[s.Apart] {
				t.Errorf("%s: apart %q is a section without holders, repeated, or not a list of Dataset", s.Kind, s.Apart)
			}
			sections[s.Apart] = true
			var ds domain.Dataset
			if err := ds.Add(doc); err != nil || ds.FactCount() != 1 {
				t.Errorf("%s: Dataset.Add keeps %d facts written apart (%v)", s.Kind, ds.FactCount(), err)
			}
			holder := domain.Standalone(doc)
			if kind, thing := domain.ItemThing(holder); thing == nil || !slices.Contains(s.Holders, kind) || thing.NamedBy == "" || domain.ItemFacts(holder) != 1 {
				t.Errorf("%s: written apart, it is not held by a holder that names one of %v: %T", s.Kind, s.Holders, holder)
			}
		} else if len(s.Holders) > 0 {
			t.Errorf("%s: a held fact that cannot be written apart from its holder", s.Kind)
		}
		for _, h := range s.Holders {
			holder, ok := domain.SpecOf(h)
			if !ok || !holder.Thing {
				t.Errorf("%s: held by %s, which is not a thing", s.Kind, h)
				continue
			}
			f, ok := holder.Doc.FieldByName(strings.ToUpper(s.HeldIn[:1]) + s.HeldIn[1:])
			if !ok || f.Type != reflect.SliceOf(s.Doc) {
				t.Errorf("%s: %s has no list %q of %s", s.Kind, holder.Doc.Name(), s.HeldIn, s.Doc.Name())
			}
		}
		kind, id, err := domain.ParseGlobalID(domain.GlobalID(s.Kind, 7))
		if err != nil || kind != s.Kind || id != 7 {
			t.Errorf("%s: its IDs do not parse back: %v", s.Kind, err)
		}
	}
	for name := range datasetLists {
		if !sections[name] {
			t.Errorf("Dataset lists %q, which no kind declares as its section", name)
		}
	}
}
