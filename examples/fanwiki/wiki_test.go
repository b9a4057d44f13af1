package main

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func newWiki(t *testing.T) *httptest.Server {
	t.Helper()
	return newWikiWith(t, Options{}, httptest.NewServer)
}

func newWikiWith(t *testing.T, opts Options, serve func(http.Handler) *httptest.Server) *httptest.Server {
	t.Helper()
	db := storetest.Seeded(t)
	wiki := NewWiki(db, []User{{Name: "mina", Password: "secret", Role: domain.RoleEditor}}, slog.New(slog.DiscardHandler), opts)
	srv := serve(wiki.Handler())
	t.Cleanup(srv.Close)
	return srv
}

func fetch(t *testing.T, c *http.Client, url string) (int, string) {
	t.Helper()
	res, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

func TestArtistPageIsRenderedFromTheGraph(t *testing.T) {
	srv := newWiki(t)
	status, page := fetch(t, http.DefaultClient, srv.URL+"/artists/jungkook")
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, page)
	}
	for _, want := range []string{"<h1>Jungkook</h1>", "정국", `<a href="/groups/bts">BTS</a>, from 2013-06-13 (current)`, `<a href="/songs/seven">Seven</a> (PRIMARY)`, "Order of Cultural Merit"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "<form id=\"edit\"") {
		t.Error("an anonymous reader is offered the edit form")
	}
	if status, _ := fetch(t, http.DefaultClient, srv.URL+"/artists/nobody"); status != http.StatusNotFound {
		t.Errorf("a missing artist is %d, want 404", status)
	}
	if status, body := fetch(t, http.DefaultClient, srv.URL+"/api/"); status != http.StatusOK || !strings.Contains(body, "graphiql") {
		t.Errorf("the API's playground under /api/: %d", status)
	}
}

func TestWikiUsersEditThroughTheMountedAPI(t *testing.T) {
	srv := newWiki(t)
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	_, page := fetch(t, browser, srv.URL+"/artists/jungkook")
	id := regexp.MustCompile(`data-id="([^"]+)"`).FindStringSubmatch(page)
	if id != nil {
		t.Fatal("edit form shown before login")
	}
	graphID := func() string {
		res, err := browser.Post(srv.URL+"/api/graphql", "application/json", strings.NewReader(`{"query": "{ artist(slug: \"jungkook\") { id } }"}`))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return regexp.MustCompile(`"id":"([^"]+)"`).FindStringSubmatch(string(body))[1]
	}()
	write := func() string {
		body, _ := json.Marshal(map[string]any{
			"query":     `mutation($id: ID!) { updateArtist(id: $id, revision: 1, input: {note: "Golden maknae."}, summary: "nickname") { revision } }`,
			"variables": map[string]any{"id": graphID},
		})
		res, err := browser.Post(srv.URL+"/api/graphql", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		answer, _ := io.ReadAll(res.Body)
		return string(answer)
	}
	if got := write(); !strings.Contains(got, "UNAUTHENTICATED") {
		t.Fatalf("anonymous write: %s", got)
	}

	res, err := browser.PostForm(srv.URL+"/login", url.Values{"name": {"mina"}, "password": {"wrong"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong password: %d", res.StatusCode)
	}
	res, err = browser.PostForm(srv.URL+"/login", url.Values{"name": {"mina"}, "password": {"secret"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()

	if got := write(); !strings.Contains(got, `"revision":2`) {
		t.Fatalf("logged-in write: %s", got)
	}
	_, page = fetch(t, browser, srv.URL+"/artists/jungkook")
	for _, want := range []string{"Golden maknae.", "wiki:mina: UPDATE note (nickname)", `data-revision="2"`, "Save as mina"} {
		if !strings.Contains(page, want) {
			t.Errorf("after the edit the page lacks %q", want)
		}
	}
	if _, home := fetch(t, browser, srv.URL+"/"); !strings.Contains(home, "wiki:mina UPDATE Artist Jungkook (nickname)") {
		t.Error("the home page's recent changes lack the edit")
	}
}

// Groups and works have pages, linked from the artist's.
func TestGroupAndWorkPages(t *testing.T) {
	srv := newWiki(t)
	for path, want := range map[string]string{
		"/groups/bts":  `<a href="/artists/jungkook">Jungkook</a>`,
		"/songs/seven": `<a href="/artists/jungkook">Jungkook</a> (PRIMARY)`,
	} {
		status, page := fetch(t, http.DefaultClient, srv.URL+path)
		if status != http.StatusOK || !strings.Contains(page, want) {
			t.Errorf("%s: %d, lacks %q", path, status, want)
		}
	}
	if status, _ := fetch(t, http.DefaultClient, srv.URL+"/groups/nobody"); status != http.StatusNotFound {
		t.Errorf("a missing group is %d", status)
	}
}

// The page says who is logged in and offers to log out; a wrong password
// is a page, not plain text; repeated failures are slowed down; pages show
// times to the minute.
func TestLoginAsAPersonSeesIt(t *testing.T) {
	srv := newWiki(t)
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	login := func(password string) (int, string) {
		res, err := browser.PostForm(srv.URL+"/login", url.Values{"name": {"mina"}, "password": {password}})
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(body)
	}
	status, page := login("wrong")
	if status != http.StatusUnauthorized || !strings.Contains(page, "Wrong name or password.") || !strings.Contains(page, "<h1>Fan wiki</h1>") {
		t.Errorf("wrong password: %d\n%s", status, page)
	}
	if status, _ := login("secret"); status != http.StatusOK {
		t.Fatalf("login: %d", status)
	}
	_, page = fetch(t, browser, srv.URL+"/")
	if !strings.Contains(page, "Logged in as <strong>mina</strong>") || !strings.Contains(page, `action="/logout"`) {
		t.Error("the page does not say who is logged in, or offer to log out")
	}
	if regexp.MustCompile(`\d\d:\d\d:\d\d\.\d+`).MatchString(page) {
		t.Error("a time is shown to the nanosecond")
	}
	res, err := browser.PostForm(srv.URL+"/logout", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if _, page = fetch(t, browser, srv.URL+"/"); strings.Contains(page, "Logged in as") {
		t.Error("still logged in after logging out")
	}
	// Five failures are allowed at once, then one a minute.
	for range 4 {
		login("wrong")
	}
	if status, page := login("wrong"); status != http.StatusTooManyRequests || !strings.Contains(page, "Too many login attempts") {
		t.Errorf("the sixth failure: %d", status)
	}
}

// The session cookie is Secure over TLS (or when told so behind a proxy),
// and a session ends after its lifetime.
func TestSessionsAreSecureAndExpire(t *testing.T) {
	srv := newWikiWith(t, Options{SessionLifetime: time.Millisecond}, httptest.NewTLSServer)
	browser := srv.Client()
	browser.Jar, _ = cookiejar.New(nil)
	browser.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := browser.PostForm(srv.URL+"/login", url.Values{"name": {"mina"}, "password": {"secret"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cookies := res.Cookies()
	if len(cookies) != 1 || !cookies[0].Secure || !cookies[0].HttpOnly {
		t.Fatalf("session cookie %+v: want Secure and HttpOnly", cookies)
	}
	time.Sleep(5 * time.Millisecond)
	if _, page := fetch(t, browser, srv.URL+"/"); strings.Contains(page, "Logged in as") {
		t.Error("a session outlived its lifetime")
	}
}
