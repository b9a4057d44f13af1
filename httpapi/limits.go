package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/artistgraph/artistgraph/domain"
)

// Limits bound what one request may ask of the server. A zero field takes
// its default (DefaultLimits); a negative one turns that limit off.
type Limits struct {
	// MaxDepth is how deeply fields may nest (introspection not counted).
	MaxDepth int
	// MaxComplexity bounds the cost of an operation: each field costs 1,
	// and what is under a paginated field (one with `first`) costs as
	// many times as `first` asks for.
	MaxComplexity int
	// MaxAliases is how many aliased fields one operation may have.
	MaxAliases int
	// MaxTokens is how many lexical tokens a query may have.
	MaxTokens int
	// MaxPageSize is the largest `first` any field may ask for (the store
	// never returns more than domain.MaxPageSize either).
	MaxPageSize int
	// Timeout is the wall-clock time one request may take; its context is
	// cancelled then, which stops SQLite mid-statement.
	Timeout time.Duration
	// MaxConcurrent is how many GraphQL requests run at once; more wait
	// for a turn, up to QueueWait, and are then refused with 503 and code
	// BUSY. Subscriptions are not counted.
	MaxConcurrent int
	// QueueWait is how long a request waits for a turn when MaxConcurrent
	// are running.
	QueueWait time.Duration
}

// DefaultLimits are generous for the playground and a wiki's pages, and
// small enough that one request cannot occupy the server.
var DefaultLimits = Limits{
	MaxDepth:      20,
	MaxComplexity: 100_000,
	MaxAliases:    30,
	MaxTokens:     10_000,
	MaxPageSize:   domain.MaxPageSize,
	Timeout:       10 * time.Second,
	MaxConcurrent: 64,
	QueueWait:     2 * time.Second,
}

// Error codes of refused requests.
const (
	ELIMIT     = "LIMIT_EXCEEDED"
	ETIMEOUT   = "TIMEOUT"
	EBUSY      = "BUSY"
	ECANCELLED = "CANCELLED"
)

func (l Limits) withDefaults() Limits {
	pick := func(v, def int) int {
		switch {
		case v == 0:
			return def
		case v < 0:
			return 0
		}
		return v
	}
	d := DefaultLimits
	l.MaxDepth = pick(l.MaxDepth, d.MaxDepth)
	l.MaxComplexity = pick(l.MaxComplexity, d.MaxComplexity)
	l.MaxAliases = pick(l.MaxAliases, d.MaxAliases)
	l.MaxTokens = pick(l.MaxTokens, d.MaxTokens)
	l.MaxPageSize = pick(l.MaxPageSize, d.MaxPageSize)
	l.MaxConcurrent = pick(l.MaxConcurrent, d.MaxConcurrent)
	for _, t := range []struct {
		v   *time.Duration
		def time.Duration
	}{{&l.Timeout, d.Timeout}, {&l.QueueWait, d.QueueWait}} {
		switch {
		case *t.v == 0:
			*t.v = t.def
		case *t.v < 0:
			*t.v = 0
		}
	}
	return l
}

// queryLimits is the gqlgen extension that measures an operation after
// validation and refuses it, before it runs, when it asks too much.
type queryLimits struct{ Limits }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = queryLimits{}

func (queryLimits) ExtensionName() string                   { return "QueryLimits" }
func (queryLimits) Validate(graphql.ExecutableSchema) error { return nil }
func (q queryLimits) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation == nil {
		return nil
	}
	m := measure{vars: op.Variables, maxPage: q.MaxPageSize}
	complexity := m.cost(op.Operation.SelectionSet, 1)
	var problem string
	switch {
	case m.err != "":
		problem = m.err
	case q.MaxDepth > 0 && m.depth > q.MaxDepth:
		problem = fmt.Sprintf("the query nests %d fields deep; at most %d", m.depth, q.MaxDepth)
	case q.MaxAliases > 0 && m.aliases > q.MaxAliases:
		problem = fmt.Sprintf("the query has %d aliases; at most %d", m.aliases, q.MaxAliases)
	case q.MaxComplexity > 0 && complexity > q.MaxComplexity:
		problem = fmt.Sprintf("the query would cost %d (a field costs 1, and what is under a field with `first` as many times as it asks for); at most %d: ask for smaller pages or fewer levels", complexity, q.MaxComplexity)
	default:
		return nil
	}
	return &gqlerror.Error{Message: problem, Extensions: map[string]any{"code": ELIMIT}}
}

// measure walks an operation's selections, fragments included.
type measure struct {
	vars           map[string]any
	maxPage        int
	depth, aliases int
	err            string
}

// cost is the complexity of a selection set at a depth, saturating rather
// than overflowing on absurd queries.
func (m *measure) cost(set ast.SelectionSet, depth int) int {
	total := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") {
				continue // introspection: the playground's own, and cheap
			}
			m.depth = max(m.depth, depth)
			if s.Alias != "" && s.Alias != s.Name {
				m.aliases++
			}
			total = saturate(total + 1 + saturateMul(m.first(s), m.cost(s.SelectionSet, depth+1)))
		case *ast.InlineFragment:
			total = saturate(total + m.cost(s.SelectionSet, depth))
		case *ast.FragmentSpread:
			if s.Definition != nil {
				total = saturate(total + m.cost(s.Definition.SelectionSet, depth))
			}
		}
	}
	return total
}

// first is how many times a field's selections repeat: its `first`
// argument, as given or by default, or 1 for a field without one.
func (m *measure) first(f *ast.Field) int {
	if f.Definition == nil {
		return 1
	}
	arg := f.Definition.Arguments.ForName("first")
	if arg == nil {
		return 1
	}
	n := 0
	if given := f.Arguments.ForName("first"); given != nil && given.Value != nil {
		if v, err := given.Value.Value(m.vars); err == nil {
			n = asInt(v)
		}
		// Only a page size the client asks for is refused: a default is
		// the schema's own choice.
		if m.maxPage > 0 && n > m.maxPage && m.err == "" {
			m.err = fmt.Sprintf("%s(first: %d): at most %d items a page", f.Name, n, m.maxPage)
		}
	} else if arg.DefaultValue != nil {
		if v, err := arg.DefaultValue.Value(nil); err == nil {
			n = asInt(v)
		}
	}
	return max(n, 1)
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

// limitRequests bounds how many requests run at once and how long each may
// take. A request over the bound waits its turn for a short while, so that
// a burst is served rather than refused, then is refused: a longer queue
// would only hold work the client has given up on.
func limitRequests(l Limits, next http.Handler) http.Handler {
	var slots chan struct{}
	if l.MaxConcurrent > 0 {
		slots = make(chan struct{}, l.MaxConcurrent)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" {
			next.ServeHTTP(w, r) // a subscription lives as long as its client
			return
		}
		if slots != nil {
			if !takeTurn(r.Context(), slots, l.QueueWait) {
				w.Header().Set("Retry-After", "1")
				writeError(w, r, http.StatusServiceUnavailable, EBUSY, fmt.Sprintf("the server is answering %d requests already; retry in a moment", l.MaxConcurrent))
				return
			}
			defer func() { <-slots }()
		}
		if l.Timeout > 0 {
			ctx, cancel := context.WithTimeout(r.Context(), l.Timeout)
			defer cancel()
			r = r.WithContext(context.WithValue(ctx, timeoutKey{}, l.Timeout))
		}
		next.ServeHTTP(w, r)
	})
}

// takeTurn takes a slot, waiting up to wait for one; false when none came
// (or the client left).
func takeTurn(ctx context.Context, slots chan struct{}, wait time.Duration) bool {
	select {
	case slots <- struct{}{}:
		return true
	default:
	}
	if wait <= 0 {
		return false
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case slots <- struct{}{}:
		return true
	case <-timer.C:
		return false
	case <-ctx.Done():
		return false
	}
}

type timeoutKey struct{}

// reportTimeouts answers an operation whose time ran out before it could
// answer at all with a TIMEOUT error: gqlgen would end it with no response,
// which a client receives as "null".
func reportTimeouts(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	respond := next(ctx)
	op := graphql.GetOperationContext(ctx)
	if op.Operation != nil && op.Operation.Operation == ast.Subscription {
		return respond
	}
	reported := false
	return func(ctx context.Context) *graphql.Response {
		resp := respond(ctx)
		limit, limited := ctx.Value(timeoutKey{}).(time.Duration)
		if resp != nil || reported || !limited || !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return resp
		}
		reported = true
		return &graphql.Response{Errors: gqlerror.List{{
			Message:    fmt.Sprintf("the request took longer than %s and was stopped", limit),
			Extensions: map[string]any{"code": ETIMEOUT, "requestId": requestID(ctx)},
		}}}
	}
}
