package domain

import (
	"io"
	"strconv"
)

// Text is an optional string attribute: empty means no source gave it, and
// GraphQL shows that as null rather than "".
type Text string

// MarshalGQL writes the text, or null when empty.
func (t Text) MarshalGQL(w io.Writer) {
	if t == "" {
		_, _ = io.WriteString(w, "null")
		return
	}
	_, _ = io.WriteString(w, strconv.Quote(string(t)))
}

// UnmarshalGQL reads a GraphQL String.
func (t *Text) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return Errorf(EINVALID, "want a string")
	}
	*t = Text(s)
	return nil
}
