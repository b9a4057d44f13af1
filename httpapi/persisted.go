package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Error codes of persisted queries. PERSISTED_QUERY_NOT_FOUND, with the
// message PersistedQueryNotFound, is what Apollo's clients look for to send
// the query text along.
const (
	EPERSISTEDNOTFOUND   = "PERSISTED_QUERY_NOT_FOUND"
	EPERSISTEDNOTALLOWED = "PERSISTED_QUERY_NOT_ALLOWED"
)

// persistedQueries implements automatic persisted queries (a client sends
// the SHA-256 of a query, and the text only when the server does not know
// it yet) and, when only is set, refuses every query that is not on the
// server's own list.
type persistedQueries struct {
	known map[string]string // SHA-256 (hex) to query text: the server's list
	only  bool
	cache *byteLRU[string] // queries clients registered (not when only)
}

func newPersistedQueries(queries []string, only bool, maxBytes int64) persistedQueries {
	registered := newByteLRU[string](maxBytes, func(hash, query string) int64 { return int64(len(hash) + len(query)) })
	p := persistedQueries{known: map[string]string{}, only: only, cache: registered}
	for _, q := range queries {
		p.known[hashQuery(q)] = q
	}
	return p
}

func hashQuery(q string) string {
	sum := sha256.Sum256([]byte(q))
	return hex.EncodeToString(sum[:])
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = persistedQueries{}

func (persistedQueries) ExtensionName() string                   { return "PersistedQueries" }
func (persistedQueries) Validate(graphql.ExecutableSchema) error { return nil }

func (p persistedQueries) MutateOperationParameters(ctx context.Context, raw *graphql.RawParams) *gqlerror.Error {
	hash, hashed := persistedHash(raw.Extensions)
	if raw.Query == "" && hashed {
		if q, ok := p.known[hash]; ok {
			raw.Query = q
			return nil
		}
		if q, ok := p.cache.Get(ctx, hash); ok && !p.only {
			raw.Query = q
			return nil
		}
		return &gqlerror.Error{Message: "PersistedQueryNotFound", Extensions: map[string]any{"code": EPERSISTEDNOTFOUND}}
	}
	if hashed && hashQuery(raw.Query) != hash {
		return &gqlerror.Error{Message: "extensions.persistedQuery.sha256Hash is not the SHA-256 of the query", Extensions: map[string]any{"code": "BAD_REQUEST"}}
	}
	if p.only {
		if _, ok := p.known[hashQuery(raw.Query)]; !ok {
			return &gqlerror.Error{Message: "this server runs only the queries it was given (persisted queries); this is not one of them",
				Extensions: map[string]any{"code": EPERSISTEDNOTALLOWED}}
		}
		return nil
	}
	if hashed {
		p.cache.Add(ctx, hash, raw.Query)
	}
	return nil
}

// persistedHash reads extensions.persistedQuery.sha256Hash (version 1).
func persistedHash(extensions map[string]any) (string, bool) {
	pq, _ := extensions["persistedQuery"].(map[string]any)
	hash, _ := pq["sha256Hash"].(string)
	return hash, hash != ""
}
