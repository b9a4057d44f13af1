package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/artistgraph/artistgraph/httpapi"
)

// The playground's scripts and large JSON answers travel gzipped to a
// client that accepts it.
func TestAnswersAreCompressed(t *testing.T) {
	srv, _, _ := newServer(t)
	for _, req := range []*http.Request{
		must(http.NewRequest(http.MethodGet, srv.URL+"/graphiql/graphiql.min.js", nil)),
		must(http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query": "{ artists(first: 50) { edges { node { name slug description } } } }"}`))),
	} {
		req.Header.Set("Accept-Encoding", "gzip")
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s %s: status %d, Content-Encoding %q", req.Method, req.URL.Path, res.StatusCode, res.Header.Get("Content-Encoding"))
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// A browser app on an allowed origin may read; only with AllowWrites may
// it send credentials, and so write.
func TestCORS(t *testing.T) {
	preflight := func(base, origin, headers string) http.Header {
		t.Helper()
		req := must(http.NewRequest(http.MethodOptions, base+"/graphql", nil))
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", headers)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.Header
	}
	reads, _, _ := newServerWith(t, httpapi.Options{CORS: httpapi.CORS{AllowedOrigins: []string{"https://wiki.example"}}})
	if h := preflight(reads.URL, "https://wiki.example", "content-type"); h.Get("Access-Control-Allow-Origin") != "https://wiki.example" {
		t.Errorf("an allowed origin's read was not allowed: %v", h)
	}
	if h := preflight(reads.URL, "https://evil.example", "content-type"); h.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("another origin was allowed: %v", h)
	}
	if h := preflight(reads.URL, "https://wiki.example", "authorization,content-type"); h.Get("Access-Control-Allow-Origin") != "" || h.Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("credentials were allowed for reads only: %v", h)
	}
	writes, _, _ := newServerWith(t, httpapi.Options{CORS: httpapi.CORS{AllowedOrigins: []string{"https://wiki.example"}, AllowWrites: true}})
	if h := preflight(writes.URL, "https://wiki.example", "authorization,content-type"); h.Get("Access-Control-Allow-Credentials") != "true" {
		t.Errorf("writes were not allowed: %v", h)
	}
	// A simple cross-origin read gets the header on its answer.
	req := must(http.NewRequest(http.MethodGet, reads.URL+`/graphql?query={__typename}`, nil))
	req.Header.Set("Origin", "https://wiki.example")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Header.Get("Access-Control-Allow-Origin") != "https://wiki.example" {
		t.Errorf("a cross-origin GET: %v", res.Header)
	}
}

// The playground's files and the metrics scrapes are logged at debug
// level: at info they would drown the requests that matter.
func TestQuietRoutesLogAtDebug(t *testing.T) {
	srv, _, logs := newServer(t)
	get(t, srv.URL+"/graphiql/graphiql.min.css")
	get(t, srv.URL+"/metrics")
	query(t, srv.URL, `query Seven { song(slug: "seven") { name } }`, nil, &struct{}{})
	text := logs.String()
	if strings.Contains(text, "/graphiql/") || strings.Contains(text, `"path":"/metrics"`) {
		t.Errorf("static files or scrapes logged at info:\n%s", text)
	}
	if !strings.Contains(text, `"operation":"query Seven"`) {
		t.Errorf("the request line lacks the operation:\n%s", text)
	}
}
