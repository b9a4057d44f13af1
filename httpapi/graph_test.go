package httpapi_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
)

const testFixtures = "testdata/graph-queries.json"

// dig walks decoded JSON by a dotted path of keys and list indexes.
func dig(t *testing.T, v any, path string) any {
	t.Helper()
	for _, key := range strings.Split(path, ".") {
		switch node := v.(type) {
		case map[string]any:
			v = node[key]
		case []any:
			i, err := strconv.Atoi(key)
			if err != nil || i >= len(node) {
				t.Fatalf("%s: no item %s in %v", path, key, node)
			}
			v = node[i]
		default:
			t.Fatalf("%s: cannot take %q of %v", path, key, v)
		}
	}
	return v
}

func list(t *testing.T, v any, path string) []any {
	t.Helper()
	l, ok := dig(t, v, path).([]any)
	if !ok {
		t.Fatalf("%s is not a list", path)
	}
	return l
}

// column collects one field of every item of a list.
func column(t *testing.T, v any, path, field string) []string {
	t.Helper()
	var out []string
	for _, item := range list(t, v, path) {
		out = append(out, fmt.Sprint(dig(t, item, field)))
	}
	return out
}

func ask(t *testing.T, srvURL string, q string) any {
	t.Helper()
	return askVars(t, srvURL, q, nil)
}

func askVars(t *testing.T, srvURL string, q string, vars map[string]any) any {
	t.Helper()
	var out any
	query(t, srvURL, q, vars, &out)
	return out
}

func TestPaths(t *testing.T) {
	srv, _, _ := newServer(t, testFixtures)
	tests := []struct {
		name, args string
		wantLen    int
		wantText   []string
	}{
		{"a featured artist", `from: "jungkook", to: "latto"`, 2, []string{"Jungkook is the artist of Seven", "Seven features Latto"}},
		{"a membership", `from: "artist:jungkook", to: "group:bts"`, 1, []string{"Jungkook is a member of BTS"}},
		{"read backwards", `from: "bts", to: "jungkook"`, 1, []string{"BTS has as a member Jungkook"}},
		{"a former member", `from: "zayn-malik", to: "one-direction"`, 1, []string{"Zayn Malik was a member of One Direction"}},
		{"through a record", `from: "jungkook", to: "harry-styles"`, 3, []string{"Jungkook is the artist of Seven", "Seven shares a record with As It Was", "As It Was is by Harry Styles"}},
		{"at the depth cap", `from: "gamma-three", to: "epsilon-five", maxDepth: 4`, 4, []string{"Gamma Three is the artist of Chain One", "Chain One features Delta Four", "Delta Four is the artist of Chain Two", "Chain Two features Epsilon Five"}},
		{"beyond the depth cap", `from: "gamma-three", to: "epsilon-five", maxDepth: 3`, -1, []string{"No chain of facts links Gamma Three and Epsilon Five within 3 steps"}},
		{"beyond the default depth", `from: "gamma-three", to: "chain-three"`, -1, []string{"within 4 steps"}},
		{"nothing links them", `from: "lonely-six", to: "jungkook", maxDepth: 6`, -1, []string{"No chain of facts links Lonely Six and Jungkook within 6 steps"}},
		{"only some kinds of fact", `from: "jungkook", to: "latto", factKinds: [MEMBERSHIP, AWARD_RESULT]`, -1, []string{"No chain"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ask(t, srv.URL, `{ path(`+tt.args+`) { text exhausted paths { length text steps { text forward } } } }`)
			paths := list(t, res, "path.paths")
			text := fmt.Sprint(dig(t, res, "path.text"))
			if tt.wantLen < 0 {
				if len(paths) != 0 || dig(t, res, "path.exhausted") != false {
					t.Errorf("want no path, got %v", paths)
				}
			} else if len(paths) == 0 || dig(t, paths[0], "length") != float64(tt.wantLen) {
				t.Fatalf("want a path of %d steps, got %v", tt.wantLen, paths)
			}
			for _, w := range tt.wantText {
				if !strings.Contains(text, w) {
					t.Errorf("%q does not say %q", text, w)
				}
			}
		})
	}
	several := ask(t, srv.URL, `{ path(from: "jungkook", to: "harry-styles", limit: 20) { paths { length text } } }`)
	texts := column(t, several, "path.paths", "text")
	if len(texts) < 3 {
		t.Errorf("want several shortest paths, got %v", texts)
	}
	for _, l := range column(t, several, "path.paths", "length") {
		if l != "3" {
			t.Errorf("a path of %s steps among the shortest", l)
		}
	}
	if len(slices.Compact(slices.Sorted(slices.Values(texts)))) != len(texts) {
		t.Errorf("paths repeat: %v", texts)
	}
	for _, bad := range []string{`from: "jungkook", to: "latto", maxDepth: 7`, `from: "jungkook", to: "latto", limit: 0`, `from: "nobody", to: "latto"`, `from: "planet:earth", to: "latto"`} {
		res := post(t, srv.URL, `{ path(`+bad+`) { text } }`, nil)
		if len(res.Errors) != 1 || (res.Errors[0].Extensions["code"] != "INVALID" && res.Errors[0].Extensions["code"] != "NOT_FOUND") {
			t.Errorf("%s: %+v", bad, res.Errors)
		}
	}
}

func TestRelated(t *testing.T) {
	srv, _, _ := newServer(t)
	res := ask(t, srv.URL, `{ group(slug: "bts") { related { factKind relation totalCount things { name } } } }`)
	for _, g := range list(t, res, "group.related") {
		if dig(t, g, "relation") == "has as a member" {
			if dig(t, g, "totalCount") != float64(7) || dig(t, g, "factKind") != "MEMBERSHIP" {
				t.Errorf("members group %v", g)
			}
			return
		}
	}
	t.Errorf("no members among %v", res)
}

func TestTimeline(t *testing.T) {
	srv, _, _ := newServer(t, testFixtures)
	res := ask(t, srv.URL, `{ artist(slug: "alpha-one") { timeline { totalCount edges { node { date precision kind text } } } } }`)
	dates := column(t, res, "artist.timeline.edges", "node.date")
	if !slices.IsSorted(dates) {
		t.Errorf("not in date order: %v", dates)
	}
	i31, i02, i03 := slices.Index(dates, "2024-01-31"), slices.Index(dates, "2024-02"), slices.Index(dates, "2024-03")
	if !(i31 >= 0 && i31 < i02 && i02 < i03) {
		t.Errorf("2024-02 must sort after 2024-01-31 and before 2024-03: %v", dates)
	}
	edges := list(t, res, "artist.timeline.edges")
	if dig(t, edges[i02], "node.precision") != "MONTH" || dig(t, edges[0], "node.kind") != "BIRTH" {
		t.Errorf("entries %v", edges)
	}
	texts := column(t, res, "artist.timeline.edges", "node.text")
	for _, want := range []string{"Alpha One was born", "Alpha One joined Test Band as singer", "Alpha One left Test Band", "Alpha One released Test Song Three", "Alpha One was featured on Test Song Five, released then", "Alpha One won Test Award (Best Test)"} {
		if !slices.Contains(texts, want) {
			t.Errorf("timeline lacks %q: %v", want, texts)
		}
	}

	bounded := ask(t, srv.URL, `{ artist(slug: "alpha-one") { timeline(from: "2024-02", to: "2024-02-15", kinds: [RELEASE]) { edges { node { date } } } } }`)
	if got := column(t, bounded, "artist.timeline.edges", "node.date"); fmt.Sprint(got) != "[2024-02]" {
		t.Errorf("bounded timeline %v, want the month-precise release only", got)
	}

	// A group's timeline holds its members' facts while they were members.
	group := ask(t, srv.URL, `{ group(slug: "test-band") { timeline { edges { node { date text via { slug } } } } } }`)
	var viaAlpha []string
	for _, e := range list(t, group, "group.timeline.edges") {
		if via, _ := dig(t, e, "node.via").(map[string]any); via != nil && via["slug"] == "alpha-one" {
			viaAlpha = append(viaAlpha, fmt.Sprint(dig(t, e, "node.date")))
		}
	}
	if !slices.Contains(viaAlpha, "2012-01-01") || slices.Contains(viaAlpha, "2024-01-31") {
		t.Errorf("Alpha One's entries on the band's timeline: %v, want 2012 (a member) and not 2024 (left in 2015)", viaAlpha)
	}

	// Pages follow one another without gaps or repeats.
	var seen []string
	after := ""
	for {
		page := askVars(t, srv.URL, `query($after: String) { artist(slug: "jungkook") { timeline(first: 3, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { date text } } } } }`, map[string]any{"after": nilIfEmpty(after)})
		seen = append(seen, column(t, page, "artist.timeline.edges", "node.text")...)
		if dig(t, page, "artist.timeline.pageInfo.hasNextPage") != true {
			if float64(len(seen)) != dig(t, page, "artist.timeline.totalCount") {
				t.Errorf("paged %d entries of %v", len(seen), dig(t, page, "artist.timeline.totalCount"))
			}
			break
		}
		after = fmt.Sprint(dig(t, page, "artist.timeline.pageInfo.endCursor"))
	}
	if seen[0] != "Jungkook was born" || !slices.Contains(seen, "Jungkook joined BTS as main vocalist") {
		t.Errorf("Jungkook's career: %v", seen)
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func TestOnThisDay(t *testing.T) {
	srv, _, _ := newServer(t)
	res := ask(t, srv.URL, `{ onThisDay(date: "2000-06-13") { edges { node { date kind text } } } }`)
	texts := column(t, res, "onThisDay.edges", "node.text")
	for _, want := range []string{"BTS debuted", "BTS performed at M! Countdown, 13 June 2013: No More Dream"} {
		if !slices.Contains(texts, want) {
			t.Errorf("on 13 June: %v lacks %q", texts, want)
		}
	}
	if empty := ask(t, srv.URL, `{ onThisDay(date: "2000-02-29") { totalCount } }`); dig(t, empty, "onThisDay.totalCount") != float64(0) {
		t.Errorf("29 February: %v", empty)
	}
	if res := post(t, srv.URL, `{ onThisDay(date: "2013-06") { totalCount } }`, nil); len(res.Errors) != 1 || res.Errors[0].Extensions["code"] != "INVALID" {
		t.Errorf("a month for a day: %+v", res.Errors)
	}
}

func TestAsOf(t *testing.T) {
	srv, _, _ := newServer(t, testFixtures)
	tests := []struct{ date, want string }{
		{"2012-05-01", "[alpha-one:true beta-two:true]"},
		{"2015-06-10", "[alpha-one:false beta-two:true]"}, // Alpha left some day in June 2015
		{"2016", "[beta-two:true]"},
		{"2010-02", "[alpha-one:false]"}, // Alpha joined some time in 2010, Beta in March
		{"2010-03-15", "[alpha-one:false beta-two:false]"},
	}
	for _, tt := range tests {
		res := ask(t, srv.URL, `{ group(slug: "test-band") { membersOn(date: "`+tt.date+`") { certain membership { artist { slug } } } } }`)
		var got []string
		for _, m := range list(t, res, "group.membersOn") {
			got = append(got, fmt.Sprintf("%v:%v", dig(t, m, "membership.artist.slug"), dig(t, m, "certain")))
		}
		if fmt.Sprint(got) != tt.want {
			t.Errorf("members on %s: %v, want %s", tt.date, got, tt.want)
		}
	}
	ages := ask(t, srv.URL, `{ event(slug: "fifa-world-cup-2022-opening-ceremony") { performances { edges { node { performerAges { artist { name } age { text } } } } } } }`)
	if got := dig(t, ages, "event.performances.edges.0.node.performerAges.0.age.text"); got != "25" {
		t.Errorf("Jungkook's age at the World Cup: %v", got)
	}
	debut := ask(t, srv.URL, `{ artist(slug: "jungkook") { age(on: "2013-06-13") { text } memberships { ageAtStart { text exact } } } }`)
	if dig(t, debut, "artist.age.text") != "15" || dig(t, debut, "artist.memberships.0.ageAtStart.exact") != true {
		t.Errorf("Jungkook's age at his debut: %v", debut)
	}
}

func TestStreamingRace(t *testing.T) {
	srv, _, _ := newServer(t, testFixtures)
	res := ask(t, srv.URL, `{ streamingRace(platform: "spotify", threshold: 1400000000) { entries { rank tied certain work { slug } days { text } } } }`)
	if got := column(t, res, "streamingRace.entries", "work.slug"); fmt.Sprint(got) != "[stay as-it-was seven]" {
		t.Errorf("the race to 1.4 billion: %v, want Seven third behind Stay and As It Was", got)
	}
	if dig(t, res, "streamingRace.entries.2.rank") != float64(3) || dig(t, res, "streamingRace.entries.2.certain") != false {
		t.Errorf("Seven's place: %v", dig(t, res, "streamingRace.entries.2"))
	}
	check := ask(t, srv.URL, `{ song(slug: "seven") { records { claim ranking { rank threshold } check { computedRank agrees certain support restsOn { support work { slug } } text } } } }`)
	checked := 0
	for _, r := range list(t, check, "song.records") {
		if c, _ := dig(t, r, "check").(map[string]any); c != nil {
			checked++
			if c["agrees"] != true || c["computedRank"] != dig(t, r, "ranking.rank") {
				t.Errorf("%v: %v", dig(t, r, "claim"), c)
			}
			// The race to 1.4 billion rests on the estimated dates of
			// Stay's and As It Was's milestones (see the fixtures).
			wantSupport, wantRests := "STATED", "[]"
			if dig(t, r, "ranking.threshold") == float64(1400000000) {
				wantSupport, wantRests = "ESTIMATED", "[stay as-it-was]"
			}
			if c["support"] != wantSupport || fmt.Sprint(column(t, c, "restsOn", "work.slug")) != wantRests {
				t.Errorf("%v: support %v resting on %v; want %s and %s", dig(t, r, "claim"), c["support"], column(t, c, "restsOn", "work.slug"), wantSupport, wantRests)
			}
			if wantSupport == "ESTIMATED" && !strings.Contains(fmt.Sprint(c["text"]), "it rests on milestones that are not stated: Stay's (estimated), As It Was's (estimated)") {
				t.Errorf("the check does not say what it rests on: %v", c["text"])
			}
		}
	}
	if checked != 2 {
		t.Errorf("%d ranking records checked, want the 1 and 1.4 billion claims", checked)
	}

	tie := ask(t, srv.URL, `{ streamingRace(platform: "test-stream", threshold: 100) { entries { rank tied certain work { slug } days { text } } unranked { work { slug } } } }`)
	got := fmt.Sprint(column(t, tie, "streamingRace.entries", "rank"), column(t, tie, "streamingRace.entries", "tied"), column(t, tie, "streamingRace.entries", "days.text"))
	if got != "[1 1 3] [true true false] [10 10 1–29]" {
		t.Errorf("race with a tie and a partial date: %s", got)
	}
	if u := column(t, tie, "streamingRace.unranked", "work.slug"); fmt.Sprint(u) != "[chain-one]" {
		t.Errorf("unranked: %v", u)
	}
	if none := ask(t, srv.URL, `{ streamingRace(platform: "spotify", threshold: 5) { entries { rank } } }`); len(list(t, none, "streamingRace.entries")) != 0 {
		t.Errorf("a threshold nobody reached: %v", none)
	}
}

func TestLeaders(t *testing.T) {
	srv, _, _ := newServer(t, testFixtures)
	peaks := ask(t, srv.URL, `{ chartLeaders(chart: "test-chart", by: PEAK) { rank tied value run { work { slug } } } }`)
	if got := fmt.Sprint(column(t, peaks, "chartLeaders", "rank"), column(t, peaks, "chartLeaders", "value")); got != "[1 2 2] [1 2 2]" {
		t.Errorf("peaks: %s", got)
	}
	weeks := ask(t, srv.URL, `{ chartLeaders(chart: "test-chart", by: WEEKS, first: 1) { rank tied value run { work { slug } } } }`)
	if got := fmt.Sprint(column(t, weeks, "chartLeaders", "run.work.slug"), column(t, weeks, "chartLeaders", "tied")); got != "[test-song-one test-song-two] [true true]" {
		t.Errorf("weeks, first 1 with its tie: %s", got)
	}
	awards := ask(t, srv.URL, `{ awardLeaders(award: "test-award") { rank tied count act { slug } } }`)
	if got := fmt.Sprint(column(t, awards, "awardLeaders", "act.slug"), column(t, awards, "awardLeaders", "rank")); got != "[alpha-one beta-two] [1 1]" {
		t.Errorf("award leaders: %s", got)
	}
	grammys := ask(t, srv.URL, `{ awardLeaders(award: "grammy-awards", year: 2023, result: NOMINATED) { count act { slug } } }`)
	if got := fmt.Sprint(column(t, grammys, "awardLeaders", "act.slug"), column(t, grammys, "awardLeaders", "count")); got != "[harry-styles] [4]" {
		t.Errorf("2023 Grammy nominations: %s", got)
	}
}

func TestSearchRanksAndExplainsMatches(t *testing.T) {
	srv, _, _ := newServer(t, testFixtures)
	tests := []struct{ query, want, kind string }{
		{"jungkook", "jungkook", "EXACT_NAME"},
		{"정국", "jungkook", "EXACT_ALIAS"},
		{"Jeon Jung-kook", "jungkook", "EXACT_ALIAS"},
		{"jungk", "jungkook", "PREFIX"},
		{"jungkok", "jungkook", "FUZZY"},
		{"bangtn", "bts", "FUZZY"},
		{"harry stiles", "harry-styles", "FUZZY"},
	}
	for _, tt := range tests {
		res := askVars(t, srv.URL, `query($q: String!) { search(query: $q, kinds: [ARTIST, GROUP]) { edges { matchKind matchedName node { slug } } } }`, map[string]any{"q": tt.query})
		edges := list(t, res, "search.edges")
		if len(edges) == 0 || dig(t, edges[0], "node.slug") != tt.want || dig(t, edges[0], "matchKind") != tt.kind {
			t.Errorf("search %q: %v, want %s by %s first", tt.query, edges, tt.want, tt.kind)
		}
	}
	// Paging walks prefix matches, then near spellings, each thing once.
	var seen []string
	after := ""
	for range 20 {
		page := askVars(t, srv.URL, `query($after: String) { search(query: "test song", first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { matchKind node { slug } } } }`, map[string]any{"after": nilIfEmpty(after)})
		seen = append(seen, column(t, page, "search.edges", "node.slug")...)
		if dig(t, page, "search.pageInfo.hasNextPage") != true {
			if float64(len(seen)) != dig(t, page, "search.totalCount") {
				t.Errorf("paged %d of %v results", len(seen), dig(t, page, "search.totalCount"))
			}
			break
		}
		after = fmt.Sprint(dig(t, page, "search.pageInfo.endCursor"))
	}
	if len(seen) < 5 || len(slices.Compact(slices.Sorted(slices.Values(seen)))) != len(seen) {
		t.Errorf("search pages: %v", seen)
	}
	if res := ask(t, srv.URL, `{ search(query: "zzzzqqq") { totalCount edges { node { slug } } } }`); dig(t, res, "search.totalCount") != float64(0) {
		t.Errorf("nonsense found %v", res)
	}
}

func TestFilteredAndOrderedLists(t *testing.T) {
	srv, _, _ := newServer(t, testFixtures)
	byDate := ask(t, srv.URL, `{ songs(act: "artist:alpha-one", releasedFrom: "2024", orderBy: RELEASED) { totalCount edges { node { slug released } } } }`)
	if got := column(t, byDate, "songs.edges", "node.released"); fmt.Sprint(got) != "[2024-01-31 2024-02 2024-03]" {
		t.Errorf("Alpha One's 2024 songs by date: %v", got)
	}
	primary := ask(t, srv.URL, `{ songs(act: "alpha-one", role: PRIMARY, releasedTo: "2024-02-15") { edges { node { slug } } } }`)
	if got := column(t, primary, "songs.edges", "node.slug"); fmt.Sprint(got) != "[test-song-one test-song-three]" {
		t.Errorf("primary credits up to mid-February 2024: %v", got)
	}
	// Keyset pages stay in order, descending too.
	var desc []string
	after := ""
	for range 20 {
		page := askVars(t, srv.URL, `query($after: String) { songs(act: "alpha-one", orderBy: RELEASED, descending: true, first: 1, after: $after) { pageInfo { hasNextPage endCursor } edges { node { released } } } }`, map[string]any{"after": nilIfEmpty(after)})
		desc = append(desc, column(t, page, "songs.edges", "node.released")...)
		if dig(t, page, "songs.pageInfo.hasNextPage") != true {
			break
		}
		after = fmt.Sprint(dig(t, page, "songs.pageInfo.endCursor"))
	}
	if fmt.Sprint(desc) != "[2024-03 2024-02 2024-01-31 2012-01-01]" {
		t.Errorf("descending pages: %v", desc)
	}
	streams := ask(t, srv.URL, `{ songs(orderBy: STREAMS, descending: true, first: 3) { edges { node { slug } } } }`)
	if got := column(t, streams, "songs.edges", "node.slug"); !slices.Contains(got, "seven") {
		t.Errorf("most streamed songs: %v", got)
	}
	noms := ask(t, srv.URL, `{ artist(slug: "harry-styles") { awardResults(result: NOMINATED, year: 2023) { totalCount } won: awardResults(result: WON) { totalCount } } }`)
	if dig(t, noms, "artist.awardResults.totalCount") != float64(4) || dig(t, noms, "artist.won.totalCount") != float64(3) {
		t.Errorf("Harry Styles's Grammys: %v", noms)
	}
	perf := ask(t, srv.URL, `{ ceremonies: performances(eventKind: CEREMONY) { edges { node { event { slug } } } }
		in2013: performances(from: "2013", to: "2013-12") { edges { node { event { slug } } } }
		none: performances(from: "2030") { totalCount } }`)
	if got := fmt.Sprint(column(t, perf, "ceremonies.edges", "node.event.slug"), column(t, perf, "in2013.edges", "node.event.slug"), dig(t, perf, "none.totalCount")); got != "[fifa-world-cup-2022-opening-ceremony 65th-annual-grammy-awards] [m-countdown-2013-06-13] 0" {
		t.Errorf("performances filtered: %s", got)
	}
	credits := ask(t, srv.URL, `{ artist(slug: "latto") { credits(role: FEATURED) { totalCount } primary: credits(role: PRIMARY) { totalCount } } }`)
	if dig(t, credits, "artist.credits.totalCount") != float64(1) || dig(t, credits, "artist.primary.totalCount") != float64(0) {
		t.Errorf("Latto's credits by role: %v", credits)
	}
}

// Arguments with defaults may be sent as null: the default holds.
func TestNullArgumentsTakeTheirDefaults(t *testing.T) {
	srv, _, _ := newServer(t)
	for _, q := range []string{
		`{ songs(orderBy: null, descending: null, first: null) { edges { node { slug } } } }`,
		`{ streamingRace(platform: "spotify", threshold: 1400000000, metric: null, first: null) { totalCount } }`,
		`{ chartLeaders(chart: "billboard-hot-100", by: null, first: null) { rank } }`,
		`{ awardLeaders(result: null, first: null) { rank } }`,
		`{ path(from: "jungkook", to: "latto", maxDepth: null, limit: null) { text } }`,
		`{ artist(slug: "jungkook") { timeline(first: null) { totalCount } related(first: null) { relation } credits(first: null) { totalCount } } }`,
		`{ search(query: "seven", first: null) { totalCount } }`,
	} {
		if res := post(t, srv.URL, q, nil); len(res.Errors) > 0 {
			t.Errorf("%s: %+v", q, res.Errors)
		}
	}
}

// TestTopLevelListFilters filters the lists of artists, groups, albums and
// events of the built-in fixtures.
func TestTopLevelListFilters(t *testing.T) {
	srv, _, _ := newServer(t)
	slugs := func(q, list string) string {
		t.Helper()
		return fmt.Sprint(column(t, ask(t, srv.URL, q), list+".edges", "node.slug"))
	}
	for _, c := range []struct{ query, list, want string }{
		{`{ artists(country: "GB", first: 100) { edges { node { slug } } } }`, "artists", "[harry-styles liam-payne louis-tomlinson zayn-malik]"},
		{`{ artists(bornFrom: "1995", bornTo: "1997-09", first: 100) { edges { node { slug } } } }`, "artists", "[jimin jungkook v]"},
		{`{ artists(country: "KR", bornTo: "1993-06", first: 100) { edges { node { slug } } } }`, "artists", "[jin suga]"},
		{`{ groups(formedFrom: "2010-07", first: 100) { edges { node { slug } } } }`, "groups", "[bts one-direction]"},
		{`{ groups(formedFrom: "2010-08", first: 100) { edges { node { slug } } } }`, "groups", "[bts]"},
		{`{ groups(country: "GB") { edges { node { slug } } } }`, "groups", "[one-direction]"},
		{`{ albums(kind: STUDIO_ALBUM, year: 2022) { edges { node { slug } } } }`, "albums", "[harrys-house]"},
		{`{ albums(year: 2013) { edges { node { slug } } } }`, "albums", "[2-cool-4-skool]"},
		{`{ events(kind: CEREMONY, from: "2022") { edges { node { slug } } } }`, "events", "[65th-annual-grammy-awards fifa-world-cup-2022-opening-ceremony]"},
		{`{ events(to: "2013-06") { edges { node { slug } } } }`, "events", "[m-countdown-2013-06-13 the-x-factor-series-7]"},
	} {
		if got := slugs(c.query, c.list); got != c.want {
			t.Errorf("%s: %s, want %s", c.query, got, c.want)
		}
	}
	for _, q := range []string{`{ artists(country: "Korea") { totalCount } }`, `{ albums(year: 0) { totalCount } }`} {
		res := post(t, srv.URL, q, nil)
		if len(res.Errors) == 0 || res.Errors[0].Extensions["code"] != "INVALID" {
			t.Errorf("%s: %+v", q, res.Errors)
		}
	}
}

// TestConnectionsPageBothWays walks lists forwards (first, after) and
// backwards (last, before), as Relay clients do: the same items in the same
// order, and page info that says where each page stands.
func TestConnectionsPageBothWays(t *testing.T) {
	srv, _, _ := newServer(t)
	const page = `pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id } }`
	// Each list is a query with ARGS where the connection's arguments go,
	// and the path to the connection in the answer.
	walk := func(query, list, node string, backwards bool) []string {
		t.Helper()
		var got []string
		cursor := ""
		for range 50 {
			args, more, other, next := "first: 2, after: $c", "hasNextPage", "hasPreviousPage", "endCursor"
			if backwards {
				args, more, other, next = "last: 2, before: $c", "hasPreviousPage", "hasNextPage", "startCursor"
			}
			answer := askVars(t, srv.URL, `query($c: String) { `+strings.ReplaceAll(query, "ARGS", args)+` }`, map[string]any{"c": nilIfEmpty(cursor)})
			ids := column(t, answer, list+".edges", "node."+node)
			if backwards {
				got = append(ids, got...)
			} else {
				got = append(got, ids...)
			}
			if dig(t, answer, list+".pageInfo."+other) != (cursor != "") {
				t.Errorf("%s: %s is %v with cursor %q", list, other, dig(t, answer, list+".pageInfo."+other), cursor)
			}
			if dig(t, answer, list+".pageInfo."+more) != true {
				return got
			}
			cursor = fmt.Sprint(dig(t, answer, list+".pageInfo."+next))
		}
		t.Fatalf("%s: more than 50 pages", list)
		return nil
	}
	for _, c := range []struct{ query, list, node string }{
		{`artists(ARGS) { ` + page + ` }`, "artists", "id"},
		{`songs(orderBy: STREAMS, descending: true, ARGS) { ` + page + ` }`, "songs", "id"},
		{`artists(country: "KR", ARGS) { ` + page + ` }`, "artists", "id"},
		{`artist(slug: "jungkook") { credits(ARGS) { ` + page + ` } }`, "artist.credits", "id"},
		{`group(slug: "bts") { members(ARGS) { ` + page + ` } }`, "group.members", "id"},
		{`group(slug: "bts") { timeline(ARGS) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { text } } } }`, "group.timeline", "text"},
	} {
		forwards, backwards := walk(c.query, c.list, c.node, false), walk(c.query, c.list, c.node, true)
		if len(forwards) < 3 || fmt.Sprint(forwards) != fmt.Sprint(backwards) {
			t.Errorf("%s: forwards %v, backwards %v", c.query, forwards, backwards)
		}
	}
	refused := post(t, srv.URL, `{ artists(first: 2, last: 2) { totalCount } }`, nil)
	if len(refused.Errors) == 0 || refused.Errors[0].Extensions["code"] != "INVALID" {
		t.Errorf("first and last together: %+v", refused.Errors)
	}
}

// A second career in the built-in fixtures says what the model could not
// before issue 13: a group formed on a TV show, its hiatus, an award
// ceremony and its edition, weeks at number one and a re-entry.
func TestSecondCareer(t *testing.T) {
	srv, db, _ := newServer(t)
	res := ask(t, srv.URL, `{ group(slug: "one-direction") {
		formedOn { slug edition }
		hiatuses { start end }
		resting: membersOn(date: "2017-05") { onHiatus membership { artist { slug } } }
		touring: membersOn(date: "2013") { onHiatus }
		timeline(kinds: [FORMED, HIATUS]) { edges { node { kind text } } }
	} }`)
	if dig(t, res, "group.formedOn.slug") != "the-x-factor-series-7" || fmt.Sprint(dig(t, res, "group.hiatuses")) != "[map[end:<nil> start:2016]]" {
		t.Errorf("One Direction's formation and hiatus: %v", dig(t, res, "group"))
	}
	resting := list(t, res, "group.resting")
	if len(resting) != 4 || dig(t, resting[0], "onHiatus") != true || dig(t, res, "group.touring.0.onHiatus") != false {
		t.Errorf("members in 2017, on hiatus: %v; in 2013: %v", resting, dig(t, res, "group.touring"))
	}
	if got := fmt.Sprint(column(t, res, "group.timeline.edges", "node.text")); got != "[One Direction was formed on The X Factor (series 7) One Direction went on hiatus]" {
		t.Errorf("timeline: %s", got)
	}

	grammys := ask(t, srv.URL, `{ event(slug: "65th-annual-grammy-awards") { edition awardResults { category ceremony { slug } } performances { edges { node { performers { slug } } } } } }`)
	if dig(t, grammys, "event.edition") != float64(65) || len(list(t, grammys, "event.awardResults")) != 6 ||
		dig(t, grammys, "event.awardResults.0.ceremony.slug") != "65th-annual-grammy-awards" || dig(t, grammys, "event.performances.edges.0.node.performers.0.slug") != "harry-styles" {
		t.Errorf("the 65th Grammys: %v", grammys)
	}

	editor := mustToken(t, db, "ed", domain.RoleEditor)
	mustWrite(t, srv.URL, editor, `mutation { createChartRun(input: {song: "as-it-was", chart: "billboard-hot-100", entered: "2023-01-07", peak: 3,
		weeksAtPeak: {value: 2, bound: AT_LEAST}, sources: ["wikipedia-harry-styles"]}) { id } }`, nil)
	runs := ask(t, srv.URL, `{ song(slug: "as-it-was") { chartRuns { entered run weeksAtPeak { value text } } } }`)
	if got := fmt.Sprint(column(t, runs, "song.chartRuns", "entered"), column(t, runs, "song.chartRuns", "run"), column(t, runs, "song.chartRuns", "weeksAtPeak.value")); got != "[2022-04-16 2023-01-07] [1 2] [15 2]" {
		t.Errorf("As It Was's runs (the second a re-entry): %s", got)
	}

	// The same through edits: a hiatus ends, a result is given at a ceremony.
	id := dig(t, ask(t, srv.URL, `{ group(slug: "one-direction") { id revision } }`), "group.id")
	data := mustWrite(t, srv.URL, editor, `mutation($id: ID!) {
		updateGroup(id: $id, revision: 1, input: {hiatuses: [{start: "2016", end: "2030"}], formedOn: null}) { hiatuses { start end } formedOn { slug } }
	}`, map[string]any{"id": id})
	if fmt.Sprint(dig(t, data, "updateGroup.hiatuses")) != "[map[end:2030 start:2016]]" || dig(t, data, "updateGroup.formedOn") != nil {
		t.Errorf("updated hiatuses: %v", data)
	}
	data = mustWrite(t, srv.URL, editor, `mutation {
		createAwardResult(input: {award: "grammy-awards", ceremony: "63rd-annual-grammy-awards", date: "2021-03-14", category: "Best Pop Vocal Album",
			result: NOMINATED, recipients: ["harry-styles"], work: {album: "fine-line"}, sources: ["wikipedia-63rd-grammys"]}) { ceremony { edition } }
	}`, nil)
	if dig(t, data, "createAwardResult.ceremony.edition") != float64(63) {
		t.Errorf("created %v", data)
	}
	bad := mustFail(t, srv.URL, editor, domain.EINVALID, `mutation {
		createAwardResult(input: {award: "grammy-awards", ceremony: "65th-annual-grammy-award", date: "2023-02-05", category: "Best Pop Solo Performance",
			result: NOMINATED, recipients: ["harry-styles"], sources: ["wikipedia-65th-grammys"]}) { id }
	}`, nil)
	if !strings.Contains(bad.Message, `input.ceremony: no event has the slug "65th-annual-grammy-award"; did you mean "65th-annual-grammy-awards"?`) {
		t.Errorf("a mistyped ceremony: %+v", bad)
	}
}
