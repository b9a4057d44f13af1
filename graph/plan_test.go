package graph

import (
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
)

// unplanned names every field that leads from a node to other nodes but
// that the planner does not read ahead (plan.go): below a root field, these
// fall back to the loaders' batching, or read on their own (a timeline).
var unplanned = map[string]string{
	"Thing.related":              "bounded per thing (Steps); batched by a loader",
	"Artist.timeline":            "one act's whole career, read per act",
	"Group.timeline":             "one act's whole career, read per act",
	"Group.membersOn":            "read per group",
	"Source.cites":               "the loaders batch it",
	"Record.subjects":            "the loaders batch it",
	"Performance.setList":        "the loaders batch it",
	"Performance.performerAges":  "computed from the performers",
	"Thing.history":              "one node's changes",
	"Membership.history":         "one node's changes",
	"Credit.history":             "one node's changes",
	"Track.history":              "one node's changes",
	"AwardResult.history":        "one node's changes",
	"Performance.history":        "one node's changes",
	"ChartRun.history":           "one node's changes",
	"Milestone.history":          "one node's changes",
	"Record.history":             "one node's changes",
	"Signing.history":            "one node's changes",
	"LabelRelease.history":       "one node's changes",
	"Record.check":               "computed from the graph per record",
	"Milestone.daysSinceRelease": "computed from the work",
	"Membership.ageAtStart":      "computed from the artist",
	"Credit.creditedAs":          "computed from the act",
}

// TestEveryRelationIsPlannedOrNamed walks the schema: every field of a node
// type that leads to nodes (or to a connection of them) is either declared to the planner or named in
// unplanned, so that what falls back to the loaders is a choice.
func TestEveryRelationIsPlannedOrNamed(t *testing.T) {
	isNodeType := func(name string) bool {
		def := parsedSchema.Types[name]
		if def == nil {
			return false
		}
		if name == "Node" || strings.HasSuffix(name, "Connection") {
			return true
		}
		return slices.ContainsFunc(parsedSchema.GetPossibleTypes(def), func(d *ast.Definition) bool {
			return slices.ContainsFunc(d.Interfaces, func(i string) bool { return i == "Node" })
		})
	}
	for _, def := range parsedSchema.Types {
		// The planner walks nodes; other objects (a timeline's entries, a
		// path's steps) come from root fields or fields it does not plan.
		if def.Kind != ast.Object || !slices.Contains(def.Interfaces, "Node") {
			continue
		}
		thing := slices.Contains(def.Interfaces, "Thing")
		for _, f := range def.Fields {
			if !isNodeType(f.Type.Name()) {
				continue
			}
			if _, ok := relationOf(def.Name, f.Name); ok {
				continue
			}
			if _, ok := unplanned[def.Name+"."+f.Name]; ok {
				continue
			}
			if _, ok := unplanned["Thing."+f.Name]; ok && thing {
				continue
			}
			t.Errorf("%s.%s leads to nodes: declare it in relations (plan.go) or name it in unplanned", def.Name, f.Name)
		}
	}
	for typ, fields := range relations {
		for field := range fields {
			def := parsedSchema.Types[typ]
			if def != nil && def.Kind == ast.Interface {
				// Declared for every type of the interface: each has the field.
				for _, d := range parsedSchema.GetPossibleTypes(def) {
					if d.Fields.ForName(field) == nil {
						t.Errorf("relations declares %s.%s, which %s does not have", typ, field, d.Name)
					}
				}
				def = parsedSchema.GetPossibleTypes(def)[0]
			}
			if def == nil || def.Fields.ForName(field) == nil {
				t.Errorf("relations declares %s.%s, which the schema does not have", typ, field)
				continue
			}
			// The planner reads a field's nodes once per kind they may be.
			to := parsedSchema.Types[def.Fields.ForName(field).Type.Name()]
			if n := len(parsedSchema.GetPossibleTypes(to)); n > 3 {
				t.Errorf("%s.%s may be any of %d kinds; the planner reads each, so plan fields of at most 3", typ, field, n)
			}
		}
	}
	for name := range unplanned {
		typ, field, _ := strings.Cut(name, ".")
		if typ == "Thing" {
			continue
		}
		if def := parsedSchema.Types[typ]; def == nil || def.Fields.ForName(field) == nil {
			t.Errorf("unplanned names %s, which the schema does not have", name)
		}
	}
}
