package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/artistgraph/artistgraph/domain"
)

// Many readers and several writers at once, through HTTP, for a bounded
// time: no error reaches a client (SQLITE_BUSY included), every write the
// server acknowledged is there afterwards, and the file passes SQLite's
// integrity check.
func TestReadersAndWritersAtOnce(t *testing.T) {
	srv, db, _ := newServer(t)
	const writers, readers = 4, 8
	deadline := time.Now().Add(2 * time.Second)
	var mu sync.Mutex
	var problems []string
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(problems) < 20 {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}
	acknowledged := make([][]string, writers)
	var wg sync.WaitGroup
	for w := range writers {
		token := mustToken(t, db, fmt.Sprint("writer-", w), domain.RoleEditor)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				slug := fmt.Sprintf("stress-%d-%d", w, i)
				res := postAs(t, srv.URL, token, `mutation($slug: String!) { createArtist(input: {slug: $slug, name: $slug, birthDate: "2000"}) { id revision } }`, map[string]any{"slug": slug})
				if len(res.Errors) > 0 {
					fail("writer %d: %+v", w, res.Errors)
					return
				}
				var created struct{ CreateArtist struct{ ID string } }
				if err := json.Unmarshal(res.Data, &created); err != nil {
					fail("writer %d: %v", w, err)
					return
				}
				res = postAs(t, srv.URL, token, `mutation($id: ID!) { updateArtist(id: $id, revision: 1, input: {note: "edited"}) { revision } }`, map[string]any{"id": created.CreateArtist.ID})
				if len(res.Errors) > 0 {
					fail("writer %d update: %+v", w, res.Errors)
					return
				}
				acknowledged[w] = append(acknowledged[w], slug)
			}
		}()
	}
	queries := []string{
		`{ artists(first: 50) { totalCount edges { node { name memberships { group { name } } } } } }`,
		`{ search(query: "stress") { edges { node { name } } } }`,
		`{ song(slug: "seven") { creditLine milestones { threshold reached } } }`,
		`{ recentChanges(first: 20) { edges { node { actor action node { id } } } } }`,
	}
	reads := make([]int, readers)
	for r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				if res := post(t, srv.URL, queries[(r+i)%len(queries)], nil); len(res.Errors) > 0 {
					fail("reader %d: %+v", r, res.Errors)
					return
				}
				reads[r]++
			}
		}()
	}
	wg.Wait()
	for _, p := range problems {
		t.Error(p)
	}
	total, totalReads := 0, 0
	ctx := context.Background()
	for w := range writers {
		for _, slug := range acknowledged[w] {
			id, err := db.IDBySlug(ctx, domain.KindArtist, slug)
			if err != nil {
				t.Fatalf("acknowledged %s is missing: %v", slug, err)
			}
			if nodes, _ := db.Nodes(ctx, []int64{id}); nodes[0].NodeRevision() != 2 {
				t.Errorf("%s is at revision %d, want 2", slug, nodes[0].NodeRevision())
			}
			total++
		}
	}
	for _, n := range reads {
		totalReads += n
	}
	if total == 0 || totalReads == 0 {
		t.Fatalf("%d writes and %d reads acknowledged", total, totalReads)
	}
	t.Logf("%d artists created and edited, %d reads, in 2 s", total, totalReads)
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
}
