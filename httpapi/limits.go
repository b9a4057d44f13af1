package httpapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/artistgraph/artistgraph/domain"
)

// Limits bound what one request may ask of the server, on every transport
// (POST, GET, websocket and in-process Query alike). A zero field takes its
// default (DefaultLimits); a negative one turns that limit off.
type Limits struct {
	// MaxDepth is how deeply fields may nest (introspection not counted).
	MaxDepth int
	// MaxComplexity bounds the cost of an operation: each field costs 1
	// plus its @cost weight (fields that read much more than they return,
	// such as timeline or path), what is under a paginated field (one with
	// `first`) costs as many times as `first` asks for, and what is under
	// an introspection list as many times as the schema's lists hold on
	// average. Each fragment is measured once, however often it is spread.
	MaxComplexity int
	// MaxAliases is how many aliased fields one operation may have,
	// introspection included, counting a fragment's at each spread.
	MaxAliases int
	// MaxTokens is how many lexical tokens a query may have.
	MaxTokens int
	// MaxFields is how many field selections a query document may hold,
	// counted as written, before the document is validated: validation
	// compares fields pairwise, so this keeps it cheap.
	MaxFields int
	// MaxPageSize is the largest `first` any field may ask for; at most
	// domain.MaxPageSize, which the store enforces too.
	MaxPageSize int
	// MaxResponseBytes caps the JSON data of one answer; a larger answer
	// is replaced by a LIMIT_EXCEEDED error.
	MaxResponseBytes int
	// Timeout is the wall-clock time one operation may take; its context
	// is cancelled then, which stops SQLite mid-statement.
	Timeout time.Duration
	// BodyTimeout is how long a client may take to send a request body.
	// A request counts against MaxConcurrent only once its body is in.
	BodyTimeout time.Duration
	// MaxConcurrent is how many queries and mutations run at once, over
	// HTTP and websockets together; more wait for a turn, up to QueueWait,
	// and are then refused with code BUSY (503 over HTTP).
	MaxConcurrent int
	// QueueWait is how long a request waits for a turn when MaxConcurrent
	// are running.
	QueueWait time.Duration
	// MaxWebsockets is how many websocket connections may be open at once.
	MaxWebsockets int
	// MaxSubscriptions is how many operations one websocket connection may
	// have running at once.
	MaxSubscriptions int
	// WebsocketInit is how long a new websocket connection has to send
	// connection_init before it is closed.
	WebsocketInit time.Duration
	// WebsocketIdle closes a websocket connection that has had no
	// operation running for this long.
	WebsocketIdle time.Duration
	// QueryCacheBytes bounds the memory of the cache of parsed queries
	// (and of the queries clients registered as persisted).
	QueryCacheBytes int
}

// DefaultLimits are generous for the playground and a wiki's pages, and
// small enough that one request cannot occupy the server.
var DefaultLimits = Limits{
	MaxDepth:         20,
	MaxComplexity:    100_000,
	MaxAliases:       30,
	MaxTokens:        10_000,
	MaxFields:        500,
	MaxPageSize:      domain.MaxPageSize,
	MaxResponseBytes: 8 << 20,
	Timeout:          10 * time.Second,
	BodyTimeout:      10 * time.Second,
	MaxConcurrent:    64,
	QueueWait:        2 * time.Second,
	MaxWebsockets:    256,
	MaxSubscriptions: 20,
	WebsocketInit:    5 * time.Second,
	WebsocketIdle:    5 * time.Minute,
	QueryCacheBytes:  64 << 20,
}

// Error codes of refused requests.
const (
	ELIMIT     = "LIMIT_EXCEEDED"
	ETIMEOUT   = "TIMEOUT"
	EBUSY      = "BUSY"
	ECANCELLED = "CANCELLED"
)

// Check says what is wrong with limits a caller set: a page size the store
// would refuse, say. Zero and negative values are fine (default and off).
func (l Limits) Check() error {
	if l.MaxPageSize > domain.MaxPageSize {
		return fmt.Errorf("the largest page size is %d; %d asked for", domain.MaxPageSize, l.MaxPageSize)
	}
	return nil
}

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
	l.MaxFields = pick(l.MaxFields, d.MaxFields)
	l.MaxPageSize = min(pick(l.MaxPageSize, d.MaxPageSize), domain.MaxPageSize)
	l.MaxResponseBytes = pick(l.MaxResponseBytes, d.MaxResponseBytes)
	l.MaxConcurrent = pick(l.MaxConcurrent, d.MaxConcurrent)
	l.MaxWebsockets = pick(l.MaxWebsockets, d.MaxWebsockets)
	l.MaxSubscriptions = pick(l.MaxSubscriptions, d.MaxSubscriptions)
	l.QueryCacheBytes = pick(l.QueryCacheBytes, d.QueryCacheBytes)
	for _, t := range []struct {
		v   *time.Duration
		def time.Duration
	}{{&l.Timeout, d.Timeout}, {&l.BodyTimeout, d.BodyTimeout}, {&l.QueueWait, d.QueueWait}, {&l.WebsocketInit, d.WebsocketInit}, {&l.WebsocketIdle, d.WebsocketIdle}} {
		switch {
		case *t.v == 0:
			*t.v = t.def
		case *t.v < 0:
			*t.v = 0
		}
	}
	return l
}

func limitError(format string, args ...any) *gqlerror.Error {
	return &gqlerror.Error{Message: fmt.Sprintf(format, args...), Extensions: map[string]any{"code": ELIMIT}}
}

// queryLimits is the gqlgen extension that refuses, before it runs, an
// operation that asks too much: the document's size before it is validated
// (validation is superlinear in the fields), and its depth, aliases and
// cost once it is.
type queryLimits struct {
	Limits
	cache        graphql.Cache[*ast.QueryDocument]
	introspected listSizes
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
	graphql.OperationContextMutator
	graphql.ResponseInterceptor
} = queryLimits{}

func newQueryLimits(l Limits, schema *ast.Schema, cache graphql.Cache[*ast.QueryDocument]) queryLimits {
	return queryLimits{Limits: l, cache: cache, introspected: introspectionSizes(schema)}
}

func (queryLimits) ExtensionName() string                   { return "QueryLimits" }
func (queryLimits) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters counts the fields of a document as written, in
// one pass, before gqlgen validates it. A document the cache holds has been
// counted before.
func (q queryLimits) MutateOperationParameters(ctx context.Context, raw *graphql.RawParams) *gqlerror.Error {
	if q.MaxFields <= 0 || raw.Query == "" {
		return nil
	}
	if _, cached := q.cache.Get(ctx, raw.Query); cached {
		return nil
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: raw.Query}, q.MaxTokens)
	if err != nil {
		return nil // gqlgen reports it, with its position
	}
	fields := 0
	var count func(ast.SelectionSet)
	count = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				fields++
				count(s.SelectionSet)
			case *ast.InlineFragment:
				count(s.SelectionSet)
			}
		}
	}
	for _, op := range doc.Operations {
		count(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		count(f.SelectionSet)
	}
	if fields > q.MaxFields {
		return limitError("the query selects %d fields as written; at most %d", fields, q.MaxFields)
	}
	return nil
}

func (q queryLimits) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation == nil {
		return nil
	}
	m := measure{vars: op.Variables, maxPage: q.MaxPageSize, introspected: q.introspected, fragments: map[string]*summary{}}
	s := m.set(op.Operation.SelectionSet)
	switch {
	case m.invalid != "":
		return &gqlerror.Error{Message: m.invalid, Extensions: map[string]any{"code": domain.EINVALID}}
	case m.err != "":
		return limitError("%s", m.err)
	case q.MaxDepth > 0 && s.depth > q.MaxDepth:
		return limitError("the query nests %d fields deep; at most %d", s.depth, q.MaxDepth)
	case q.MaxAliases > 0 && s.aliases > q.MaxAliases:
		return limitError("the query has %d aliases; at most %d", s.aliases, q.MaxAliases)
	case q.MaxComplexity > 0 && s.cost > q.MaxComplexity:
		return limitError("the query would cost %d (a field costs 1 and its @cost weight, and what is under a field with `first` as many times as it asks for); at most %d: ask for smaller pages, fewer levels or fewer costly fields", s.cost, q.MaxComplexity)
	}
	return nil
}

// InterceptResponse replaces an answer over MaxResponseBytes by an error.
func (q queryLimits) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil || q.MaxResponseBytes <= 0 || len(resp.Data) <= q.MaxResponseBytes {
		return resp
	}
	return &graphql.Response{Errors: gqlerror.List{limitError("the answer is %d bytes; at most %d: ask for less", len(resp.Data), q.MaxResponseBytes)}}
}

// limiter bounds the work of requests as they arrive, the same way on
// every transport: the bodies' time, the queries and mutations running at
// once (HTTP and websockets share the turns), each operation's time, and
// the websockets and their operations.
type limiter struct {
	Limits
	turns      chan struct{}
	websockets chan struct{}
}

func newLimiter(l Limits) *limiter {
	lim := &limiter{Limits: l}
	if l.MaxConcurrent > 0 {
		lim.turns = make(chan struct{}, l.MaxConcurrent)
	}
	if l.MaxWebsockets > 0 {
		lim.websockets = make(chan struct{}, l.MaxWebsockets)
	}
	return lim
}

type turnKey struct{}

// http reads a request's body within BodyTimeout, then takes a turn: a
// client that sends its body slowly holds a connection, never a turn. A
// websocket takes one of MaxWebsockets for as long as it is open; its
// operations take turns one by one (operations).
func (lim *limiter) http(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" {
			if lim.websockets != nil {
				select {
				case lim.websockets <- struct{}{}:
					defer func() { <-lim.websockets }()
				default:
					w.Header().Set("Retry-After", "5")
					writeError(w, r, http.StatusServiceUnavailable, EBUSY, fmt.Sprintf("the server has %d websocket connections open already; retry later", lim.MaxWebsockets))
					return
				}
			}
			next.ServeHTTP(w, r)
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			if !lim.readBody(w, r) {
				return
			}
		}
		if lim.turns != nil {
			if !takeTurn(r.Context(), lim.turns, lim.QueueWait) {
				w.Header().Set("Retry-After", "1")
				writeError(w, r, http.StatusServiceUnavailable, EBUSY, fmt.Sprintf("the server is answering %d requests already; retry in a moment", lim.MaxConcurrent))
				return
			}
			defer func() { <-lim.turns }()
		}
		ctx := context.WithValue(r.Context(), turnKey{}, true)
		if lim.Timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, lim.Timeout)
			defer cancel()
			ctx = context.WithValue(ctx, timeoutKey{}, lim.Timeout)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// readBody reads the whole body (limitBody has capped its size) under a
// read deadline, and puts it back for the transport; false when it has
// answered the request itself.
func (lim *limiter) readBody(w http.ResponseWriter, r *http.Request) bool {
	rc := http.NewResponseController(w)
	if lim.BodyTimeout > 0 {
		_ = rc.SetReadDeadline(time.Now().Add(lim.BodyTimeout))
		defer func() { _ = rc.SetReadDeadline(time.Time{}) }()
	}
	body, err := io.ReadAll(r.Body)
	var tooLarge *http.MaxBytesError
	var timeout net.Error
	switch {
	case errors.As(err, &tooLarge):
		writeError(w, r, http.StatusRequestEntityTooLarge, ELIMIT, fmt.Sprintf("the request body is over %d bytes", tooLarge.Limit))
		return false
	case errors.As(err, &timeout) && timeout.Timeout():
		w.Header().Set("Connection", "close")
		writeError(w, r, http.StatusRequestTimeout, ETIMEOUT, fmt.Sprintf("the request body took longer than %s to arrive", lim.BodyTimeout))
		return false
	case err != nil:
		writeError(w, r, http.StatusBadRequest, domain.EINVALID, "the request body could not be read")
		return false
	}
	r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	return true
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

// websocket is one websocket connection's bookkeeping: how many of its
// operations run, and the timer that closes it when none has for a while.
type websocket struct {
	mu        sync.Mutex
	running   int
	idle      *time.Timer
	idleAfter time.Duration
}

type websocketKey struct{}

// websocketInit is the websocket transport's InitFunc: it starts the
// connection's idle timer, which closes the connection (by cancelling its
// context) after WebsocketIdle with nothing running.
func (lim *limiter) websocketInit(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
	ws := &websocket{idleAfter: lim.WebsocketIdle}
	ctx = context.WithValue(ctx, websocketKey{}, ws)
	if lim.WebsocketIdle > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		ctx = transport.AppendCloseReason(ctx, fmt.Sprintf("closed after %s with no operation running", lim.WebsocketIdle))
		ws.idle = time.AfterFunc(lim.WebsocketIdle, cancel)
		context.AfterFunc(ctx, func() { ws.idle.Stop() })
	}
	return ctx, &payload, nil
}

// start counts an operation of a websocket in, and out when its context
// ends; false when the connection runs MaxSubscriptions already.
func (ws *websocket) start(ctx context.Context, most int) bool {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if most > 0 && ws.running >= most {
		return false
	}
	ws.running++
	if ws.idle != nil {
		ws.idle.Stop()
	}
	context.AfterFunc(ctx, func() {
		ws.mu.Lock()
		defer ws.mu.Unlock()
		ws.running--
		if ws.running == 0 && ws.idle != nil {
			ws.idle.Reset(ws.idleAfter)
		}
	})
	return true
}

// operations is the gqlgen operation middleware that gives every
// operation the limits a request over HTTP has had on the way in: a
// websocket's operations count against MaxSubscriptions and take a turn
// and a timeout (queries and mutations), and an in-process Query gets the
// timeout. A response handler ends the turn when it has answered.
func (lim *limiter) operations(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	op := graphql.GetOperationContext(ctx)
	if op.Operation == nil {
		return next(ctx)
	}
	subscription := op.Operation.Operation == ast.Subscription
	if ws, ok := ctx.Value(websocketKey{}).(*websocket); ok {
		if !ws.start(ctx, lim.MaxSubscriptions) {
			return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{limitError("this connection runs %d operations already; at most %d", lim.MaxSubscriptions, lim.MaxSubscriptions)}})
		}
	}
	if subscription {
		return next(ctx)
	}
	var release []func()
	if _, held := ctx.Value(turnKey{}).(bool); !held && lim.turns != nil && ctx.Value(websocketKey{}) != nil {
		if !takeTurn(ctx, lim.turns, lim.QueueWait) {
			return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
				Message:    fmt.Sprintf("the server is answering %d requests already; retry in a moment", lim.MaxConcurrent),
				Extensions: map[string]any{"code": EBUSY},
			}}})
		}
		release = append(release, func() { <-lim.turns })
	}
	if _, limited := ctx.Value(timeoutKey{}).(time.Duration); !limited && lim.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, lim.Timeout)
		ctx = context.WithValue(ctx, timeoutKey{}, lim.Timeout)
		release = append(release, cancel)
	}
	respond := next(ctx)
	if len(release) == 0 {
		return respond
	}
	done := false
	return func(inner context.Context) *graphql.Response {
		if done {
			return nil
		}
		done = true
		defer func() {
			for _, r := range release {
				r()
			}
		}()
		return respond(inner)
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
		if resp != nil || reported || !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return resp
		}
		reported = true
		return &graphql.Response{Errors: gqlerror.List{stoppedError(ctx)}}
	}
}
