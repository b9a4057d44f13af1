package httpapi

import (
	"errors"
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/artistgraph/artistgraph/domain"
)

// This file measures an operation before it runs: its cost, depth and
// aliases, and the arguments and directives it may not use. queryLimits
// (limits.go) compares the measure with the limits.

// summary is what a selection set costs: its cost, how deep it nests
// (introspection not counted) and how many aliases it holds.
type summary struct{ cost, depth, aliases int }

// measure walks an operation's selections once. Each named fragment is
// measured once and its summary reused at every spread, so the walk is
// linear in the document however fragments nest.
type measure struct {
	vars         map[string]any
	maxPage      int
	introspected listSizes
	fragments    map[string]*summary
	err          string
	invalid      string // an argument no field accepts, whatever the limits
}

func (m *measure) set(set ast.SelectionSet) summary {
	var out summary
	add := func(s summary, depthBelow int) {
		out.cost = saturate(out.cost + s.cost)
		out.aliases = saturate(out.aliases + s.aliases)
		out.depth = max(out.depth, depthBelow)
	}
	for _, sel := range set {
		m.checkDirectives(sel)
		switch s := sel.(type) {
		case *ast.Field:
			m.checkArguments(s)
			child := m.set(s.SelectionSet)
			f := summary{cost: saturate(1 + weight(s) + saturateMul(m.repeats(s), child.cost)), aliases: child.aliases}
			if s.Alias != "" && s.Alias != s.Name {
				f.aliases++
			}
			depth := child.depth
			if !strings.HasPrefix(s.Name, "__") {
				depth++
			}
			add(f, depth)
		case *ast.InlineFragment:
			child := m.set(s.SelectionSet)
			add(child, child.depth)
		case *ast.FragmentSpread:
			frag := m.fragment(s)
			add(frag, frag.depth)
		}
	}
	return out
}

// deferRefused says why @defer is refused: gqlgen accepts it, but its
// transports here would answer the deferred fields null and never send
// them; wrong data is worse than a clear no.
const deferRefused = "@defer is not served by this API: ask for the fields without it (a page's slower parts can be a second query)"

// checkDirectives refuses the directives this API does not serve.
func (m *measure) checkDirectives(sel ast.Selection) {
	var directives ast.DirectiveList
	switch s := sel.(type) {
	case *ast.Field:
		directives = s.Directives
	case *ast.InlineFragment:
		directives = s.Directives
	case *ast.FragmentSpread:
		directives = s.Directives
	}
	if m.invalid == "" && directives.ForName("defer") != nil {
		m.invalid = deferRefused
	}
}

// checkArguments refuses an argument whose value cannot be read (an
// integer literal past 64 bits) and a list argument of more than
// domain.MaxListArgument items: each item is a key to read, or an SQL
// variable.
func (m *measure) checkArguments(f *ast.Field) {
	if f.Definition == nil || m.invalid != "" {
		return
	}
	for _, arg := range f.Arguments {
		if arg.Value == nil {
			continue
		}
		v, err := arg.Value.Value(m.vars)
		if err != nil {
			reason := err
			if inner := errors.Unwrap(err); inner != nil {
				reason = inner // strconv's "value out of range", without the function name
			}
			m.invalid = fmt.Sprintf("%s(%s:): %s cannot be read: %v", f.Name, arg.Name, domain.Excerpt(arg.Value.String()), reason)
			return
		}
		def := f.Definition.Arguments.ForName(arg.Name)
		if def == nil || def.Type.Elem == nil {
			continue
		}
		if list, ok := v.([]any); ok && len(list) > domain.MaxListArgument {
			m.invalid = fmt.Sprintf("%s(%s:): %d items; at most %d", f.Name, arg.Name, len(list), domain.MaxListArgument)
			return
		}
	}
}

func (m *measure) fragment(s *ast.FragmentSpread) summary {
	if got, ok := m.fragments[s.Name]; ok {
		if got == nil {
			return summary{} // a cycle, which validation has refused already
		}
		return *got
	}
	if s.Definition == nil {
		return summary{}
	}
	m.fragments[s.Name] = nil
	got := m.set(s.Definition.SelectionSet)
	m.fragments[s.Name] = &got
	return got
}

// weight is a field's @cost weight from the schema: what it reads beyond
// what it returns.
func weight(f *ast.Field) int {
	if f.Definition == nil {
		return 0
	}
	d := f.Definition.Directives.ForName("cost")
	if d == nil {
		return 0
	}
	arg := d.Arguments.ForName("weight")
	if arg == nil || arg.Value == nil {
		return 0
	}
	v, err := arg.Value.Value(nil)
	if err != nil {
		return 0
	}
	return asInt(v)
}

// repeats is how many times a field's selections are answered: its
// `first` or `last` argument, as given, or first's default, the average size of an
// introspection list, or 1.
func (m *measure) repeats(f *ast.Field) int {
	if f.Definition == nil {
		return 1
	}
	if strings.HasPrefix(f.Name, "__") || (f.ObjectDefinition != nil && strings.HasPrefix(f.ObjectDefinition.Name, "__")) {
		if f.ObjectDefinition != nil {
			if n, ok := m.introspected[f.ObjectDefinition.Name+"."+f.Name]; ok {
				return n
			}
		}
		return 1
	}
	if d := f.Definition.Directives.ForName("listSize"); d != nil {
		return m.listSize(f, d)
	}
	arg := f.Definition.Arguments.ForName("first")
	if arg == nil {
		return 1
	}
	n := 0
	for _, name := range []string{"first", "last"} {
		given := f.Arguments.ForName(name)
		if given == nil || given.Value == nil {
			continue
		}
		size := 0
		if v, err := given.Value.Value(m.vars); err == nil {
			size = asInt(v)
		}
		// Only a page size the client asks for is refused: a default is
		// the schema's own choice.
		if m.maxPage > 0 && size > m.maxPage && m.err == "" {
			m.err = fmt.Sprintf("%s(%s: %d): at most %d items a page", f.Name, name, size, m.maxPage)
		}
		n = max(n, size)
	}
	// first's default holds unless the client gave last instead.
	if f.Arguments.ForName("first") == nil && f.Arguments.ForName("last") == nil && arg.DefaultValue != nil {
		if v, err := arg.DefaultValue.Value(nil); err == nil {
			n = asInt(v)
		}
	}
	return max(n, 1)
}

// listSize is the size of a list field that declares its slicing
// arguments: the largest of their values, or of their numbers of items.
func (m *measure) listSize(f *ast.Field, d *ast.Directive) int {
	n := 1
	names := d.Arguments.ForName("slicingArguments")
	if names == nil || names.Value == nil {
		return n
	}
	for _, name := range names.Value.Children {
		given := f.Arguments.ForName(name.Value.Raw)
		if given == nil || given.Value == nil {
			continue
		}
		v, err := given.Value.Value(m.vars)
		if err != nil {
			continue
		}
		if list, ok := v.([]any); ok {
			n = max(n, len(list))
		} else {
			n = max(n, asInt(v))
		}
	}
	return n
}

// listSizes holds, for each introspection list field ("__Type.fields"),
// how many items it answers on average in this schema.
type listSizes map[string]int

func introspectionSizes(schema *ast.Schema) listSizes {
	// Each list is asked for of every type (or field), and answers null on
	// those without it: the mean is over all of them.
	var types, fields, inputs, enums, args, ifaces, possible, values int
	for _, t := range schema.Types {
		types++
		switch t.Kind {
		case ast.Object, ast.Interface:
			fields += len(t.Fields)
			for _, f := range t.Fields {
				values++
				args += len(f.Arguments)
			}
			ifaces += len(t.Interfaces)
			possible += len(schema.PossibleTypes[t.Name])
		case ast.InputObject:
			inputs += len(t.Fields)
		case ast.Enum:
			enums += len(t.EnumValues)
		case ast.Union:
			possible += len(t.Types)
		}
	}
	for _, d := range schema.Directives {
		values++
		args += len(d.Arguments)
	}
	mean := func(sum, n int) int { return max(1, (sum+n-1)/max(n, 1)) }
	return listSizes{
		"__Schema.types":       types,
		"__Schema.directives":  max(1, len(schema.Directives)),
		"__Type.fields":        mean(fields, types),
		"__Type.inputFields":   mean(inputs, types),
		"__Type.enumValues":    mean(enums, types),
		"__Type.interfaces":    mean(ifaces, types),
		"__Type.possibleTypes": mean(possible, types),
		"__Field.args":         mean(args, values),
		"__Directive.args":     mean(args, values),
	}
}

func asInt(v any) int {
	switch n := v.(type) {
	case int:
		return n
	case int64:
		return int(min(n, 1<<31))
	case float64:
		return int(min(n, 1<<31))
	}
	return 0
}

const costCap = 1 << 40

func saturate(n int) int { return min(n, costCap) }

func saturateMul(a, b int) int {
	if a != 0 && b > costCap/a {
		return costCap
	}
	return a * b
}
