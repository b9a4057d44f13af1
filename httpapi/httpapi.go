// Package httpapi serves artistgraph over HTTP: GraphQL at /graphql, the
// GraphiQL playground at /, and /healthz. A Go backend mounts it in its own
// mux under any prefix:
//
//	mux.Handle("/api/", http.StripPrefix("/api", httpapi.New(db, httpapi.Options{})))
package httpapi

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/klauspost/compress/gzhttp"
	"github.com/rs/cors"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/graph"
)

//go:embed playground.html graphiql examples
var assets embed.FS

// DefaultMaxBodyBytes caps a request body when Options leaves it unset.
const DefaultMaxBodyBytes = 1 << 20

// Options tune the handler. The zero value is ready to use.
type Options struct {
	// Logger receives one structured line per request and the detail of
	// internal errors; slog.Default() when nil.
	Logger *slog.Logger
	// MaxBodyBytes caps a request body; DefaultMaxBodyBytes when 0.
	MaxBodyBytes int64
	// BatchWait is how long per-request loaders gather keys before one
	// read; graph.DefaultBatchWait when 0.
	BatchWait time.Duration
	// UnplannedReads turns off reading ahead from the query's selection
	// (see graph/plan.go), leaving every read below a root field to the
	// batching loaders: for comparing answers and costs, not for serving.
	UnplannedReads bool
	// Authenticate says who a request acts for: nil and no error for an
	// anonymous reader, an error for credentials that are wrong. A host
	// backend plugs its own users in here; by default it is
	// BearerTokens(db), artistgraph's own tokens.
	Authenticate func(*http.Request) (*domain.Identity, error)
	// Limits bound each request; DefaultLimits for the fields left zero.
	Limits Limits
	// PersistedQueries are query texts clients may name by their SHA-256
	// (extensions.persistedQuery.sha256Hash) instead of sending them.
	// Clients may also register their own (automatic persisted queries)
	// unless OnlyPersisted is set.
	PersistedQueries []string
	// CORS lets browser apps on other origins use /graphql; none may when
	// it is the zero value.
	CORS CORS
	// OperationNames are the names of the operations the host's app sends:
	// /metrics times them under their own names. Those of PersistedQueries
	// and of the playground's examples are known already; any other name
	// counts as "other", so that clients cannot flood the label.
	OperationNames []string
	// OnlyPersisted refuses, over HTTP, every query that is not one of
	// PersistedQueries: a public deployment runs only its own app's
	// queries. (The playground's introspection is refused too; Query,
	// in-process, is not limited.)
	OnlyPersisted bool
}

// CORS says which other origins' pages may call /graphql from a browser.
type CORS struct {
	// AllowedOrigins are the origins ("https://wiki.example.org"), or "*"
	// for any.
	AllowedOrigins []string
	// AllowWrites lets those pages send credentials (cookies, an
	// Authorization header), and so write as their user. Without it they
	// read only: their requests reach the API anonymous.
	AllowWrites bool
}

// handler wraps next with the CORS answers and preflights, when any origin
// is allowed.
func (c CORS) handler(next http.Handler) http.Handler {
	if len(c.AllowedOrigins) == 0 {
		return next
	}
	headers := []string{"Content-Type", "Accept"}
	if c.AllowWrites {
		headers = append(headers, "Authorization")
	}
	return cors.New(cors.Options{
		AllowedOrigins:   c.AllowedOrigins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost},
		AllowedHeaders:   headers,
		ExposedHeaders:   []string{"X-Request-ID", "Retry-After"},
		AllowCredentials: c.AllowWrites,
		MaxAge:           600,
	}).Handler(next)
}

// BearerTokens authenticates "Authorization: Bearer ag_..." headers with the
// tokens kept in db (see "artistgraph token").
func BearerTokens(db domain.TokenStore) func(*http.Request) (*domain.Identity, error) {
	return func(r *http.Request) (*domain.Identity, error) {
		header := r.Header.Get("Authorization")
		if header == "" {
			return nil, nil
		}
		token, ok := strings.CutPrefix(header, "Bearer ")
		if !ok {
			return nil, domain.Errorf(domain.EUNAUTHENTICATED, "the Authorization header must read \"Bearer <token>\"")
		}
		return db.Authenticate(r.Context(), strings.TrimSpace(token))
	}
}

// Handler serves artistgraph over HTTP, and runs GraphQL operations for
// the Go program that embeds it (Query).
type Handler struct {
	http.Handler
	exec *executor.Executor
}

// New returns the artistgraph HTTP handler over db. It holds no global
// state: several handlers over several databases can share a process.
func New(db domain.Store, opts Options) *Handler {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.MaxBodyBytes == 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.Authenticate == nil {
		opts.Authenticate = BearerTokens(db)
	}
	limits := opts.Limits.withDefaults()
	lim := newLimiter(limits)
	schema := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{Store: db}})
	queries := newQueryCache(int64(limits.QueryCacheBytes))
	srv := handler.New(schema)
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	// Subscriptions (graphql-transport-ws). The default accept options
	// refuse pages of other origins; mutations are refused here anyway.
	srv.AddTransport(transport.Websocket{
		PayloadReadLimit:      &opts.MaxBodyBytes, // a message is a request body
		KeepAlivePingInterval: 10 * time.Second,
		InitTimeout:           limits.WebsocketInit,
		InitFunc:              lim.websocketInit,
	})
	srv.Use(extension.Introspection{})
	srv.Use(newPersistedQueries(opts.PersistedQueries, opts.OnlyPersisted, int64(limits.QueryCacheBytes)))
	m := newMetrics(db, operationNames(append(slices.Clone(opts.PersistedQueries), exampleQueries()...), opts.OperationNames))
	presented := presentError(opts.Logger)
	present := func(ctx context.Context, err error) *gqlerror.Error {
		e := presented(ctx, err)
		code, _ := e.Extensions["code"].(string)
		m.error(code)
		return e
	}
	exec := executor.New(schema)
	for _, s := range []interface {
		SetQueryCache(graphql.Cache[*ast.QueryDocument])
		SetParserTokenLimit(int)
		Use(graphql.HandlerExtension)
		AroundOperations(graphql.OperationMiddleware)
		SetErrorPresenter(graphql.ErrorPresenterFunc)
		SetRecoverFunc(graphql.RecoverFunc)
	}{srv, exec} {
		s.SetQueryCache(queries)
		s.SetParserTokenLimit(limits.MaxTokens)
		s.Use(newQueryLimits(limits, schema.Schema(), queries))
		s.Use(graph.DataLoaders{Store: db, Wait: opts.BatchWait, Unplanned: opts.UnplannedReads})
		s.AroundOperations(noteOperation)
		s.AroundOperations(mutationsOnlyPostedJSON)
		s.AroundOperations(lim.operations)
		s.AroundOperations(reportTimeouts)
		s.AroundOperations(m.timeOperations)
		s.SetErrorPresenter(present)
		s.SetRecoverFunc(func(ctx context.Context, p any) error {
			opts.Logger.ErrorContext(ctx, "panic while resolving", "panic", p, "request_id", requestID(ctx))
			return errors.New("internal panic")
		})
	}
	mux := http.NewServeMux()
	mux.Handle("/graphql", opts.CORS.handler(conformHTTP(limits.MaxTokens, limitBody(lim.http(checkParameters(authenticate(opts, markPostedJSON(srv)))), opts.MaxBodyBytes))))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if err := db.Ping(r.Context()); err != nil {
			opts.Logger.ErrorContext(r.Context(), "health check failed", "err", err, "request_id", requestID(r.Context()))
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	static, _ := fs.Sub(assets, "graphiql")
	mux.Handle("GET /graphiql/", http.StripPrefix("/graphiql/", cacheForever(http.FileServerFS(static))))
	mux.Handle("GET /{$}", playground())
	mux.Handle("GET /metrics", m.handler())
	return &Handler{Handler: logRequests(opts.Logger, m, compress(mux)), exec: exec}
}

// Query runs a GraphQL query or mutation in-process, as the identity ctx
// carries (domain.WithIdentity; anonymous without one), and decodes the
// data into out. A host backend renders its pages with it. The limits of
// Options apply, the timeout included. When the operation has errors, out
// still receives the data that came back (a field that failed is null) and
// the error is a gqlerror.List, each with its extensions.code and
// extensions.requestId.
func (h *Handler) Query(ctx context.Context, query string, vars map[string]any, out any) error {
	if requestID(ctx) == "" {
		ctx = context.WithValue(ctx, requestIDKey{}, newRequestID())
	}
	ctx = graphql.StartOperationTrace(context.WithValue(ctx, postedJSONKey{}, true)) // a Go caller is no cross-site form
	now := graphql.Now()
	op, errs := h.exec.CreateOperationContext(ctx, &graphql.RawParams{Query: query, Variables: vars, ReadTime: graphql.TraceTiming{Start: now, End: now}})
	if errs != nil {
		return errs
	}
	responses, ctx := h.exec.DispatchOperation(ctx, op)
	res := responses(ctx)
	if res == nil {
		// gqlgen answers nothing when the context ended before it could.
		return gqlerror.List{stoppedError(ctx)}
	}
	var decodeErr error
	if out != nil && len(res.Data) > 0 && string(res.Data) != "null" {
		decodeErr = json.Unmarshal(res.Data, out)
	}
	if len(res.Errors) > 0 {
		return res.Errors
	}
	return decodeErr
}

// stoppedError says why an operation whose context ended was stopped.
func stoppedError(ctx context.Context) *gqlerror.Error {
	e := &gqlerror.Error{Message: "the request was cancelled before it was answered", Extensions: map[string]any{"code": ECANCELLED, "requestId": requestID(ctx)}}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		e.Message, e.Extensions["code"] = "the request's time ran out before it was answered", ETIMEOUT
		if limit, ok := ctx.Value(timeoutKey{}).(time.Duration); ok {
			e.Message = fmt.Sprintf("the request took longer than %s and was stopped", limit)
		}
	}
	return e
}

type postedJSONKey struct{}

// markPostedJSON notes in the context whether a request is a POST with a
// JSON body: the only kind of request that may carry a mutation.
func markPostedJSON(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		posted := r.Method == http.MethodPost && mediaType == "application/json"
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), postedJSONKey{}, posted)))
	})
}

// mutationsOnlyPostedJSON refuses a mutation that did not come as a POST
// with a JSON body, so that neither a browser form (which cannot send
// JSON across origins without a preflight) nor a GET link nor a websocket
// message can write: the CSRF defence for hosts that authenticate with
// cookies.
func mutationsOnlyPostedJSON(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	op := graphql.GetOperationContext(ctx)
	if op.Operation != nil && op.Operation.Operation == ast.Mutation {
		if posted, _ := ctx.Value(postedJSONKey{}).(bool); !posted {
			return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
				Message:    "mutations are accepted only as POST with Content-Type: application/json",
				Extensions: map[string]any{"code": domain.EFORBIDDEN},
			}}})
		}
	}
	return next(ctx)
}

// presentError is the one place errors become what a client sees: our own
// errors keep their message and code; GraphQL syntax and validation errors
// pass as they are; anything else (SQL, I/O) is logged and replaced by a
// generic message with the request ID, so no internals leak.
func presentError(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		if gqlErr.Extensions == nil {
			gqlErr.Extensions = map[string]any{}
		}
		if id := requestID(ctx); id != "" {
			gqlErr.Extensions["requestId"] = id
		}
		cause := gqlErr.Unwrap()
		if strings.HasPrefix(gqlErr.Message, "json request body could not be decoded") {
			// gqlgen's message quotes the body back; say what is wrong only.
			gqlErr.Message = "the request body is not a JSON object such as {\"query\": \"{ ... }\", \"variables\": {}}"
			setCode(gqlErr, "BAD_REQUEST")
			return gqlErr
		}
		// A client that went away cancels its request: not a fault here.
		if cause != nil && errors.Is(ctx.Err(), context.Canceled) {
			gqlErr.Message = "the request was cancelled: the client went away"
			gqlErr.Err = nil
			setCode(gqlErr, ECANCELLED)
			return gqlErr
		}
		// Out of time, SQLite reports an interrupt rather than the context's
		// error: the context says what happened, whoever set the deadline.
		if cause != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			gqlErr.Message = stoppedError(ctx).Message
			gqlErr.Err = nil
			setCode(gqlErr, ETIMEOUT)
			return gqlErr
		}
		var ours *domain.Error
		var problems *domain.Problems
		switch {
		case cause == nil:
			return gqlErr
		case errors.As(cause, &ours):
			gqlErr.Message = ours.Message
			setCode(gqlErr, ours.Code)
			return gqlErr
		case errors.As(cause, &problems):
			// Each problem names its input field, for a form to show
			// beside the field.
			list := make([]map[string]any, len(*problems))
			for i, p := range *problems {
				list[i] = map[string]any{"field": p.Path, "message": p.Why}
			}
			gqlErr.Message = problems.Error()
			setCode(gqlErr, domain.EINVALID)
			gqlErr.Extensions["problems"] = list
			return gqlErr
		}
		id := requestID(ctx)
		logger.ErrorContext(ctx, "internal error", "err", cause, "path", gqlErr.Path.String(), "request_id", id)
		gqlErr.Message = "internal error; quote request " + id + " when reporting it"
		gqlErr.Err = nil
		setCode(gqlErr, domain.EINTERNAL)
		return gqlErr
	}
}

func setCode(e *gqlerror.Error, code string) {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions["code"] = code
}

// authenticate puts who a request acts for in its context, and refuses
// wrong credentials with 401 rather than serving them as anonymous.
func authenticate(opts Options, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := opts.Authenticate(r)
		if err != nil {
			code := domain.ErrorCode(err)
			message := err.Error()
			if code == domain.EINTERNAL {
				opts.Logger.ErrorContext(r.Context(), "authentication failed", "err", err, "request_id", requestID(r.Context()))
				code, message = domain.EUNAUTHENTICATED, "credentials could not be checked; quote request "+requestID(r.Context())
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="artistgraph"`)
			writeError(w, r, http.StatusUnauthorized, code, message)
			return
		}
		next.ServeHTTP(w, r.WithContext(domain.WithIdentity(r.Context(), id)))
	})
}

// writeError answers a request refused before GraphQL ran, in the shape of
// a GraphQL error.
func writeError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	if m, ok := r.Context().Value(metricsKey{}).(*metrics); ok {
		m.error(code)
	}
	media := mediaJSON
	if strings.Contains(r.Header.Get("Accept"), mediaGraphQLResponse) {
		media = mediaGraphQLResponse
	}
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(map[string]any{"errors": []map[string]any{{"message": message, "extensions": map[string]any{"code": code, "requestId": requestID(r.Context())}}}})
}

// limitBody refuses a body over max bytes with 413, saying only that: a
// declared length is refused before reading, and a body of unknown length
// (chunked) when the limiter reads past max.
func limitBody(next http.Handler, max int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			writeError(w, r, http.StatusRequestEntityTooLarge, ELIMIT, fmt.Sprintf("the request body is over %d bytes", max))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		next.ServeHTTP(w, r)
	})
}

// compress gzips answers a client accepts gzipped (the playground's
// scripts, JSON answers over a kilobyte); a websocket upgrade passes as it
// is.
func compress(next http.Handler) http.Handler {
	gzipped := gzhttp.GzipHandler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" {
			next.ServeHTTP(w, r)
			return
		}
		gzipped.ServeHTTP(w, r)
	})
}

func cacheForever(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		next.ServeHTTP(w, r)
	})
}

// example is one of the playground's example tabs: a query, and the
// variables in the .variables.json file beside it, if any.
type example struct {
	Query     string `json:"query"`
	Variables string `json:"variables,omitempty"`
}

// examples are the playground's examples, in tab order.
func examples() []example {
	names, _ := fs.Glob(assets, "examples/*.graphql")
	sort.Strings(names)
	out := make([]example, len(names))
	for i, name := range names {
		body, _ := assets.ReadFile(name)
		vars, _ := assets.ReadFile(strings.TrimSuffix(name, ".graphql") + ".variables.json")
		out[i] = example{Query: string(body), Variables: string(vars)}
	}
	return out
}

// exampleQueries are the playground's example queries, in tab order.
func exampleQueries() []string {
	var out []string
	for _, e := range examples() {
		out = append(out, e.Query)
	}
	return out
}

// operationNames lists the names of the operations in queries, and more.
func operationNames(queries []string, more []string) []string {
	names := slices.Clone(more)
	for _, q := range queries {
		doc, err := parser.ParseQuery(&ast.Source{Input: q})
		if err != nil {
			continue
		}
		for _, op := range doc.Operations {
			if op.Name != "" {
				names = append(names, op.Name)
			}
		}
	}
	return names
}

var playgroundPage = template.Must(template.ParseFS(assets, "playground.html"))

// playground renders GraphiQL with one tab per example query, served from
// the binary so that it works offline.
func playground() http.Handler {
	tabs := examples()
	encoded, _ := json.Marshal(tabs)
	var page bytes.Buffer
	if err := playgroundPage.Execute(&page, map[string]any{"Tabs": template.JS(encoded)}); err != nil {
		panic(err) // the template and its data are fixed at build time
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(page.Bytes())
	})
}

type requestIDKey struct{}

type metricsKey struct{}

// routeLabel names a request's route for metrics: the paths this handler
// serves, and "other" for the rest, so that scanning URLs cannot grow the
// series.
func routeLabel(p string) string {
	switch {
	case p == "/graphql", p == "/healthz", p == "/metrics", p == "/":
		return p
	case strings.HasPrefix(p, "/graphiql/"):
		return "/graphiql/"
	}
	return "other"
}

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

func newRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Hijack hands the connection to a websocket upgrade.
func (s *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := s.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("the connection cannot be taken over")
	}
	s.status = http.StatusSwitchingProtocols
	return h.Hijack()
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

// requestLog is what the request line says beyond the HTTP exchange: the
// GraphQL operation (or, over a websocket, the last one).
type requestLog struct {
	mu        sync.Mutex
	operation string
}

type requestLogKey struct{}

// noteOperation puts the operation's name and type in the request line.
func noteOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if l, ok := ctx.Value(requestLogKey{}).(*requestLog); ok {
		if op := graphql.GetOperationContext(ctx); op.Operation != nil {
			name := op.Operation.Name
			if name == "" {
				name = "anonymous"
			}
			l.mu.Lock()
			l.operation = string(op.Operation.Operation) + " " + name
			l.mu.Unlock()
		}
	}
	return next(ctx)
}

// quietRoute is a route whose requests are logged at debug level: the
// playground's static files and the metrics scrapes would drown the rest.
func quietRoute(route string) bool {
	return route == "/graphiql/" || route == "/metrics" || route == "/healthz"
}

// logRequests gives every request an ID (sent back as X-Request-ID) and logs
// one line when it is done, with the GraphQL operation it ran.
func logRequests(logger *slog.Logger, m *metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		w.Header().Set("X-Request-ID", id)
		rec := &statusRecorder{ResponseWriter: w}
		info := &requestLog{}
		ctx := context.WithValue(context.WithValue(context.WithValue(r.Context(), requestIDKey{}, id), metricsKey{}, m), requestLogKey{}, info)
		ctx, statements := domain.CountStatements(ctx)
		next.ServeHTTP(rec, r.WithContext(ctx))
		cleaned := path.Clean("/" + strings.TrimPrefix(r.URL.Path, "/"))
		route := routeLabel(cleaned)
		elapsed := time.Since(start)
		m.request(route, r.Method, rec.status, statements.Load(), elapsed)
		level := slog.LevelInfo
		if quietRoute(route) {
			level = slog.LevelDebug
		}
		attrs := []slog.Attr{
			slog.String("method", r.Method),
			slog.String("path", cleaned),
			slog.Int("status", rec.status),
		}
		info.mu.Lock()
		if info.operation != "" {
			attrs = append(attrs, slog.String("operation", info.operation))
		}
		info.mu.Unlock()
		attrs = append(attrs,
			slog.Int64("sql_statements", statements.Load()),
			slog.Int("bytes", rec.bytes),
			slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
			slog.String("request_id", id))
		logger.LogAttrs(r.Context(), level, "request", attrs...)
	})
}
