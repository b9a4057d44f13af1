package domain

import (
	"io"
	"slices"
	"strconv"
	"strings"
)

// Support is how a fact's sources support it: its provenance. A fact
// states "stated" unless its document says otherwise, and the store keeps
// that as "" so that most facts cost nothing.
type Support string

// The kinds of support, in fixture spelling; GraphQL spells them in
// capitals.
const (
	// SupportStated: the sources state the fact as written.
	SupportStated Support = "stated"
	// SupportEstimated: the fact (most often a date) is an estimate from
	// what the sources state, such as a month worked out from a rate.
	SupportEstimated Support = "estimated"
	// SupportInferred: the fact follows from what the sources state, but
	// none states it.
	SupportInferred Support = "inferred"
)

// Supports lists the values a fact's "support" takes.
var Supports = []string{string(SupportStated), string(SupportEstimated), string(SupportInferred)}

// Or gives the support a fact has: stated when none is given.
func (s Support) Or() Support {
	if s == "" {
		return SupportStated
	}
	return s
}

// Stored is how the store keeps a support: "" for stated.
func (s Support) Stored() string {
	if s.Or() == SupportStated {
		return ""
	}
	return string(s)
}

// Weakest returns the least sure of supports: inferred, then estimated,
// then stated.
func Weakest(supports ...Support) Support {
	out := SupportStated
	for _, s := range supports {
		if slices.Index(Supports, string(s.Or())) > slices.Index(Supports, string(out)) {
			out = s.Or()
		}
	}
	return out
}

// MarshalGQL writes the support as its GraphQL enum value.
func (s Support) MarshalGQL(w io.Writer) {
	_, _ = io.WriteString(w, strconv.Quote(strings.ToUpper(string(s.Or()))))
}

// UnmarshalGQL reads a GraphQL enum value.
func (s *Support) UnmarshalGQL(v any) error {
	text, ok := v.(string)
	if !ok || !slices.Contains(Supports, strings.ToLower(text)) {
		return Errorf(EINVALID, "%v is not a support: give STATED, ESTIMATED or INFERRED", v)
	}
	*s = Support(strings.ToLower(text))
	return nil
}
