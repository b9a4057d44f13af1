package model

import (
	"encoding/json"
	"fmt"

	"github.com/99designs/gqlgen/graphql"

	"github.com/artistgraph/artistgraph/domain"
)

// MarshalInt64 writes an Int64 as a JSON number.
func MarshalInt64(i int64) graphql.Marshaler { return graphql.MarshalInt64(i) }

// UnmarshalInt64 reads an Int64 from a variable: a whole number within 64
// bits, as a JSON number or a string of digits. Anything else is the
// client's mistake (INVALID, saying what was sent), not an internal error.
func UnmarshalInt64(v any) (int64, error) {
	switch v.(type) {
	case float64, float32:
		// encoding/json without UseNumber; gqlgen decodes with UseNumber.
		return 0, domain.Errorf(domain.EINVALID, "Int64: %v is not a whole number within 64 bits", v)
	case json.Number, string, int, int8, int16, int32, int64, nil:
	default:
		return 0, domain.Errorf(domain.EINVALID, "Int64: a %s is not a whole number", jsonKind(v))
	}
	n, err := graphql.UnmarshalInt64(v)
	if err != nil {
		return 0, domain.Errorf(domain.EINVALID, "Int64: %s is not a whole number within 64 bits", domain.Excerpt(fmt.Sprint(v)))
	}
	return n, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case bool:
		return "boolean"
	case []any:
		return "list"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}
