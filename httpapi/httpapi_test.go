package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/httpapi"
	"github.com/artistgraph/artistgraph/seed"
	"github.com/artistgraph/artistgraph/sqlstore"
	"github.com/artistgraph/artistgraph/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// newServer serves the real fixtures, and any fixture files given, from a
// real database file over real HTTP.
func newServer(t *testing.T, fixtures ...string) (*httptest.Server, *sqlstore.DB, *logBuffer) {
	t.Helper()
	return newServerWith(t, httpapi.Options{}, fixtures...)
}

// logBuffer collects the server's log; the server writes it from its own
// goroutines while a test reads it.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Reset()
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newServerWith(t *testing.T, opts httpapi.Options, fixtures ...string) (*httptest.Server, *sqlstore.DB, *logBuffer) {
	t.Helper()
	ctx := context.Background()
	db := storetest.Seeded(t)
	if len(fixtures) > 0 {
		if _, err := seed.Load(ctx, db, fixtures...); err != nil {
			t.Fatal(err)
		}
	}
	logs := &logBuffer{}
	opts.Logger = slog.New(slog.NewJSONHandler(logs, nil))
	srv := httptest.NewServer(httpapi.New(db, opts))
	t.Cleanup(srv.Close)
	return srv, db, logs
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

type response struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

// post sends a GraphQL request to the server at base.
func post(t *testing.T, base string, query string, vars map[string]any) response {
	t.Helper()
	return send(t, base, "", map[string]any{"query": query, "variables": vars})
}

// send posts a GraphQL request body, with a bearer token unless it is "".
func send(t *testing.T, base, token string, payload map[string]any) response {
	t.Helper()
	body, _ := json.Marshal(payload)
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out response
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// artistRevision is an artist's global ID and current revision, for a test
// that edits it.
func artistRevision(t *testing.T, base, slug string) (id string, revision int) {
	t.Helper()
	var a struct {
		Artist struct {
			ID       string
			Revision int
		}
	}
	query(t, base, `query($s: String!) { artist(slug: $s) { id revision } }`, map[string]any{"s": slug}, &a)
	return a.Artist.ID, a.Artist.Revision
}

// query runs a query that must succeed and decodes its data into out.
func query(t *testing.T, base string, q string, vars map[string]any, out any) {
	t.Helper()
	res := post(t, base, q, vars)
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %+v", res.Errors)
	}
	if err := json.Unmarshal(res.Data, out); err != nil {
		t.Fatal(err)
	}
}

type named struct {
	Name string `json:"name"`
	Slug string `json:"slug"`
}

// Who is featured on Seven, when did it come out, and what album is it the
// prelude to?
func TestSevenCreditsReleaseAndAlbum(t *testing.T) {
	srv, _, _ := newServer(t)
	var data struct {
		Song struct {
			Released   string `json:"released"`
			CreditLine string `json:"creditLine"`
			Credits    []struct {
				Role       string `json:"role"`
				Position   int    `json:"position"`
				CreditedAs string `json:"creditedAs"`
				Act        named  `json:"act"`
			} `json:"credits"`
			Tracks []struct {
				Relations []string `json:"relations"`
				Position  *int     `json:"position"`
				Album     struct {
					Name     string `json:"name"`
					Kind     string `json:"kind"`
					Released string `json:"released"`
				} `json:"album"`
			} `json:"tracks"`
		} `json:"song"`
	}
	query(t, srv.URL, `{ song(slug: "seven") {
		released creditLine
		credits { role position creditedAs act { name slug } }
		tracks { relations position album { name kind released } } } }`, nil, &data)
	s := data.Song
	if s.Released != "2023-07-14" || s.CreditLine != "Jung Kook feat. Latto" {
		t.Errorf("released %q, credit line %q", s.Released, s.CreditLine)
	}
	if len(s.Credits) != 2 || s.Credits[1].Role != "FEATURED" || s.Credits[1].Act.Slug != "latto" || s.Credits[1].Position != 2 {
		t.Errorf("credits %+v, want Latto featured second", s.Credits)
	}
	if len(s.Tracks) != 1 || s.Tracks[0].Album.Name != "GOLDEN" || s.Tracks[0].Relations[0] != "PRE_RELEASE_SINGLE" ||
		s.Tracks[0].Album.Kind != "STUDIO_ALBUM" || s.Tracks[0].Album.Released != "2023-11-03" || s.Tracks[0].Position != nil {
		t.Errorf("tracks %+v, want the prelude to GOLDEN at no known position", s.Tracks)
	}
}

// Which songs reached 1.4 billion Spotify streams, and in how many days?
// (Ranking them is the graph-queries issue; here the facts must be there.)
func TestStreamingMilestonesAndDaysSinceRelease(t *testing.T) {
	srv, _, _ := newServer(t)
	var data struct {
		Platform struct {
			Milestones struct {
				TotalCount int `json:"totalCount"`
				Edges      []struct {
					Node struct {
						Threshold int64  `json:"threshold"`
						Reached   string `json:"reached"`
						Note      string `json:"note"`
						Work      named  `json:"work"`
						Days      struct {
							Min   int    `json:"min"`
							Max   int    `json:"max"`
							Exact bool   `json:"exact"`
							Text  string `json:"text"`
						} `json:"daysSinceRelease"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"milestones"`
		} `json:"platform"`
	}
	query(t, srv.URL, `{ platform(slug: "spotify") { milestones(first: 100) { totalCount edges { node {
		threshold reached note work { name slug } daysSinceRelease { min max exact text } } } } } }`, nil, &data)
	days := map[string]string{}
	for _, e := range data.Platform.Milestones.Edges {
		days[e.Node.Work.Slug+"@"+json.Number(strings.TrimSuffix(strings.TrimSuffix(jsonInt(e.Node.Threshold), "00000000"), "0")).String()] = e.Node.Days.Text
		if e.Node.Work.Slug == "seven" && e.Node.Threshold == 1400000000 {
			if e.Node.Reached != "2024-02" || !strings.Contains(e.Node.Note, "In February 2023") {
				t.Errorf("Seven's 1.4B milestone: %+v, want 2024-02 with a note on the article's mistake", e.Node)
			}
		}
	}
	want := map[string]string{"seven@1": "108", "as-it-was@1": "117", "stay@1": "118", "seven@14": "202–230"}
	for k, v := range want {
		if days[k] != v {
			t.Errorf("days for %s = %q, want %q (all: %v)", k, days[k], v, days)
		}
	}
}

func jsonInt(n int64) string { b, _ := json.Marshal(n); return string(b) }

// Which group is Jungkook in, in which role, since when, and at what age did
// he debut? What has he performed, where and when? What has he been awarded?
func TestJungkookMembershipPerformancesAwards(t *testing.T) {
	srv, _, _ := newServer(t)
	var data struct {
		Artist struct {
			Names       []struct{ Value, Locale, Kind string } `json:"names"`
			BirthDate   string                                 `json:"birthDate"`
			Occupations []string                               `json:"occupations"`
			Education   []struct{ Institution string }         `json:"education"`
			Memberships []struct {
				Group      named                 `json:"group"`
				Roles      []string              `json:"roles"`
				Start      string                `json:"start"`
				Current    bool                  `json:"current"`
				AgeAtStart struct{ Text string } `json:"ageAtStart"`
			} `json:"memberships"`
			Performances struct {
				Edges []struct {
					Node struct {
						Date    string                       `json:"date"`
						Event   struct{ Name, Venue string } `json:"event"`
						SetList []struct{ Song named }       `json:"setList"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"performances"`
			AwardResults struct {
				Edges []struct {
					Node struct {
						Award    struct{ Name, Presenter string } `json:"award"`
						Category string                           `json:"category"`
						Result   string                           `json:"result"`
						Date     string                           `json:"date"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"awardResults"`
		} `json:"artist"`
	}
	query(t, srv.URL, `{ artist(slug: "jungkook") {
		names { value locale kind } birthDate occupations education { institution }
		memberships { group { name slug } roles start current ageAtStart { text } }
		performances { edges { node { date event { name venue } setList { song { name slug } } } } }
		awardResults { edges { node { award { name presenter } category result date } } } } }`, nil, &data)
	a := data.Artist
	if len(a.Memberships) != 1 {
		t.Fatalf("memberships %+v", a.Memberships)
	}
	m := a.Memberships[0]
	if m.Group.Slug != "bts" || m.Roles[0] != "main vocalist" || m.Start != "2013-06-13" || !m.Current || m.AgeAtStart.Text != "15" {
		t.Errorf("membership %+v, want BTS main vocalist since 2013-06-13, debuted at 15", m)
	}
	if len(a.Performances.Edges) != 1 {
		t.Fatalf("performances %+v", a.Performances.Edges)
	}
	p := a.Performances.Edges[0].Node
	if p.Date != "2022-11-20" || p.Event.Venue != "Al Bayt Stadium" || p.SetList[0].Song.Slug != "dreamers" {
		t.Errorf("performance %+v, want Dreamers at the World Cup opening", p)
	}
	if len(a.AwardResults.Edges) != 1 || a.AwardResults.Edges[0].Node.Award.Presenter != "President of South Korea" {
		t.Errorf("awards %+v, want the Order of Cultural Merit", a.AwardResults.Edges)
	}
	if !containsName(a.Names, "전정국") || !containsName(a.Names, "정국") || a.Education[0].Institution != "School of Performing Arts Seoul" {
		t.Errorf("names %+v, education %+v", a.Names, a.Education)
	}
}

func containsName(names []struct{ Value, Locale, Kind string }, v string) bool {
	for _, n := range names {
		if n.Value == v {
			return true
		}
	}
	return false
}

// BTS's debut stage, seen from the group: the performance, the set list and
// the group's awards with a group that shares them.
func TestGroupDebutStageAndAwards(t *testing.T) {
	srv, _, _ := newServer(t)
	var data struct {
		Group struct {
			Debuted string `json:"debuted"`
			Members struct {
				TotalCount int `json:"totalCount"`
			} `json:"members"`
			Performances struct {
				Edges []struct {
					Node struct {
						Note    string                       `json:"note"`
						Date    string                       `json:"date"`
						Event   struct{ Broadcaster string } `json:"event"`
						SetList []struct{ Song named }       `json:"setList"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"performances"`
			AwardResults struct {
				TotalCount int `json:"totalCount"`
			} `json:"awardResults"`
		} `json:"group"`
	}
	query(t, srv.URL, `{ group(slug: "bts") { debuted members { totalCount }
		performances { edges { node { note date event { broadcaster } setList { song { slug } } } } }
		awardResults { totalCount } } }`, nil, &data)
	g := data.Group
	if g.Debuted != "2013-06-13" || g.Members.TotalCount != 7 || g.AwardResults.TotalCount != 2 {
		t.Errorf("group %+v", g)
	}
	if len(g.Performances.Edges) != 1 || g.Performances.Edges[0].Node.Note != "BTS's debut stage." ||
		g.Performances.Edges[0].Node.SetList[0].Song.Slug != "no-more-dream" || g.Performances.Edges[0].Node.Event.Broadcaster != "Mnet" {
		t.Errorf("performances %+v", g.Performances.Edges)
	}
}

// How is Jungkook connected to Latto? To Harry Styles? Both chains of facts
// can be walked in one query.
func TestConnectionsCanBeWalked(t *testing.T) {
	srv, _, _ := newServer(t)
	var data struct {
		Artist struct {
			Credits struct {
				Edges []struct {
					Node struct {
						Work struct {
							Slug    string                `json:"slug"`
							Credits []struct{ Act named } `json:"credits"`
							Records []struct {
								Subjects []struct {
									Slug    string                `json:"slug"`
									Credits []struct{ Act named } `json:"credits"`
								} `json:"subjects"`
							} `json:"records"`
						} `json:"work"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"credits"`
		} `json:"artist"`
	}
	query(t, srv.URL, `{ artist(slug: "jungkook") { credits(first: 100) { edges { node { work {
		slug credits { act { slug } }
		records { subjects { slug ... on Work { credits { act { slug } } } } } } } } } } }`, nil, &data)
	reached := map[string]bool{}
	for _, e := range data.Artist.Credits.Edges {
		for _, c := range e.Node.Work.Credits {
			reached[c.Act.Slug] = true
		}
		for _, r := range e.Node.Work.Records {
			for _, s := range r.Subjects {
				for _, c := range s.Credits {
					reached[c.Act.Slug] = true
				}
			}
		}
	}
	for _, want := range []string{"latto", "harry-styles", "the-kid-laroi", "justin-bieber"} {
		if !reached[want] {
			t.Errorf("no chain of facts from Jungkook to %s (reached %v)", want, reached)
		}
	}
}

// Search "정국", "Jeon Jungkook", "bangtan", "seven": the right things come back.
func TestSearchOverHTTP(t *testing.T) {
	srv, _, _ := newServer(t)
	tests := []struct{ query, kinds, want string }{
		{"정국", "", "jungkook"},
		{"Jeon Jungkook", "", "jungkook"},
		{"bangtan", "", "bts"},
		{"seven", "[SONG]", "seven"},
		{"방탄소년단", "[GROUP, ARTIST]", "bts"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var data struct {
				Search struct {
					TotalCount int `json:"totalCount"`
					Edges      []struct {
						MatchedName string `json:"matchedName"`
						Node        struct {
							Typename string `json:"__typename"`
							Slug     string `json:"slug"`
						} `json:"node"`
					} `json:"edges"`
				} `json:"search"`
			}
			kinds := ""
			if tt.kinds != "" {
				kinds = ", kinds: " + tt.kinds
			}
			query(t, srv.URL, `query($q: String!) { search(query: $q`+kinds+`) { totalCount edges { matchedName node { __typename slug } } } }`,
				map[string]any{"q": tt.query}, &data)
			if len(data.Search.Edges) == 0 || data.Search.Edges[0].Node.Slug != tt.want || data.Search.Edges[0].MatchedName == "" {
				t.Errorf("search %q: %+v, want %s first", tt.query, data.Search, tt.want)
			}
		})
	}
	var empty struct {
		Search struct{ TotalCount int } `json:"search"`
	}
	query(t, srv.URL, `{ search(query: "\")(* AND NEAR") { totalCount } }`, nil, &empty)
}

// Where does each of these facts come from?
func TestEveryFactHasSources(t *testing.T) {
	srv, _, _ := newServer(t)
	var data struct {
		Source struct {
			Published string `json:"published"`
			Cites     struct {
				TotalCount int `json:"totalCount"`
				Edges      []struct {
					Node struct {
						Typename string `json:"__typename"`
						ID       string `json:"id"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"cites"`
		} `json:"source"`
		Song struct {
			Milestones []struct {
				Sources []struct {
					Name      string `json:"name"`
					Publisher string `json:"publisher"`
					URL       string `json:"url"`
				} `json:"sources"`
			} `json:"milestones"`
			ChartRuns []struct {
				Sources []named `json:"sources"`
			} `json:"chartRuns"`
		} `json:"song"`
	}
	query(t, srv.URL, `{ source(slug: "article-2024-02-22-seven") { published cites(first: 100) { totalCount edges { node { __typename id } } } }
		song(slug: "seven") { milestones { sources { name publisher url } } chartRuns { sources { slug } } } }`, nil, &data)
	if data.Source.Published != "2024-02-22" || data.Source.Cites.TotalCount < 30 {
		t.Errorf("the article is cited by %d nodes", data.Source.Cites.TotalCount)
	}
	kinds := map[string]bool{}
	for _, e := range data.Source.Cites.Edges {
		kinds[e.Node.Typename] = true
	}
	for _, k := range []string{"Artist", "Group", "Song", "Album", "Membership", "Credit", "Track", "AwardResult", "Performance", "ChartRun", "Milestone", "Record"} {
		if !kinds[k] {
			t.Errorf("no %s cites the article", k)
		}
	}
	for _, m := range data.Song.Milestones {
		if len(m.Sources) == 0 {
			t.Error("a milestone of Seven has no source")
		}
	}
	if m := data.Song.Milestones[0]; m.Sources[0].Publisher != "Yonhap News Agency" || !strings.HasPrefix(m.Sources[0].URL, "https://") {
		t.Errorf("the 1B milestone's source: %+v", m.Sources)
	}
}

// Relay: every ID fetches its node back; lists page with cursors.
func TestNodeIDsAndPagination(t *testing.T) {
	srv, _, _ := newServer(t)
	var list struct {
		Artists struct {
			TotalCount int `json:"totalCount"`
			PageInfo   struct {
				HasNextPage bool   `json:"hasNextPage"`
				EndCursor   string `json:"endCursor"`
			} `json:"pageInfo"`
			Edges []struct {
				Node struct{ ID, Name string } `json:"node"`
			} `json:"edges"`
		} `json:"artists"`
	}
	seen := map[string]bool{}
	after := ""
	for {
		vars := map[string]any{"after": nil}
		if after != "" {
			vars["after"] = after
		}
		query(t, srv.URL, `query($after: String) { artists(first: 5, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name } } } }`, vars, &list)
		for _, e := range list.Artists.Edges {
			if seen[e.Node.ID] {
				t.Fatalf("%s seen twice", e.Node.Name)
			}
			seen[e.Node.ID] = true
			var back struct {
				Node struct {
					Typename string `json:"__typename"`
					Name     string `json:"name"`
				} `json:"node"`
			}
			query(t, srv.URL, `query($id: ID!) { node(id: $id) { __typename ... on Artist { name } } }`, map[string]any{"id": e.Node.ID}, &back)
			if back.Node.Typename != "Artist" || back.Node.Name != e.Node.Name {
				t.Errorf("node(%s) = %+v, want artist %s", e.Node.ID, back.Node, e.Node.Name)
			}
		}
		if !list.Artists.PageInfo.HasNextPage {
			break
		}
		after = list.Artists.PageInfo.EndCursor
	}
	if len(seen) != list.Artists.TotalCount || len(seen) < 15 {
		t.Errorf("paged through %d of %d artists", len(seen), list.Artists.TotalCount)
	}
}

func TestMissingThingsAreNullAndBadInputIsAClearError(t *testing.T) {
	srv, _, _ := newServer(t)
	res := post(t, srv.URL, `{ artist(slug: "nobody") { name } }`, nil)
	if len(res.Errors) > 0 || string(res.Data) != `{"artist":null}` {
		t.Errorf("missing artist: %s %+v", res.Data, res.Errors)
	}
	tests := []struct{ query, code, says string }{
		{`{ node(id: "not-an-id") { id } }`, "INVALID", `"not-an-id" is not an artistgraph ID`},
		{`{ artists(first: 500) { totalCount } }`, "LIMIT_EXCEEDED", "artists(first: 500): at most 100 items a page"},
		{`{ artists(first: -1) { totalCount } }`, "INVALID", "first: must be between 1 and 100"},
		{`{ artists(after: "bogus") { totalCount } }`, "INVALID", "is not a cursor this API gave out"},
		{`{ artist(slug: "jungkook") { age(on: "2023-02-30") { text } } }`, "INVALID", "2023-02 has no day 30"},
		{`{ nosuchfield }`, "GRAPHQL_VALIDATION_FAILED", "Cannot query field"},
	}
	for _, tt := range tests {
		res := post(t, srv.URL, tt.query, nil)
		if len(res.Errors) != 1 || res.Errors[0].Extensions["code"] != tt.code || !strings.Contains(res.Errors[0].Message, tt.says) {
			t.Errorf("%s: errors %+v, want code %s saying %q", tt.query, res.Errors, tt.code, tt.says)
		}
	}
}

func TestInternalErrorsDoNotLeak(t *testing.T) {
	srv, db, logs := newServer(t)
	db.Close() // every read now fails inside the driver
	res := post(t, srv.URL, `{ artist(slug: "jungkook") { name } }`, nil)
	if len(res.Errors) != 1 {
		t.Fatalf("errors %+v", res.Errors)
	}
	e := res.Errors[0]
	if e.Extensions["code"] != "INTERNAL" || strings.Contains(strings.ToLower(e.Message), "sql") || !strings.Contains(e.Message, "quote request") {
		t.Errorf("error %+v leaks internals or lacks a request ID", e)
	}
	id := regexp.MustCompile(`request ([0-9a-f]+)`).FindStringSubmatch(e.Message)
	if id == nil || !strings.Contains(logs.String(), id[1]) || !strings.Contains(logs.String(), "database is closed") {
		t.Errorf("the log does not hold the detail for request %v:\n%s", id, logs)
	}
	if status, _ := get(t, srv.URL+"/healthz"); status != http.StatusServiceUnavailable {
		t.Errorf("healthz on a closed database: %d", status)
	}
}

func TestHTTPTransports(t *testing.T) {
	srv, _, _ := newServer(t)
	get := func(q, accept string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/graphql?query="+url.QueryEscape(q), nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := get(`{ song(slug: "seven") { name } }`, "application/json")
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"name":"Seven"`) || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Errorf("GET: %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	res = get(`{ song(slug: "seven") { name } }`, "application/graphql-response+json")
	res.Body.Close()
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/graphql-response+json") {
		t.Errorf("Accept application/graphql-response+json answered %s", res.Header.Get("Content-Type"))
	}
	if res.Header.Get("X-Request-ID") == "" {
		t.Error("no X-Request-ID header")
	}
	big := bytes.Repeat([]byte(" "), httpapi.DefaultMaxBodyBytes+1)
	res, err := http.Post(srv.URL+"/graphql", "application/json", bytes.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge || len(body) > 200 {
		t.Errorf("oversized body: %d %q", res.StatusCode, body)
	}
}

// get fetches a URL and returns its status and body.
func get(t *testing.T, url string) (int, []byte) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, body
}

func TestPlaygroundWorksOffline(t *testing.T) {
	srv, _, _ := newServer(t)
	status, page := get(t, srv.URL+"/")
	if status != 200 || !strings.Contains(string(page), `song(slug: \"seven\")`) {
		t.Fatalf("playground: %d, example query missing:\n%s", status, page)
	}
	if regexp.MustCompile(`(src|href)="(https?:)?//`).Match(page) {
		t.Error("the playground loads something from another host")
	}
	for _, asset := range regexp.MustCompile(`(?:src|href)="(graphiql/[^"]+)"`).FindAllStringSubmatch(string(page), -1) {
		if status, body := get(t, srv.URL+"/"+asset[1]); status != 200 || len(body) < 1000 {
			t.Errorf("%s: %d, %d bytes", asset[1], status, len(body))
		}
	}
}

// Every example the playground opens with runs without errors, with its
// variables; a subscription receives an edit made meanwhile.
func TestPlaygroundExamplesRun(t *testing.T) {
	srv, db, _ := newServer(t)
	_, page := get(t, srv.URL+"/")
	m := regexp.MustCompile(`(?s)<script id="default-tabs" type="application/json">(.*?)</script>`).FindSubmatch(page)
	if m == nil {
		t.Fatal("no default tabs in the page")
	}
	var tabs []struct{ Query, Variables string }
	if err := json.Unmarshal(m[1], &tabs); err != nil || len(tabs) < 4 {
		t.Fatalf("tabs %v: %v", tabs, err)
	}
	withVariables, subscriptions := 0, 0
	for _, tab := range tabs {
		var vars map[string]any
		if tab.Variables != "" {
			withVariables++
			if err := json.Unmarshal([]byte(tab.Variables), &vars); err != nil {
				t.Fatalf("variables %q: %v", tab.Variables, err)
			}
		}
		if strings.Contains(tab.Query, "subscription ") {
			subscriptions++
			c := dialWS(t, srv.URL, true)
			c.send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": tab.Query, "variables": vars}})
			// The subscription starts on its own goroutine: edit until a
			// change arrives, ten times at most.
			token := mustToken(t, db, "ed", "editor")
			var msg map[string]any
			for i := 0; msg == nil && i < 10; i++ {
				id, revision := artistRevision(t, srv.URL, "jungkook")
				mustWrite(t, srv.URL, token, `mutation($id: ID!, $r: Int!, $n: String!) { updateArtist(id: $id, revision: $r, input: { note: $n }, summary: "live") { id } }`,
					map[string]any{"id": id, "r": revision, "n": fmt.Sprint("live ", i)})
				msg = c.within(time.Second)
			}
			if msg["type"] != "next" || !strings.Contains(fmt.Sprint(msg), "live") {
				t.Errorf("the subscription example got %v", msg)
			}
			continue
		}
		if res := post(t, srv.URL, tab.Query, vars); len(res.Errors) > 0 || len(res.Data) < 50 {
			t.Errorf("example fails: %+v\n%s", res.Errors, tab.Query)
		}
	}
	if withVariables == 0 || subscriptions == 0 {
		t.Errorf("%d examples use variables and %d subscribe; want one of each at least", withVariables, subscriptions)
	}
}

// Introspection documents every type, field and argument: the playground's
// docs panel is the manual.
func TestEverythingInTheSchemaIsDescribed(t *testing.T) {
	srv, _, _ := newServer(t)
	var data struct {
		Schema struct {
			Types []struct {
				Name        string `json:"name"`
				Description string `json:"description"`
				Fields      []struct {
					Name        string `json:"name"`
					Description string `json:"description"`
					Args        []struct {
						Name        string `json:"name"`
						Description string `json:"description"`
					} `json:"args"`
				} `json:"fields"`
				EnumValues []struct {
					Name        string `json:"name"`
					Description string `json:"description"`
				} `json:"enumValues"`
			} `json:"types"`
		} `json:"__schema"`
	}
	query(t, srv.URL, `{ __schema { types { name description fields { name description args { name description } } enumValues { name description } } } }`, nil, &data)
	for _, ty := range data.Schema.Types {
		if strings.HasPrefix(ty.Name, "__") || ty.Name == "String" || ty.Name == "Int" || ty.Name == "Boolean" || ty.Name == "ID" || ty.Name == "Float" {
			continue
		}
		if ty.Description == "" {
			t.Errorf("type %s has no description", ty.Name)
		}
		for _, f := range ty.Fields {
			if f.Description == "" {
				t.Errorf("%s.%s has no description", ty.Name, f.Name)
			}
			for _, a := range f.Args {
				if a.Description == "" {
					t.Errorf("%s.%s(%s) has no description", ty.Name, f.Name, a.Name)
				}
			}
		}
		for _, v := range ty.EnumValues {
			if v.Description == "" {
				t.Errorf("%s.%s has no description", ty.Name, v.Name)
			}
		}
	}
}

func TestViewerAndBearerTokens(t *testing.T) {
	srv, db, _ := newServer(t)
	token, err := db.CreateToken(context.Background(), "ana", "admin")
	if err != nil {
		t.Fatal(err)
	}
	ask := func(header string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query": "{ viewer { name role } }"}`))
		req.Header.Set("Content-Type", "application/json")
		if header != "" {
			req.Header.Set("Authorization", header)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(body)
	}
	tests := []struct {
		header string
		status int
		says   string
	}{
		{"", 200, `{"data":{"viewer":null}}`},
		{"Bearer " + token, 200, `{"data":{"viewer":{"name":"ana","role":"ADMIN"}}}`},
		{"Bearer " + token + "x", 401, `"code":"UNAUTHENTICATED"`},
		{"Basic YW5hOmFuYQ==", 401, `must read \"Bearer <token>\"`},
	}
	for _, tt := range tests {
		status, body := ask(tt.header)
		if status != tt.status || !strings.Contains(body, tt.says) {
			t.Errorf("%q: %d %s", tt.header, status, body)
		}
	}
}

// A host backend plugs in its own users.
func TestCustomAuthentication(t *testing.T) {
	srv, _, _ := newServerWith(t, httpapi.Options{Authenticate: func(r *http.Request) (*domain.Identity, error) {
		if r.Header.Get("X-Wiki-User") == "" {
			return nil, nil
		}
		return &domain.Identity{Name: r.Header.Get("X-Wiki-User"), Role: domain.RoleEditor}, nil
	}})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query": "{ viewer { name role } }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Wiki-User", "moderator-7")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), `{"name":"moderator-7","role":"EDITOR"}`) {
		t.Errorf("got %s", body)
	}
}

// TestNodeIDOfAnotherKindIsNull forges the ID of an artist as a song's: it
// names nothing, in node and in nodes beside the artist's own ID.
func TestNodeIDOfAnotherKindIsNull(t *testing.T) {
	srv, db, _ := newServer(t)
	id, err := db.IDBySlug(context.Background(), domain.KindArtist, "jungkook")
	if err != nil {
		t.Fatal(err)
	}
	artist, forged := domain.GlobalID(domain.KindArtist, id), domain.GlobalID(domain.KindSong, id)
	got := askVars(t, srv.URL, `query($a: ID!, $f: ID!) { node(id: $f) { id } nodes(ids: [$a, $f, $a]) { id } }`, map[string]any{"a": artist, "f": forged})
	if dig(t, got, "node") != nil {
		t.Errorf("node(%s) = %v, want null", forged, dig(t, got, "node"))
	}
	if fmt.Sprint(dig(t, got, "nodes")) != fmt.Sprintf("[map[id:%s] <nil> map[id:%s]]", artist, artist) {
		t.Errorf("nodes = %v", dig(t, got, "nodes"))
	}
}
