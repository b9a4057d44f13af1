package httpapi_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/artistgraph/artistgraph/httpapi"
	"github.com/artistgraph/artistgraph/seed"
	"github.com/artistgraph/artistgraph/sqlite"
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

	db, err := sqlite.Open(ctx, filepath.Join(dir, "wiki.db"))
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
