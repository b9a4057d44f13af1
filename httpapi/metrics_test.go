package httpapi_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/artistgraph/artistgraph/httpapi"
)

// metric reads one sample of the Prometheus text at /metrics; -1 when absent.
func metric(t *testing.T, text, series string) float64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(text)
	if m == nil {
		return -1
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMetrics(t *testing.T) {
	srv, _, _ := newServerWith(t, httpapi.Options{OperationNames: []string{"SongPage"}})
	query(t, srv.URL, `query SongPage { song(slug: "seven") { name credits { act { name } } } }`, nil, &struct{}{})
	query(t, srv.URL, `query SongPage { song(slug: "stay") { name } }`, nil, &struct{}{})
	post(t, srv.URL, `{ nosuch }`, nil)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query": "{ viewer { name } }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer ag_wrong_token")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	get(t, srv.URL+"/no/such/page/"+strings.Repeat("x", 10))

	status, body := get(t, srv.URL+"/metrics")
	if status != http.StatusOK {
		t.Fatalf("/metrics: %d", status)
	}
	text := string(body)
	checks := []struct {
		series string
		want   func(float64) bool
	}{
		{`artistgraph_http_requests_total{code="200",method="POST",path="/graphql"}`, func(v float64) bool { return v == 3 }},
		{`artistgraph_http_requests_total{code="401",method="POST",path="/graphql"}`, func(v float64) bool { return v == 1 }},
		{`artistgraph_http_requests_total{code="404",method="GET",path="other"}`, func(v float64) bool { return v == 1 }},
		{`artistgraph_http_request_duration_seconds_count{method="POST",path="/graphql"}`, func(v float64) bool { return v == 4 }},
		{`artistgraph_graphql_operation_duration_seconds_count{operation="SongPage",type="query"}`, func(v float64) bool { return v == 2 }},
		{`artistgraph_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"}`, func(v float64) bool { return v == 1 }},
		{`artistgraph_graphql_errors_total{code="UNAUTHENTICATED"}`, func(v float64) bool { return v == 1 }},
		{`artistgraph_sql_statements_per_request_sum`, func(v float64) bool { return v >= 3 }},
		{`artistgraph_database_size_bytes`, func(v float64) bool { return v > 100_000 }},
		{`go_goroutines`, func(v float64) bool { return v > 0 }},
	}
	for _, c := range checks {
		if v := metric(t, text, c.series); !c.want(v) {
			t.Errorf("%s = %v", c.series, v)
		}
	}
}

// Operation names a client makes up count as "other": 205 junk names
// neither grow the series nor lock out the names the server knows.
func TestJunkOperationNamesShareOneLabel(t *testing.T) {
	srv, _, _ := newServer(t)
	for i := range 205 {
		query(t, srv.URL, fmt.Sprintf("query Junk%d { __typename }", i), nil, &struct{}{})
	}
	query(t, srv.URL, `query Seven { song(slug: "seven") { name } }`, nil, &struct{}{}) // a playground example's name
	_, body := get(t, srv.URL+"/metrics")
	text := string(body)
	if v := metric(t, text, `artistgraph_graphql_operation_duration_seconds_count{operation="other",type="query"}`); v != 205 {
		t.Errorf("junk names counted as other: %v, want 205", v)
	}
	if v := metric(t, text, `artistgraph_graphql_operation_duration_seconds_count{operation="Seven",type="query"}`); v != 1 {
		t.Errorf("a known name after the junk: %v, want 1", v)
	}
	if strings.Contains(text, `operation="Junk`) {
		t.Error("a junk name became a label value")
	}
}
