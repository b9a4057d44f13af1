package httpapi_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/httpapi"
)

// Each test here is an attack an anonymous client could make: a small
// request that used to cost the server far more than its size.

// mustRefuse posts a query and wants one error with the code, saying what.
func mustRefuse(t *testing.T, base, code, says, q string, vars map[string]any) {
	t.Helper()
	res := post(t, base, q, vars)
	if len(res.Errors) != 1 || res.Errors[0].Extensions["code"] != code || !strings.Contains(res.Errors[0].Message, says) {
		t.Fatalf("errors %+v, want %s saying %q", res.Errors, code, says)
	}
}

// Fragments spreading the one before ten times, twelve deep, describe 10^12
// fields in under a kilobyte. The measure computes each fragment once:
// the answer comes at once (it used to take 10x longer per level, 41 CPU-s
// at nine levels).
func TestFragmentSpreadsAreMeasuredOnce(t *testing.T) {
	srv, _, logs := newServer(t)
	var b strings.Builder
	b.WriteString("{ artist(slug: \"jungkook\") { ...F12 } }\nfragment F0 on Artist { name }\n")
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&b, "fragment F%d on Artist { %s}\n", i, strings.Repeat(fmt.Sprintf("...F%d ", i-1), 10))
	}
	mustRefuse(t, srv.URL, httpapi.ELIMIT, "would cost", b.String(), nil)
	if n := lastStatementCount(t, logs); n != 0 {
		t.Errorf("the refused query ran %d statements", n)
	}
}

// Validation compares fields pairwise: the number of fields as written is
// bounded before it runs.
func TestRepeatedFieldsAreCountedBeforeValidation(t *testing.T) {
	srv, _, _ := newServer(t)
	mustRefuse(t, srv.URL, httpapi.ELIMIT, "selects 9990 fields as written; at most 500", "{ "+strings.Repeat("__typename ", 9990)+"}", nil)
	// Fields in fragments count as written, once.
	mustRefuse(t, srv.URL, httpapi.ELIMIT, "selects 501 fields",
		"{ ...F } fragment F on Query { "+strings.Repeat("__typename ", 501)+"}", nil)
	query(t, srv.URL, "{ "+strings.Repeat("__typename ", 500)+"}", nil, &struct{}{})
}

// Aliases and cost count introspection too: 400 aliases of the schema's
// types, fields and arguments made a 30 MB answer.
func TestIntrospectionIsMeasured(t *testing.T) {
	srv, _, _ := newServer(t)
	one := `__schema { types { name fields { name args { name } } } }`
	var many strings.Builder
	many.WriteString("{ ")
	for i := range 31 {
		fmt.Fprintf(&many, "s%d: %s ", i, one)
	}
	many.WriteString("}")
	mustRefuse(t, srv.URL, httpapi.ELIMIT, "31 aliases; at most 30", many.String(), nil)

	many.Reset()
	many.WriteString("{ ")
	for i := range 400 {
		fmt.Fprintf(&many, "s%d: %s ", i, one)
	}
	many.WriteString("}")
	open, _, _ := newServerWith(t, httpapi.Options{Limits: httpapi.Limits{MaxAliases: -1, MaxFields: -1}})
	mustRefuse(t, open.URL, httpapi.ELIMIT, "would cost", many.String(), nil)
	// One introspection, as GraphiQL sends, passes.
	query(t, srv.URL, "{ "+one+" }", nil, &struct{}{})
}

func TestAnswersHaveASizeCap(t *testing.T) {
	srv, _, _ := newServerWith(t, httpapi.Options{Limits: httpapi.Limits{MaxResponseBytes: 500}})
	mustRefuse(t, srv.URL, httpapi.ELIMIT, "at most 500: ask for less", `{ artists(first: 50) { edges { node { name slug } } } }`, nil)
	query(t, srv.URL, `{ artist(slug: "jungkook") { name } }`, nil, &struct{}{})
}

// Fifty times the same prolific act's timeline: the act and its timeline
// are read once, as for one, and the fields cost what they read.
func TestDuplicateIDsAreReadOnce(t *testing.T) {
	srv, _, logs := newServer(t)
	jungkook, _ := artistRevision(t, srv.URL, "jungkook")
	q := `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Artist { timeline(first: 1) { totalCount } } } }`
	query(t, srv.URL, q, map[string]any{"ids": []string{jungkook}}, &struct{}{})
	once := lastStatementCount(t, logs)
	ids := make([]string, 15)
	for i := range ids {
		ids[i] = jungkook
	}
	query(t, srv.URL, q, map[string]any{"ids": ids}, &struct{}{})
	if n := lastStatementCount(t, logs); n != once {
		t.Errorf("15 copies of one ID ran %d statements; one ran %d", n, once)
	}
	ids = append(ids, ids...)
	mustRefuse(t, srv.URL, httpapi.ELIMIT, "would cost 150", q, map[string]any{"ids": ids})
}

// A list argument holds at most a page of items, and a huge one is a clear
// INVALID, not "too many SQL variables".
func TestListArgumentsAreBounded(t *testing.T) {
	srv, _, _ := newServer(t)
	kinds := make([]string, 40_000)
	for i := range kinds {
		kinds[i] = "ARTIST"
	}
	mustRefuse(t, srv.URL, domain.EINVALID, "search(kinds:): 40000 items; at most 100", `query($k: [ThingKind!]) { search(query: "jung", kinds: $k) { totalCount } }`, map[string]any{"k": kinds})
	literal := "[" + strings.Repeat(`"x",`, 101) + "]"
	mustRefuse(t, srv.URL, domain.EINVALID, "nodes(ids:): 101 items; at most 100", `{ nodes(ids: `+literal+`) { id } }`, nil)
}

// Search text is capped in characters and words: 50,000 × "ﷺ" ran one
// full-text statement for minutes.
func TestSearchTextIsCapped(t *testing.T) {
	srv, _, _ := newServer(t)
	q := `query($q: String!) { search(query: $q) { totalCount } }`
	mustRefuse(t, srv.URL, domain.EINVALID, "50000 characters long; at most 200", q, map[string]any{"q": strings.Repeat("ﷺ", 50_000)})
	mustRefuse(t, srv.URL, domain.EINVALID, "11 words; at most 10", q, map[string]any{"q": strings.Repeat("a ", 11)})
	query(t, srv.URL, q, map[string]any{"q": strings.Repeat("정", 200)}, &struct{}{})
}

// A client that sends its body a byte at a time holds a connection, not a
// turn: others are answered meanwhile, and it is cut off at BodyTimeout.
func TestSlowBodiesDoNotHoldTurns(t *testing.T) {
	srv, _, _ := newServerWith(t, httpapi.Options{Limits: httpapi.Limits{MaxConcurrent: 1, QueueWait: -1, BodyTimeout: 500 * time.Millisecond}})
	addr := strings.TrimPrefix(srv.URL, "http://")
	slow := make([]net.Conn, 3)
	for i := range slow {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
		slow[i] = conn
	}
	time.Sleep(100 * time.Millisecond) // the slow requests are in their handlers
	query(t, srv.URL, `{ artist(slug: "jungkook") { name } }`, nil, &struct{}{})
	_ = slow[0].SetReadDeadline(time.Now().Add(10 * time.Second))
	status, _ := io.ReadAll(io.LimitReader(slow[0], 12))
	if string(status) != "HTTP/1.1 408" {
		t.Errorf("a body that never came: %q, want 408", status)
	}
}

// The limits of HTTP hold over the websocket: a query's timeout, the
// operations of a connection, the connections, connection_init and idleness.
func TestWebsocketsHaveTheSameLimits(t *testing.T) {
	t.Run("timeout", func(t *testing.T) {
		srv, _, _ := newServerWith(t, httpapi.Options{Limits: httpapi.Limits{Timeout: time.Nanosecond}})
		c := dialWS(t, srv.URL, true)
		c.send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": `{ artist(slug: "jungkook") { name } }`}})
		msg := c.next()
		if !strings.Contains(fmt.Sprint(msg), httpapi.ETIMEOUT) {
			t.Fatalf("got %v, want TIMEOUT", msg)
		}
	})
	t.Run("cost", func(t *testing.T) {
		srv, _, _ := newServerWith(t, httpapi.Options{Limits: httpapi.Limits{MaxComplexity: 10}})
		c := dialWS(t, srv.URL, true)
		c.send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": `{ artists(first: 50) { edges { node { name } } } }`}})
		if msg := c.next(); !strings.Contains(fmt.Sprint(msg), httpapi.ELIMIT) {
			t.Fatalf("got %v, want LIMIT_EXCEEDED", msg)
		}
	})
	t.Run("operations per connection", func(t *testing.T) {
		srv, _, _ := newServerWith(t, httpapi.Options{Limits: httpapi.Limits{MaxSubscriptions: 2}})
		c := dialWS(t, srv.URL, true)
		for _, id := range []string{"1", "2", "3"} {
			c.send(map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": `subscription { changes { summary } }`}})
		}
		// The three start at once: whichever comes third is refused.
		if msg := c.next(); !strings.Contains(fmt.Sprint(msg), "runs 2 operations already; at most 2") {
			t.Fatalf("got %v, want one refused", msg)
		}
	})
	t.Run("connections", func(t *testing.T) {
		srv, _, _ := newServerWith(t, httpapi.Options{Limits: httpapi.Limits{MaxWebsockets: 1}})
		dialWS(t, srv.URL, true)
		_, res, err := websocket.Dial(context.Background(), "ws"+strings.TrimPrefix(srv.URL, "http")+"/graphql", &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
		if err == nil || res == nil || res.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("a second websocket: %v, want 503", err)
		}
	})
	t.Run("no connection_init", func(t *testing.T) {
		srv, _, _ := newServerWith(t, httpapi.Options{Limits: httpapi.Limits{WebsocketInit: 100 * time.Millisecond}})
		if c := dialWS(t, srv.URL, false); !c.closed() {
			t.Fatal("a connection that never sent connection_init stays open")
		}
	})
	t.Run("message size", func(t *testing.T) {
		srv, _, _ := newServerWith(t, httpapi.Options{MaxBodyBytes: 1000})
		c := dialWS(t, srv.URL, true)
		c.send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": "{ " + strings.Repeat("__typename ", 200) + "}"}})
		if !c.closed() {
			t.Fatal("a message over the body cap was read")
		}
	})
	t.Run("idle", func(t *testing.T) {
		srv, _, _ := newServerWith(t, httpapi.Options{Limits: httpapi.Limits{WebsocketIdle: 200 * time.Millisecond}})
		if c := dialWS(t, srv.URL, true); !c.closed() {
			t.Fatal("an idle connection stays open")
		}
	})
}

// A stored text cannot plant an amplification: an edit's summary is capped
// like every other text.
func TestEditSummariesAreCapped(t *testing.T) {
	srv, db, _ := newServer(t)
	token := mustToken(t, db, "ed", "editor")
	id, revision := artistRevision(t, srv.URL, "jungkook")
	res := postAs(t, srv.URL, token, `mutation($id: ID!, $r: Int!, $s: String!) { updateArtist(id: $id, revision: $r, input: { note: "x" }, summary: $s) { id } }`,
		map[string]any{"id": id, "r": revision, "s": strings.Repeat("x", domain.MaxText+1)})
	if len(res.Errors) != 1 || res.Errors[0].Extensions["code"] != domain.EINVALID || !strings.Contains(res.Errors[0].Message, "summary") {
		t.Fatalf("errors %+v, want INVALID naming the summary", res.Errors)
	}
}

// The query GraphiQL sends to draw its docs panel (graphql-js's
// getIntrospectionQuery with every option) fits the default limits.
func TestThePlaygroundsIntrospectionFits(t *testing.T) {
	srv, _, _ := newServer(t)
	query(t, srv.URL, `query IntrospectionQuery {
  __schema { description queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType } directives { name description isRepeatable locations args(includeDeprecated: true) { ...InputValue } } } }
fragment FullType on __Type { kind name description specifiedByURL
  fields(includeDeprecated: true) { name description args(includeDeprecated: true) { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields(includeDeprecated: true) { ...InputValue } interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason } possibleTypes { ...TypeRef } }
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue isDeprecated deprecationReason }
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } } }`, nil, &struct{}{})
}
