package httpapi

import (
	"context"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"sync"
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
	operations *prometheus.HistogramVec
	errors     *prometheus.CounterVec
	statements prometheus.Histogram

	mu    sync.Mutex
	names map[string]bool // operation names seen, to bound the label's values
}

// maxOperationNames bounds how many operation names become label values;
// later ones count as "other", so clients cannot grow the series at will.
const maxOperationNames = 200

var operationName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

func newMetrics(dbPath string) *metrics {
	m := &metrics{registry: prometheus.NewRegistry(), names: map[string]bool{}}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "artistgraph_http_requests_total", Help: "HTTP requests answered, by path and status code.",
	}, []string{"path", "status"})
	m.operations = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "artistgraph_graphql_operation_duration_seconds",
		Help:    "Time to answer a GraphQL operation, by operation name (\"anonymous\" when it has none, \"other\" past the first 200 names) and type.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
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
	}, func() float64 {
		var total int64
		for _, p := range []string{dbPath, dbPath + "-wal"} {
			if fi, err := os.Stat(p); err == nil {
				total += fi.Size()
			}
		}
		return float64(total)
	})
	m.registry.MustRegister(m.requests, m.operations, m.errors, m.statements, size,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

func (m *metrics) request(path string, status int, statements int64) {
	m.requests.WithLabelValues(path, strconv.Itoa(status)).Inc()
	m.statements.Observe(float64(statements))
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
	case !operationName.MatchString(name):
		return "other"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.names[name] {
		if len(m.names) >= maxOperationNames {
			return "other"
		}
		m.names[name] = true
	}
	return name
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
