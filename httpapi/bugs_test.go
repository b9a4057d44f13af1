package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/httpapi"
	"github.com/artistgraph/artistgraph/storetest"
)

// Bugs users hit, each kept fixed by a test.

func newEmbedded(t *testing.T, opts httpapi.Options) *httpapi.Handler {
	t.Helper()
	opts.Logger = slog.New(slog.DiscardHandler)
	return httpapi.New(storetest.Seeded(t), opts)
}

func codeOf(t *testing.T, err error) (code, requestID string) {
	t.Helper()
	var errs gqlerror.List
	if !errors.As(err, &errs) || len(errs) == 0 {
		t.Fatalf("error %v is not a gqlerror.List", err)
	}
	code, _ = errs[0].Extensions["code"].(string)
	requestID, _ = errs[0].Extensions["requestId"].(string)
	return code, requestID
}

func TestHandlerQueryReportsWhatHappened(t *testing.T) {
	api := newEmbedded(t, httpapi.Options{})
	var out map[string]any

	// A context already cancelled: an error with a code, no panic.
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	err := api.Query(cancelled, `{ artist(slug: "jungkook") { name } }`, nil, &out)
	if code, id := codeOf(t, err); code != httpapi.ECANCELLED || id == "" {
		t.Errorf("cancelled: code %q, request ID %q", code, id)
	}

	// A deadline: TIMEOUT, with the request ID to quote.
	expired, stop := context.WithTimeout(context.Background(), time.Nanosecond)
	defer stop()
	time.Sleep(time.Millisecond)
	err = api.Query(expired, `{ artist(slug: "jungkook") { name } }`, nil, &out)
	if code, id := codeOf(t, err); code != httpapi.ETIMEOUT || id == "" {
		t.Errorf("timed out: code %q, request ID %q", code, id)
	}

	// One field fails: the error comes back with the rest of the data.
	var partial struct {
		Artist struct{ Name string }
	}
	err = api.Query(context.Background(), `{ artist(slug: "jungkook") { name } node(id: "not-an-id") { id } }`, nil, &partial)
	if code, _ := codeOf(t, err); code != domain.EINVALID {
		t.Errorf("partial: code %q", code)
	}
	if partial.Artist.Name != "Jungkook" {
		t.Errorf("partial: the data that came back was dropped: %+v", partial)
	}
}

// A group that performs: its members that day, with their ages, marked
// with the group; the answer is not nulled.
func TestPerformerAgesOfAGroup(t *testing.T) {
	srv, _, _ := newServer(t)
	var out struct {
		Group struct {
			Performances struct {
				Edges []struct {
					Node struct {
						PerformerAges []struct {
							Artist struct{ Name string }
							Via    *struct{ Name string }
						}
					}
				}
			}
		}
	}
	query(t, srv.URL, `{ group(slug: "bts") { performances(first: 5) { edges { node { performerAges { artist { name } via { name } } } } } } }`, nil, &out)
	found := false
	for _, e := range out.Group.Performances.Edges {
		for _, a := range e.Node.PerformerAges {
			if a.Artist.Name == "Jungkook" && a.Via != nil && a.Via.Name == "BTS" {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("Jungkook's age on BTS's stages is missing: %+v", out)
	}
}

func TestUnknownNumbersAreNullAndZeroIsRefused(t *testing.T) {
	srv, db, _ := newServer(t)
	token := mustToken(t, db, "ed", "editor")
	var song struct {
		Song struct {
			ID              string
			Revision        int
			DurationSeconds *int
		}
	}
	query(t, srv.URL, `{ song(slug: "seven") { id revision durationSeconds } }`, nil, &song)
	vars := map[string]any{"id": song.Song.ID, "r": song.Song.Revision}
	mustFail(t, srv.URL, token, domain.EINVALID, `mutation($id: ID!, $r: Int!) { updateSong(id: $id, revision: $r, input: { durationSeconds: 0 }) { id } }`, vars)
	cleared := mustWrite(t, srv.URL, token, `mutation($id: ID!, $r: Int!) { updateSong(id: $id, revision: $r, input: { durationSeconds: null }) { durationSeconds } }`, vars)
	if d := cleared["updateSong"].(map[string]any)["durationSeconds"]; d != nil {
		t.Errorf("durationSeconds after clearing: %v, want null", d)
	}
}

func TestMutationsRefuseWhatFixturesRefuse(t *testing.T) {
	srv, db, _ := newServer(t)
	token := mustToken(t, db, "ed", "editor")
	id, revision := artistRevision(t, srv.URL, "jungkook")
	e := mustFail(t, srv.URL, token, domain.EINVALID, `mutation($id: ID!, $r: Int!) { updateArtist(id: $id, revision: $r, input: { country: "Korea" }) { id } }`,
		map[string]any{"id": id, "r": revision})
	if !strings.Contains(e.Message, "ISO 3166-1") {
		t.Errorf("country: %s", e.Message)
	}
	e = mustFail(t, srv.URL, token, domain.EINVALID, `mutation { createSource(input: { slug: "x", name: "X", url: "not a url" }) { id } }`, nil)
	if !strings.Contains(e.Message, "not a web address") {
		t.Errorf("url: %s", e.Message)
	}
}

// Bad numbers are the client's mistake, with what was wrong: never a panic
// or INTERNAL.
func TestBadArgumentsAreInvalid(t *testing.T) {
	srv, _, _ := newServer(t)
	race := `query($t: Int64!) { streamingRace(platform: "spotify", threshold: $t) { threshold } }`
	mustRefuse(t, srv.URL, domain.EINVALID, "99999999999999999999999 cannot be read: value out of range",
		`{ streamingRace(platform: "spotify", threshold: 99999999999999999999999) { threshold } }`, nil)
	mustRefuse(t, srv.URL, domain.EINVALID, "Int64: abc is not a whole number", race, map[string]any{"t": "abc"})
	mustRefuse(t, srv.URL, domain.EINVALID, "Int64: a boolean is not a whole number", race, map[string]any{"t": true})
}

// A cursor holds its ordering: one made under another is refused.
func TestCursorsKeepTheirOrdering(t *testing.T) {
	srv, _, _ := newServer(t)
	var page struct {
		Songs struct{ PageInfo struct{ EndCursor string } }
	}
	query(t, srv.URL, `{ songs(first: 2, orderBy: NAME) { pageInfo { endCursor } } }`, nil, &page)
	q := `query($after: String) { songs(first: 2, orderBy: RELEASED, after: $after) { totalCount } }`
	mustRefuse(t, srv.URL, domain.EINVALID, "the cursor was given out for another ordering (by name) than this one (by released)", q, map[string]any{"after": page.Songs.PageInfo.EndCursor})
	query(t, srv.URL, `query($after: String) { songs(first: 2, orderBy: NAME, after: $after) { totalCount } }`, map[string]any{"after": page.Songs.PageInfo.EndCursor}, &struct{}{})
}

// A host's identity may spell its role as GraphQL does.
func TestRolesInAnyCase(t *testing.T) {
	api := newEmbedded(t, httpapi.Options{})
	var a struct {
		Artist struct {
			ID       string
			Revision int
		}
	}
	if err := api.Query(context.Background(), `{ artist(slug: "jungkook") { id revision } }`, nil, &a); err != nil {
		t.Fatal(err)
	}
	editor := domain.WithIdentity(context.Background(), &domain.Identity{Name: "host:mina", Role: "EDITOR"})
	err := api.Query(editor, `mutation($id: ID!, $r: Int!) { updateArtist(id: $id, revision: $r, input: { note: "x" }) { id } }`,
		map[string]any{"id": a.Artist.ID, "r": a.Artist.Revision}, &struct{}{})
	if err != nil {
		t.Errorf("role EDITOR: %v", err)
	}
}

// @defer is refused with a clear error rather than answered with nulls.
func TestDeferIsRefused(t *testing.T) {
	srv, _, _ := newServer(t)
	mustRefuse(t, srv.URL, domain.EINVALID, "@defer is not served", `{ artist(slug: "jungkook") { name ... @defer { memberships { roles } } } }`, nil)
}

// Editors racing on one node: each answer is what that mutation wrote (its
// own note at its own revision), never another editor's later commit, which
// a client would take as its base and overwrite without a CONFLICT.
func TestMutationAnswersAreWhatTheyWrote(t *testing.T) {
	srv, db, _ := newServer(t)
	token := mustToken(t, db, "ed", "editor")
	id, _ := artistRevision(t, srv.URL, "jungkook")
	const editors, rounds = 4, 40
	type answer struct {
		sent, note string
		revision   int
	}
	answers := make(chan answer, editors*rounds)
	var wg sync.WaitGroup
	for e := range editors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				note := fmt.Sprintf("editor %d, edit %d", e, i)
				for {
					var cur struct{ Artist struct{ Revision int } }
					if res := post(t, srv.URL, `{ artist(slug: "jungkook") { revision } }`, nil); len(res.Errors) == 0 {
						_ = json.Unmarshal(res.Data, &cur)
					}
					res := postAs(t, srv.URL, token, `mutation($id: ID!, $r: Int!, $n: String!) { updateArtist(id: $id, revision: $r, input: { note: $n }) { revision note } }`,
						map[string]any{"id": id, "r": cur.Artist.Revision, "n": note})
					if len(res.Errors) > 0 {
						if res.Errors[0].Extensions["code"] == domain.ECONFLICT {
							continue // another editor went first: read again
						}
						t.Errorf("edit refused: %+v", res.Errors)
						return
					}
					var out struct {
						UpdateArtist struct {
							Revision int
							Note     string
						}
					}
					_ = json.Unmarshal(res.Data, &out)
					answers <- answer{sent: note, note: out.UpdateArtist.Note, revision: out.UpdateArtist.Revision}
					break
				}
			}
		}()
	}
	wg.Wait()
	close(answers)
	seen := map[int]bool{}
	for a := range answers {
		if a.note != a.sent || seen[a.revision] {
			t.Errorf("sent %q, answered %q at revision %d (seen before: %v)", a.sent, a.note, a.revision, seen[a.revision])
		}
		seen[a.revision] = true
	}
}

// An admin can redact a recorded revision: its content and summary are gone
// from history for everyone, the change stays, and it cannot be reverted to.
func TestAdminsRedactRevisions(t *testing.T) {
	srv, db, _ := newServer(t)
	editor, admin := mustToken(t, db, "ed", "editor"), mustToken(t, db, "root", "admin")
	id, revision := artistRevision(t, srv.URL, "jungkook")
	planted := "PLANTED " + strings.Repeat("x", 100)
	update := `mutation($id: ID!, $r: Int!, $n: String, $s: String) { updateArtist(id: $id, revision: $r, input: { note: $n }, summary: $s) { revision } }`
	mustWrite(t, srv.URL, editor, update, map[string]any{"id": id, "r": revision, "n": planted, "s": planted})
	mustWrite(t, srv.URL, editor, update, map[string]any{"id": id, "r": revision + 1, "n": nil, "s": "cleaned"})
	redact := `mutation($id: ID!, $r: Int!) { redactRevision(id: $id, revision: $r, reason: "vandalism") { revision redacted { by reason } after summary } }`
	vars := map[string]any{"id": id, "r": revision + 1}
	mustFail(t, srv.URL, editor, domain.EFORBIDDEN, redact, vars)
	mustFail(t, srv.URL, admin, domain.ECONFLICT, redact, map[string]any{"id": id, "r": revision + 2})
	got := mustWrite(t, srv.URL, admin, redact, vars)["redactRevision"].(map[string]any)
	if got["after"] != nil || got["summary"] != nil || got["redacted"].(map[string]any)["by"] != "root" {
		t.Errorf("the redacted change: %v", got)
	}
	res := post(t, srv.URL, `query($id: ID!) { history(id: $id) { edges { node { revision before after summary redacted { reason } } } } }`, map[string]any{"id": id})
	if strings.Contains(string(res.Data), "PLANTED") || !strings.Contains(string(res.Data), "vandalism") {
		t.Errorf("history after redaction: %s", res.Data)
	}
	mustFail(t, srv.URL, admin, domain.ECONFLICT, `mutation($id: ID!, $r: Int!, $to: Int!) { revert(id: $id, revision: $r, to: $to) { revision } }`,
		map[string]any{"id": id, "r": revision + 2, "to": revision + 1})
}

// A second stint that overlaps a stored one is refused by a mutation as by
// a fixture: membersOn would list the artist twice.
func TestOverlappingStintsAreRefusedByMutations(t *testing.T) {
	srv, db, _ := newServer(t)
	token := mustToken(t, db, "ed", "editor")
	e := mustFail(t, srv.URL, token, domain.EINVALID, `mutation { createMembership(input: { group: "bts", artist: "jungkook", start: "2015", sources: ["wikipedia-bts"] }) { id } }`, nil)
	if !strings.Contains(e.Message, "jungkook is already a member then (from 2013-06-13, not ended)") {
		t.Errorf("message: %s", e.Message)
	}
}
