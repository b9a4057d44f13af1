package domain

import "testing"

// TestEveryKindReadsBackAsADocument: each kind declares how a stored node
// of it becomes its document, and a held fact which thing holds it.
func TestEveryKindReadsBackAsADocument(t *testing.T) {
	for _, s := range Kinds() {
		if s.Thing != (s.thingDoc != nil) || s.Thing == (s.factDoc != nil) {
			t.Errorf("%s: a thing needs its thing document, a fact its fact document", s.Kind)
		}
		if (len(s.Holders) > 0) != (s.holderID != nil) {
			t.Errorf("%s: a held fact, and only one, says which thing holds it", s.Kind)
		}
	}
}
