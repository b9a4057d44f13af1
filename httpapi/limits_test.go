package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/httpapi"
)

// Each limit refuses a query before it runs: the request log shows that no
// SQL statement was run for it.
func TestLimitsRefuseBeforeExecution(t *testing.T) {
	tests := []struct {
		name, query string
		vars        map[string]any
		limits      httpapi.Limits
		code, says  string
	}{
		{"depth", `{ artist(slug: "jungkook") { memberships { group { members { edges { node { start } } } } } } }`, nil,
			httpapi.Limits{MaxDepth: 4}, "LIMIT_EXCEEDED", "nests 7 fields deep; at most 4"},
		{"depth through fragments", `{ artist(slug: "jungkook") { ...m } } fragment m on Artist { memberships { group { members { totalCount } } } }`, nil,
			httpapi.Limits{MaxDepth: 4}, "LIMIT_EXCEEDED", "nests 5 fields deep"},
		{"aliases", `{ a: song(slug: "seven") { name } b: song(slug: "stay") { name } c: song(slug: "as-it-was") { name } }`, nil,
			httpapi.Limits{MaxAliases: 2}, "LIMIT_EXCEEDED", "3 aliases; at most 2"},
		{"complexity", `{ artists(first: 10) { edges { node { credits(first: 10) { edges { node { role } } } } } } }`, nil,
			httpapi.Limits{MaxComplexity: 200}, "LIMIT_EXCEEDED", "would cost 331"},
		{"complexity counts last as first", `{ artists(last: 10) { edges { node { credits(last: 10) { edges { node { role } } } } } } }`, nil,
			httpapi.Limits{MaxComplexity: 200}, "LIMIT_EXCEEDED", "would cost 331"},
		{"page size from the end", `{ artists(last: 26) { totalCount } }`, nil,
			httpapi.Limits{MaxPageSize: 25}, "LIMIT_EXCEEDED", "artists(last: 26): at most 25 items a page"},
		{"complexity counts default page sizes", `{ songs { edges { node { credits { role act { name } } } } } }`, nil,
			httpapi.Limits{MaxComplexity: 100}, "LIMIT_EXCEEDED", "would cost 121"},
		{"page size", `{ artists(first: 26) { totalCount } }`, nil,
			httpapi.Limits{MaxPageSize: 25}, "LIMIT_EXCEEDED", "artists(first: 26): at most 25 items a page"},
		{"page size in a variable", `query($n: Int) { artists(first: $n) { totalCount } }`, map[string]any{"n": 50},
			httpapi.Limits{MaxPageSize: 25}, "LIMIT_EXCEEDED", "at most 25 items a page"},
		{"tokens", `{ song(slug: "seven") { ` + strings.Repeat("name ", 60) + `} }`, nil,
			httpapi.Limits{MaxTokens: 60}, "GRAPHQL_PARSE_FAILED", "token limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _, logs := newServerWith(t, httpapi.Options{Limits: tt.limits})
			res := post(t, srv.URL, tt.query, tt.vars)
			if len(res.Errors) != 1 || res.Errors[0].Extensions["code"] != tt.code || !strings.Contains(res.Errors[0].Message, tt.says) {
				t.Fatalf("errors %+v, want %s saying %q", res.Errors, tt.code, tt.says)
			}
			if n := lastStatementCount(t, logs); n != 0 {
				t.Errorf("the refused query ran %d statements", n)
			}
		})
	}
	// The defaults let the playground's introspection and a deep page through.
	srv, _, _ := newServer(t)
	query(t, srv.URL, `{ artists(first: 100) { edges { node { name } } } __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }`, nil, &struct{}{})
}

func TestTimeoutStopsTheRequest(t *testing.T) {
	srv, _, _ := newServerWith(t, httpapi.Options{Limits: httpapi.Limits{Timeout: time.Nanosecond}})
	res := post(t, srv.URL, `{ artist(slug: "jungkook") { name } }`, nil)
	if len(res.Errors) == 0 || res.Errors[0].Extensions["code"] != httpapi.ETIMEOUT || !strings.Contains(res.Errors[0].Message, "took longer than 1ns") {
		t.Fatalf("errors %+v, want TIMEOUT", res.Errors)
	}
	if res.Errors[0].Extensions["requestId"] == "" {
		t.Error("no request ID in the error")
	}
}

// holdingServer serves with one request at a time; a request with the
// X-Hold header keeps the slot, in authentication, until release is closed.
func holdingServer(t *testing.T, queueWait time.Duration) (url string, release chan struct{}, held <-chan int) {
	entered := make(chan struct{})
	release = make(chan struct{})
	srv, _, _ := newServerWith(t, httpapi.Options{
		Limits: httpapi.Limits{MaxConcurrent: 1, QueueWait: queueWait},
		Authenticate: func(r *http.Request) (*domain.Identity, error) {
			if r.Header.Get("X-Hold") != "" {
				entered <- struct{}{}
				<-release
			}
			return nil, nil
		},
	})
	done := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query": "{ song(slug: \"seven\") { name } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Hold", "1")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- 0
			return
		}
		res.Body.Close()
		done <- res.StatusCode
	}()
	<-entered
	return srv.URL, release, done
}

func TestConcurrentRequestsAreBounded(t *testing.T) {
	url, release, held := holdingServer(t, -1)
	res, err := http.Post(url+"/graphql", "application/json", strings.NewReader(`{"query": "{ song(slug: \"seven\") { name } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	var body response
	_ = json.NewDecoder(res.Body).Decode(&body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" || len(body.Errors) != 1 || body.Errors[0].Extensions["code"] != httpapi.EBUSY {
		t.Errorf("second request: %d %+v", res.StatusCode, body.Errors)
	}
	close(release)
	if status := <-held; status != http.StatusOK {
		t.Errorf("the first request ended %d", status)
	}
	query(t, url, `{ song(slug: "seven") { name } }`, nil, &struct{}{}) // the slot is free again
}

// Within the queue wait, a request over the bound waits its turn and is
// answered.
func TestABurstWaitsItsTurn(t *testing.T) {
	url, release, held := holdingServer(t, time.Minute)
	answered := make(chan response, 1)
	go func() {
		answered <- post(t, url, `{ song(slug: "seven") { name } }`, nil)
	}()
	select {
	case res := <-answered:
		t.Fatalf("answered while the slot was taken: %+v", res)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	if res := <-answered; len(res.Errors) > 0 || string(res.Data) != `{"song":{"name":"Seven"}}` {
		t.Errorf("the queued request: %s %+v", res.Data, res.Errors)
	}
	if status := <-held; status != http.StatusOK {
		t.Errorf("the first request ended %d", status)
	}
}

// A body over the cap is refused without reading it all, and without
// echoing any of it back, whether its length is declared or not.
func TestOversizedBodiesAreNotEchoed(t *testing.T) {
	srv, _, _ := newServerWith(t, httpapi.Options{MaxBodyBytes: 1000})
	secret := `{"query": "{ song(slug: \"seven\") { name } }", "variables": {"x": "` + strings.Repeat("SECRET", 400) + `"}}`
	for _, chunked := range []bool{false, true} {
		var body io.Reader = bytes.NewReader([]byte(secret))
		if chunked {
			body = io.MultiReader(body) // no length known: sent chunked
		}
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", body)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		answer, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge || bytes.Contains(answer, []byte("SECRET")) {
			t.Errorf("chunked=%v: %d %s", chunked, res.StatusCode, answer)
		}
	}
}
