package httpapi_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/httpapi"
	"github.com/artistgraph/artistgraph/seed"
	"github.com/artistgraph/artistgraph/sqlstore"
)

// A fan wiki's backend mounts artistgraph under /api/ next to its own pages,
// over a database file it opens itself.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "fanwiki")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	db, err := sqlstore.Open(ctx, filepath.Join(dir, "wiki.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if _, err := seed.IfEmpty(ctx, db); err != nil { // the built-in fixtures, once
		log.Fatal(err)
	}

	mux := http.NewServeMux()
	mux.Handle("/api/", http.StripPrefix("/api", httpapi.New(db, httpapi.Options{
		Logger: slog.New(slog.DiscardHandler),
	})))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "the wiki's own pages")
	})
	wiki := httptest.NewServer(mux)
	defer wiki.Close()

	res, err := http.Post(wiki.URL+"/api/graphql", "application/json",
		strings.NewReader(`{"query": "{ song(slug: \"seven\") { creditLine released } }"}`))
	if err != nil {
		log.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	fmt.Println(string(body))

	page, err := http.Get(wiki.URL + "/api/")
	if err != nil {
		log.Fatal(err)
	}
	page.Body.Close()
	fmt.Println("playground:", page.Status)
	// Output:
	// {"data":{"song":{"creditLine":"Jung Kook feat. Latto","released":"2023-07-14"}}}
	// playground: 200 OK
}

// A host backend renders its own pages from queries run in-process, and
// writes as the user its own login knows, with no HTTP round trip.
func ExampleHandler_Query() {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, sqlstore.MemoryPath)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if _, err := seed.IfEmpty(ctx, db); err != nil {
		log.Fatal(err)
	}
	api := httpapi.New(db, httpapi.Options{Logger: slog.New(slog.DiscardHandler)})

	var page struct {
		Artist struct {
			ID          string
			Name        string
			Revision    int
			Memberships []struct{ Group struct{ Name string } }
		}
	}
	if err := api.Query(ctx, `query($slug: String!) {
		artist(slug: $slug) { id name revision memberships { group { name } } }
	}`, map[string]any{"slug": "jungkook"}, &page); err != nil {
		log.Fatal(err)
	}
	fmt.Println(page.Artist.Name, "of", page.Artist.Memberships[0].Group.Name, "revision", page.Artist.Revision)

	// Writes need an identity: the host's logged-in user.
	editor := domain.WithIdentity(ctx, &domain.Identity{Name: "wiki:mina", Role: domain.RoleEditor})
	var edited struct{ UpdateArtist struct{ Revision int } }
	err = api.Query(editor, `mutation($id: ID!, $rev: Int!) {
		updateArtist(id: $id, revision: $rev, input: {note: "Youngest member of BTS."}, summary: "note") { revision }
	}`, map[string]any{"id": page.Artist.ID, "rev": page.Artist.Revision}, &edited)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("now at revision", edited.UpdateArtist.Revision)

	// The same edit again names a stale revision and is refused.
	err = api.Query(editor, `mutation($id: ID!) { updateArtist(id: $id, revision: 1, input: {note: "x"}) { revision } }`,
		map[string]any{"id": page.Artist.ID}, &edited)
	var errs gqlerror.List
	if errors.As(err, &errs) {
		fmt.Println(errs[0].Extensions["code"])
	}
	// Output:
	// Jungkook of BTS revision 1
	// now at revision 2
	// CONFLICT
}

// A host with its own users plugs them in: here, a session cookie its login
// page set. Reads stay public; writes act for the user.
func ExampleOptions_authenticate() {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, sqlstore.MemoryPath)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	sessions := map[string]*domain.Identity{"s3cr3t": {Name: "wiki:mina", Role: domain.RoleEditor}}
	api := httpapi.New(db, httpapi.Options{
		Logger: slog.New(slog.DiscardHandler),
		Authenticate: func(r *http.Request) (*domain.Identity, error) {
			c, err := r.Cookie("session")
			if err != nil {
				return nil, nil // anonymous: may read
			}
			return sessions[c.Value], nil
		},
	})
	srv := httptest.NewServer(api)
	defer srv.Close()

	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query": "{ viewer { name role } }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(&http.Cookie{Name: "session", Value: "s3cr3t"})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	fmt.Println(string(body))
	// Output:
	// {"data":{"viewer":{"name":"wiki:mina","role":"EDITOR"}}}
}
