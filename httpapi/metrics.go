package httpapi

import (
	"context"
	"github.com/artistgraph/artistgraph/domain"
	"net/http"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/vektah/gqlparser/v2/ast"
)

// metrics are the handler's Prometheus metrics, in a registry of its own:
// two handlers in one process do not share them.
type metrics struct {
	registry   *prometheus.Registry
	requests   *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	operations *prometheus.HistogramVec
	errors     *prometheus.CounterVec
	statements prometheus.Histogram

	// known are the operation names that get a label value of their own:
	// a client cannot fill or freeze the label's values with junk names.
	known map[string]bool
}

var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// newMetrics registers the handler's metrics; known are the operation
// names timed under their own name.
func newMetrics(store domain.Administration, known []string) *metrics {
	m := &metrics{registry: prometheus.NewRegistry(), known: map[string]bool{}}
	for _, name := range known {
		m.known[name] = true
	}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "artistgraph_http_requests_total", Help: "HTTP requests answered, by route, method and status code.",
	}, []string{"path", "method", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "artistgraph_http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by route and method (a websocket: how long it was open).",
		Buckets: latencyBuckets,
	}, []string{"path", "method"})
	m.operations = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "artistgraph_graphql_operation_duration_seconds",
		Help:    "Time to answer a GraphQL operation, by operation name (persisted queries', the playground examples' and Options.OperationNames; \"anonymous\" when it has none, \"other\" for the rest) and type.",
		Buckets: latencyBuckets,
	}, []string{"operation", "type"})
	m.errors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "artistgraph_graphql_errors_total", Help: "Errors returned to clients, by extensions.code.",
	}, []string{"code"})
	m.statements = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "artistgraph_sql_statements_per_request", Help: "SQL read statements one HTTP request ran.",
		Buckets: []float64{0, 1, 2, 5, 10, 20, 50, 100, 200, 500},
	})
	size := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "artistgraph_database_size_bytes", Help: "Size of the database file and its write-ahead log.",
	}, func() float64 { return float64(store.SizeBytes()) })
	m.registry.MustRegister(m.requests, m.latency, m.operations, m.errors, m.statements, size,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

func (m *metrics) request(path, method string, status int, statements int64, took time.Duration) {
	if !knownMethod(method) {
		method = "other"
	}
	m.requests.WithLabelValues(path, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(path, method).Observe(took.Seconds())
	m.statements.Observe(float64(statements))
}

func knownMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodOptions, http.MethodPut, http.MethodDelete, http.MethodPatch:
		return true
	}
	return false
}

func (m *metrics) error(code string) {
	if code == "" {
		code = "NONE"
	}
	m.errors.WithLabelValues(code).Inc()
}

// label is the operation-name label for a name a client chose.
func (m *metrics) label(name string) string {
	switch {
	case name == "":
		return "anonymous"
	case m.known[name]:
		return name
	}
	return "other"
}

// timeOperations is a gqlgen operation middleware that observes how long
// each query and mutation takes to answer.
func (m *metrics) timeOperations(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	respond := next(ctx)
	op := graphql.GetOperationContext(ctx)
	if op.Operation == nil || op.Operation.Operation == ast.Subscription {
		return respond
	}
	labels := []string{m.label(op.Operation.Name), string(op.Operation.Operation)}
	return func(ctx context.Context) *graphql.Response {
		resp := respond(ctx)
		m.operations.WithLabelValues(labels...).Observe(time.Since(op.Stats.OperationStart).Seconds())
		return resp
	}
}
