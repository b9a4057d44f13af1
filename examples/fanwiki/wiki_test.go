package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/seed"
	"github.com/artistgraph/artistgraph/sqlite"
)

func newWiki(t *testing.T) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "wiki.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := seed.IfEmpty(ctx, db); err != nil {
		t.Fatal(err)
	}
	wiki := NewWiki(db, []User{{Name: "mina", Password: "secret", Role: domain.RoleEditor}}, slog.New(slog.DiscardHandler))
	srv := httptest.NewServer(wiki.Handler())
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
	for _, want := range []string{"<h1>Jungkook</h1>", "정국", "BTS, from 2013-06-13 (current)", "Seven (PRIMARY)", "Order of Cultural Merit"} {
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
