package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/httpapi"
	"github.com/artistgraph/artistgraph/sqlstore"
)

// postAs sends a GraphQL request with a bearer token ("" for none).
func postAs(t *testing.T, base, token, query string, vars map[string]any) response {
	t.Helper()
	return send(t, base, token, map[string]any{"query": query, "variables": vars})
}

// mustWrite runs a mutation that must succeed and returns its data.
func mustWrite(t *testing.T, base, token, query string, vars map[string]any) map[string]any {
	t.Helper()
	res := postAs(t, base, token, query, vars)
	if len(res.Errors) > 0 {
		t.Fatalf("%s: %+v", query, res.Errors)
	}
	var data map[string]any
	if err := json.Unmarshal(res.Data, &data); err != nil {
		t.Fatal(err)
	}
	return data
}

// mustFail runs a request that must fail with code and returns the error.
func mustFail(t *testing.T, base, token, code, query string, vars map[string]any) gqlError {
	t.Helper()
	res := postAs(t, base, token, query, vars)
	if len(res.Errors) == 0 || res.Errors[0].Extensions["code"] != code {
		t.Fatalf("%s: got %+v, want a %s error", query, res.Errors, code)
	}
	return res.Errors[0]
}

func mustToken(t *testing.T, db *sqlstore.DB, name, role string) string {
	t.Helper()
	token, err := db.CreateToken(context.Background(), name, role)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

func TestEditingOverHTTP(t *testing.T) {
	srv, db, _ := newServer(t)
	editor := mustToken(t, db, "ed", domain.RoleEditor)
	admin := mustToken(t, db, "root", domain.RoleAdmin)
	const createLisa = `mutation($summary: String) {
		createArtist(input: {slug: "lisa", name: "Lisa", birthDate: "1997-03-27", country: "TH",
			names: [{value: "리사", locale: "ko", kind: STAGE}]}, summary: $summary) {
			id revision name country names { value kind }
		}
	}`

	// Reads are public; writes are not.
	mustFail(t, srv.URL, "", domain.EUNAUTHENTICATED, createLisa, nil)
	if got := ask(t, srv.URL, `{ artist(slug: "lisa") { id } }`); dig(t, got, "artist") != nil {
		t.Fatal("a refused write wrote")
	}

	data := mustWrite(t, srv.URL, editor, createLisa, map[string]any{"summary": "new soloist"})
	id := dig(t, data, "createArtist.id").(string)
	if dig(t, data, "createArtist.revision") != 1.0 || column(t, data, "createArtist.names", "kind")[1] != "STAGE" {
		t.Errorf("created %v", data)
	}

	// null clears a field, an absent field stays.
	data = mustWrite(t, srv.URL, editor, `mutation($id: ID!) {
		updateArtist(id: $id, revision: 1, input: {country: null, birthPlace: "Bangkok"}, summary: "born in Bangkok") {
			revision country birthPlace birthDate
		}
	}`, map[string]any{"id": id})
	want := map[string]any{"revision": 2.0, "country": nil, "birthPlace": "Bangkok", "birthDate": "1997-03-27"}
	if got := dig(t, data, "updateArtist"); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("update gave %v, want %v", got, want)
	}

	// A stale revision is a conflict; an inconsistent fact names its field.
	mustFail(t, srv.URL, editor, domain.ECONFLICT, `mutation($id: ID!) { updateArtist(id: $id, revision: 1, input: {name: "LISA"}) { id } }`, map[string]any{"id": id})
	bad := mustFail(t, srv.URL, editor, domain.EINVALID, `mutation {
		createMembership(input: {group: "bts", artist: "lisa", start: "1990", sources: ["wikipedia-bts"]}) { id }
	}`, nil)
	problems, _ := bad.Extensions["problems"].([]any)
	if len(problems) != 1 || dig(t, problems[0], "field") != "input.start" || !strings.Contains(dig(t, problems[0], "message").(string), "before lisa was born") {
		t.Errorf("problems %+v", bad.Extensions)
	}

	// Facts: a credit on Seven and a milestone with a 64-bit threshold.
	data = mustWrite(t, srv.URL, editor, `mutation($threshold: Int64!) {
		createCredit(input: {song: "seven", act: "lisa", role: FEATURED, sources: ["article-2024-02-22-seven"]}) { id act { name } role work { name } }
		createMilestone(input: {song: "seven", platform: "spotify", metric: STREAMS, threshold: $threshold, reached: "2024-06", sources: ["article-2024-02-22-seven"]}) { threshold }
	}`, map[string]any{"threshold": int64(3_000_000_000)})
	if dig(t, data, "createCredit.role") != "FEATURED" || dig(t, data, "createMilestone.threshold") != 3e9 {
		t.Errorf("created %v", data)
	}
	creditID := dig(t, data, "createCredit.id").(string)

	// Names: add an alias, then take it away.
	data = mustWrite(t, srv.URL, editor, `mutation($id: ID!) { addName(id: $id, revision: 2, name: {value: "Lalisa Manobal", kind: BIRTH}) { revision names { value } } }`, map[string]any{"id": id})
	if names := column(t, data, "addName.names", "value"); len(names) != 3 {
		t.Errorf("names after add: %v", names)
	}
	mustFail(t, srv.URL, editor, domain.EINVALID, `mutation($id: ID!) { removeName(id: $id, revision: 3, value: "Lisa") { id } }`, map[string]any{"id": id})
	mustWrite(t, srv.URL, editor, `mutation($id: ID!) { removeName(id: $id, revision: 3, value: "Lalisa Manobal") { id } }`, map[string]any{"id": id})

	// History, per node and across the graph.
	data = mustWrite(t, srv.URL, "", `query($id: ID!) {
		node(id: $id) { ... on Artist { revision history(first: 10) { edges { node { revision action actor summary fields { field before after } } } } } }
		recentChanges(actor: "ed", kinds: ["Credit"]) { edges { node { nodeId action } } }
	}`, map[string]any{"id": id})
	if got := column(t, data, "node.history.edges", "node"); len(got) != 4 {
		t.Fatalf("history has %d changes, want 4", len(got))
	}
	update := dig(t, list(t, data, "node.history.edges")[2], "node")
	if dig(t, update, "action") != "UPDATE" || dig(t, update, "actor") != "ed" || dig(t, update, "summary") != "born in Bangkok" {
		t.Errorf("update recorded as %v", update)
	}
	wantFields := `[map[after:"Bangkok" before:<nil> field:birthPlace] map[after:<nil> before:"TH" field:country]]`
	if got := fmt.Sprint(dig(t, update, "fields")); got != wantFields {
		t.Errorf("fields %s, want %s", got, wantFields)
	}
	if recent := list(t, data, "recentChanges.edges"); len(recent) != 1 || dig(t, recent[0], "node.nodeId") != creditID {
		t.Errorf("recent credit changes %v", recent)
	}

	// Deleting what facts point at needs cascade, which needs an admin.
	const del = `mutation($id: ID!, $cascade: Boolean) { delete(id: $id, revision: 4, cascade: $cascade, summary: "not a BTS fact") { nodeId kind action } }`
	mustFail(t, srv.URL, editor, domain.ECONFLICT, del, map[string]any{"id": id})
	mustFail(t, srv.URL, editor, domain.EFORBIDDEN, del, map[string]any{"id": id, "cascade": true})
	data = mustWrite(t, srv.URL, admin, del, map[string]any{"id": id, "cascade": true})
	if kinds := column(t, data, "delete", "kind"); fmt.Sprint(kinds) != "[Credit Artist]" {
		t.Errorf("cascade deleted %v", kinds)
	}

	// A revert brings the artist back, recorded too; its history outlives deletion.
	data = mustWrite(t, srv.URL, editor, `mutation($id: ID!) { revert(id: $id, revision: 5, to: 2) { revision action node { ... on Artist { name birthPlace names { value } } } } }`, map[string]any{"id": id})
	if dig(t, data, "revert.revision") != 6.0 || dig(t, data, "revert.node.birthPlace") != "Bangkok" {
		t.Errorf("revert gave %v", data)
	}
	data = mustWrite(t, srv.URL, "", `query($id: ID!) { history(id: $id, first: 2) { edges { node { action } } pageInfo { hasNextPage } } }`, map[string]any{"id": creditID})
	if got := column(t, data, "history.edges", "node"); len(got) != 2 || dig(t, data, "history.pageInfo.hasNextPage") != false {
		t.Errorf("deleted credit's history %v", data)
	}
}

// A browser on another site can send a form, a text/plain POST or a link,
// and the user's cookies go with it; none of them may write.
func TestMutationsAreCSRFSafe(t *testing.T) {
	cookieAuth := func(r *http.Request) (*domain.Identity, error) {
		if c, err := r.Cookie("session"); err == nil && c.Value == "editor-session" {
			return &domain.Identity{Name: "wiki-user", Role: domain.RoleEditor}, nil
		}
		return nil, nil
	}
	srv, _, _ := newServerWith(t, httpapi.Options{Authenticate: cookieAuth})
	mutation := `mutation { createChart(input: {slug: "csrf-chart", name: "CSRF"}) { id } }`
	send := func(method, contentType string, body []byte, query string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+"/graphql"+query, bytes.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		req.AddCookie(&http.Cookie{Name: "session", Value: "editor-session"})
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	jsonBody, _ := json.Marshal(map[string]string{"query": mutation})
	form := url.Values{"query": {mutation}}
	var multi bytes.Buffer
	mw := multipart.NewWriter(&multi)
	_ = mw.WriteField("operations", string(jsonBody))
	_ = mw.Close()

	send(http.MethodPost, "application/x-www-form-urlencoded", []byte(form.Encode()), "")
	send(http.MethodPost, "text/plain", jsonBody, "")
	send(http.MethodPost, mw.FormDataContentType(), multi.Bytes(), "")
	send(http.MethodGet, "", nil, "?"+form.Encode())
	if got := ask(t, srv.URL, `{ chart(slug: "csrf-chart") { id } }`); dig(t, got, "chart") != nil {
		t.Fatal("a cross-site request wrote")
	}
	// The same user writing through the API as meant works.
	send(http.MethodPost, "application/json", jsonBody, "")
	if got := ask(t, srv.URL, `{ chart(slug: "csrf-chart") { id } }`); dig(t, got, "chart") == nil {
		t.Fatal("a JSON POST with the session did not write")
	}
}

func TestSubscriptionSeesChangesLive(t *testing.T) {
	srv, db, _ := newServer(t)
	token := mustToken(t, db, "ed", domain.RoleEditor)
	bts := dig(t, ask(t, srv.URL, `{ group(slug: "bts") { id } }`), "group.id").(string)
	c := dialWS(t, srv.URL, true)
	// A mutation over the websocket is refused: writes are JSON POSTs only.
	c.send(map[string]any{"id": "2", "type": "subscribe", "payload": map[string]any{"query": `mutation { createChart(input: {slug: "ws", name: "ws"}) { id } }`}})
	if msg := c.next(); msg["id"] != "2" || !strings.Contains(fmt.Sprint(msg["payload"]), "POST") {
		t.Fatalf("websocket mutation: %v", msg)
	}
	if msg := c.next(); msg["id"] != "2" || msg["type"] != "complete" {
		t.Fatalf("websocket mutation: %v", msg)
	}
	c.send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{
		"query": `subscription($ids: [ID!]) { changes(ids: $ids) { revision action fields { field after } node { ... on Group { note } } } }`, "variables": map[string]any{"ids": []string{bts}}}})
	// The server starts the subscription on its own time: write until
	// a change arrives.
	for revision := 1; revision <= 50; revision++ {
		note := fmt.Sprintf("live %d", revision)
		mustWrite(t, srv.URL, token, `mutation($id: ID!, $r: Int!, $note: String) { updateGroup(id: $id, revision: $r, input: {note: $note}) { id } }`,
			map[string]any{"id": bts, "r": revision, "note": note})
		msg := c.within(200 * time.Millisecond)
		if msg == nil {
			continue
		}
		if msg["type"] != "next" || dig(t, msg, "payload.data.changes.action") != "UPDATE" || dig(t, msg, "payload.data.changes.node.note") != note {
			t.Fatalf("subscription got %v", msg)
		}
		if got := fmt.Sprint(dig(t, msg, "payload.data.changes.fields")); got != fmt.Sprintf(`[map[after:"%s" field:note]]`, note) {
			t.Errorf("fields %s", got)
		}
		return
	}
	t.Fatal("no change arrived")
}

// What issue 13 added to the model reads and writes over HTTP: a fact's
// support, a thing's identifiers (found by search), a new thing that says
// it is distinct from one of the same name.
func TestSupportIdentifiersAndDistinctThingsOverHTTP(t *testing.T) {
	srv, db, _ := newServer(t)
	editor := mustToken(t, db, "ed", domain.RoleEditor)

	mustFail(t, srv.URL, editor, domain.EINVALID, `mutation { createSong(input: {slug: "seven-cover", name: "Seven"}) { id } }`, nil)
	data := mustWrite(t, srv.URL, editor, `mutation {
		createSong(input: {slug: "seven-cover", name: "Seven", distinctFrom: ["seven"], ids: {isrc: "USXX12300009", wikidata: "Q99999992"}}) {
			identifiers { scheme value url }
		}
	}`, nil)
	if got := fmt.Sprint(column(t, data, "createSong.identifiers", "url")); got != "[https://www.wikidata.org/wiki/Q99999992 https://musicbrainz.org/isrc/USXX12300009]" {
		t.Errorf("identifiers %v", dig(t, data, "createSong.identifiers"))
	}
	found := ask(t, srv.URL, `{ search(query: "USXX12300009") { edges { matchKind matchedName node { slug } } } }`)
	if dig(t, found, "search.edges.0.matchKind") != "IDENTIFIER" || dig(t, found, "search.edges.0.node.slug") != "seven-cover" {
		t.Errorf("search by ISRC: %v", found)
	}

	data = mustWrite(t, srv.URL, editor, `mutation {
		createChartRun(input: {song: "seven-cover", chart: "billboard-hot-100", entered: "2024-01-06", support: INFERRED, sources: ["wikipedia-jungkook"]}) { support }
	}`, nil)
	if dig(t, data, "createChartRun.support") != "INFERRED" {
		t.Errorf("created %v", data)
	}
	runs := ask(t, srv.URL, `{ song(slug: "seven") { chartRuns { support } } }`)
	if got := fmt.Sprint(column(t, runs, "song.chartRuns", "support")); got != "[STATED]" {
		t.Errorf("Seven's runs are %s", got)
	}
}
