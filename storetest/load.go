package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/seed"
)

func testLoadTwiceChangesNothing(t *testing.T, b Backend) {
	ctx := context.Background()
	db := b.seeded(t)
	before := b.fingerprint(t, db)
	ds, err := seed.ReadFS(seed.Fixtures())
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Load(ctx, ds); err != nil {
		t.Fatal(err)
	}
	if after := b.fingerprint(t, db); after != before {
		t.Error("loading the same fixtures again changed the database")
	}
}

// A bad fixture, loaded on top of the real ones, must be refused with every
// problem named, and must leave the database exactly as it was.
func testLoadRefusesInconsistentFacts(t *testing.T, b Backend) {
	const src = `"sources": ["article-2024-02-22-seven"]`
	tests := []struct {
		name    string
		fixture string
		want    []string
	}{
		{
			name:    "milestone before its song's release",
			fixture: `{"milestones": [{"song": "seven", "platform": "spotify", "metric": "streams", "threshold": 1400000000, "reached": "2023-02", ` + src + `}]}`,
			want:    []string{"bad.json: milestones[0].reached: 2023-02 is before the work's release (2023-07-14)"},
		},
		{
			name:    "membership ending before it starts",
			fixture: `{"groups": [{"slug": "bts", "name": "BTS", "members": [{"artist": "jungkook", "start": "2013-06-13", "end": "2012", ` + src + `}]}]}`,
			want:    []string{"groups[0].members[0].end: 2012 ends before it starts (start 2013-06-13)"},
		},
		{
			name:    "membership before the artist was born",
			fixture: `{"groups": [{"slug": "bts", "name": "BTS", "members": [{"artist": "jungkook", "start": "1990", ` + src + `}]}]}`,
			want:    []string{"groups[0].members[0].start: 1990 is before jungkook was born (1997-09-01)"},
		},
		{
			name:    "link to a thing that does not exist",
			fixture: `{"songs": [{"slug": "new-song", "name": "New Song", "credits": [{"act": "nobody", "role": "primary", ` + src + `}]}]}`,
			want:    []string{"songs[0].credits[0].act: no artist or group has the slug \"nobody\""},
		},
		{
			name:    "performance before the performer was born",
			fixture: `{"events": [{"slug": "old-show", "name": "Old Show", "kind": "broadcast", "start": "1995-01-01", "performances": [{"performers": ["jungkook"], ` + src + `}]}]}`,
			want:    []string{"events[0].performances[0].date: 1995-01-01 is before jungkook was born (1997-09-01)"},
		},
		{
			name:    "performance before the group was formed",
			fixture: `{"events": [{"slug": "old-show", "name": "Old Show", "kind": "broadcast", "start": "2009", "performances": [{"performers": ["bts"], ` + src + `}]}]}`,
			want:    []string{"2009 is before bts was formed (2010)"},
		},
		{
			name:    "award for a work before its release",
			fixture: `{"awards": [{"slug": "mama", "name": "Mnet Asian Music Awards", "results": [{"date": "2022", "result": "won", "recipients": ["jungkook"], "work": {"song": "seven"}, ` + src + `}]}]}`,
			want:    []string{"awards[0].results[0].date: 2022 is before the work's release (2023-07-14)"},
		},
		{
			name:    "death before birth",
			fixture: `{"artists": [{"slug": "jungkook", "name": "Jungkook", "deathDate": "1990"}]}`,
			want:    []string{"artists[0].deathDate: 1990 is before the artist was born (1997-09-01)"},
		},
		{
			name:    "signing before the label was founded",
			fixture: `{"labels": [{"slug": "big-hit-music", "name": "BigHit Music", "founded": "2005-02-01", "signings": [{"act": "jungkook", "start": "2004", ` + src + `}]}]}`,
			want:    []string{"labels[0].signings[0].start: 2004 is before the label was founded (2005-02-01)"},
		},
		{
			name:    "signing of an act that does not exist",
			fixture: `{"labels": [{"slug": "big-hit-music", "name": "BigHit Music", "signings": [{"act": "nobody", ` + src + `}]}]}`,
			want:    []string{"labels[0].signings[0].act: no artist or group has the slug \"nobody\""},
		},
		{
			name:    "release of a work that does not exist",
			fixture: `{"labels": [{"slug": "syco", "name": "Syco", "releases": [{"song": "no-such-song", ` + src + `}]}]}`,
			want:    []string{"labels[0].releases[0]"},
		},
		{
			name:    "chart entry before release",
			fixture: `{"chartRuns": [{"song": "seven", "chart": "billboard-hot-100", "entered": "2023-06-01", ` + src + `}]}`,
			want:    []string{"chartRuns[0].entered: 2023-06-01 is before the work's release (2023-07-14)"},
		},
		{
			name:    "a fact written apart naming a mistyped holder",
			fixture: `{"memberships": [{"group": "one-directon", "artist": "harry-styles", "start": "2010-07-23", "sources": ["wikipedia-one-direction"]}]}`,
			want:    []string{`bad.json: memberships[0].group: no group has the slug "one-directon"; did you mean "one-direction"?`},
		},
		{
			name:    "a mistyped act slug",
			fixture: `{"credits": [{"song": "seven", "act": "jungkok", "role": "featured", ` + src + `}]}`,
			want:    []string{`credits[0].act: no artist or group has the slug "jungkok"; did you mean "jungkook"?`},
		},
		{
			name:    "a new thing named like a stored one",
			fixture: `{"groups": [{"slug": "one-directon", "name": "One Direction", "members": [{"artist": "harry-styles", "start": "2010", "sources": ["wikipedia-one-direction"]}]}]}`,
			want: []string{`groups[0].slug: a new group "one-directon" has the name "One Direction", which group "one-direction" already has: ` +
				`to add to that one, use its slug; if this is another group, say so with "distinctFrom": ["one-direction"]`},
		},
		{
			name:    "two new things of one name",
			fixture: `{"songs": [{"slug": "echo-1", "name": "Echo"}, {"slug": "echo-2", "name": "ECHO"}]}`,
			want:    []string{`songs[1].slug: a new song "echo-2" has the name "ECHO", which song "echo-1" already has`},
		},
		{
			name:    "distinct from a thing that does not exist",
			fixture: `{"songs": [{"slug": "seven-2", "name": "Seven", "distinctFrom": ["sevn"]}]}`,
			want:    []string{`songs[0].distinctFrom[0]: no song has the slug "sevn"; did you mean "seven"?`, `songs[0].slug: a new song "seven-2" has the name "Seven", which song "seven" already has`},
		},
		{
			name:    "a held fact naming another holder",
			fixture: `{"groups": [{"slug": "bts", "name": "BTS", "members": [{"group": "one-direction", "artist": "jungkook", "start": "2013-06-13", ` + src + `}]}]}`,
			want:    []string{`groups[0].members[0].group: names group "one-direction", but the fact is written in group "bts"`},
		},
		{
			name:    "a credit written apart naming two works",
			fixture: `{"credits": [{"song": "seven", "album": "golden", "act": "jungkook", "role": "writer", ` + src + `}]}`,
			want:    []string{`credits[0]: names both song and album; a credit has one holder`},
		},
		{
			name:    "a performance written apart without its date",
			fixture: `{"performances": [{"event": "fifa-world-cup-2022-opening-ceremony", "performers": ["jungkook"], ` + src + `}]}`,
			want:    []string{`performances[0].date: is required of a performance written apart from its event`},
		},
		{
			name:    "a signing written apart before its label was founded",
			fixture: `{"signings": [{"label": "big-hit-music", "act": "jungkook", "start": "2004", ` + src + `}]}`,
			want:    []string{`signings[0].start: 2004 is before the label was founded (2005-02-01)`},
		},
		{
			name:    "a support that is not one",
			fixture: `{"chartRuns": [{"song": "seven", "chart": "billboard-hot-100", "entered": "2023-07-29", "support": "guessed", ` + src + `}]}`,
			want:    []string{`chartRuns[0].support: "guessed" is not one of stated, estimated, inferred`},
		},
		{
			name: "hiatuses out of the group's life and order",
			fixture: `{"groups": [{"slug": "bts", "name": "BTS", "formed": "2010", "disbanded": "2030",
				"hiatuses": [{"start": "2009"}, {"start": "2022-06", "end": "2021"}, {"start": "2031"}]}]}`,
			want: []string{
				"groups[0].hiatuses[0].start: 2009 is before the group was formed (2010)",
				"groups[0].hiatuses[1].end: 2021 ends before it starts (start 2022-06)",
				"groups[0].hiatuses[1].start: 2022-06 is not after the hiatus before it has ended (2009, not ended)",
				"groups[0].hiatuses[2].start: 2031 is after the group disbanded (2030)",
			},
		},
		{
			name:    "a group formed on an event that does not exist",
			fixture: `{"groups": [{"slug": "one-direction", "name": "One Direction", "formedOn": "the-x-factor-series-8"}]}`,
			want:    []string{`groups[0].formedOn: no event has the slug "the-x-factor-series-8"; did you mean "the-x-factor-series-7"?`},
		},
		{
			name:    "an award result before its ceremony",
			fixture: `{"awardResults": [{"award": "grammy-awards", "ceremony": "65th-annual-grammy-awards", "date": "2023-01", "category": "Best New Artist", "result": "nominated", "recipients": ["harry-styles"], ` + src + `}]}`,
			want:    []string{`awardResults[0].date: 2023-01 is before the ceremony (2023-02-05)`},
		},
		{
			name:    "more weeks at the peak than on the chart",
			fixture: `{"chartRuns": [{"song": "seven", "chart": "billboard-hot-100", "entered": "2023-07-29", "weeks": {"value": 10}, "weeksAtPeak": {"value": 12}, ` + src + `}]}`,
			want:    []string{`chartRuns[0].weeksAtPeak: 12 weeks at the peak, but 10 weeks on the chart`},
		},
		{
			name:    "the same slug twice",
			fixture: `{"songs": [{"slug": "twice", "name": "A"}, {"slug": "twice", "name": "B"}]}`,
			want:    []string{"songs[1].slug: song \"twice\" is described twice"},
		},
		{
			name:    "an act slug used by both an artist and a group",
			fixture: `{"artists": [{"slug": "bts", "name": "Not BTS"}]}`,
			want:    []string{"\"bts\" is already stored as a group"},
		},
		{
			name:    "a fact without a source",
			fixture: `{"songs": [{"slug": "new-song", "name": "New Song", "credits": [{"act": "jungkook", "role": "primary"}]}]}`,
			want:    []string{"songs[0].credits[0].sources: a fact must cite at least one source"},
		},
		{
			name:    "a value outside an enumeration",
			fixture: `{"albums": [{"slug": "new-album", "name": "New", "kind": "mixtape"}]}`,
			want:    []string{"albums[0].kind: \"mixtape\" is not one of studio_album"},
		},
		{
			name:    "a bad slug and a missing name",
			fixture: `{"artists": [{"slug": "Not A Slug", "name": ""}]}`,
			want:    []string{"artists[0].name: is required", "artists[0].slug: \"Not A Slug\" is not a slug"},
		},
		{
			name: "every problem at once",
			fixture: `{"milestones": [{"song": "seven", "platform": "nowhere", "metric": "likes", "threshold": 0, "reached": "2023-02", ` + src + `}],
				"records": [{"claim": "", "subjects": ["planet:earth"], "sources": ["no-such-source"]}]}`,
			want: []string{
				"milestones[0].platform: no platform has the slug \"nowhere\"",
				"milestones[0].metric: \"likes\" is not one of",
				"milestones[0].threshold: must be a positive count",
				"milestones[0].reached: 2023-02 is before the work's release",
				"records[0].claim: is required",
				"records[0].subjects[0]: \"planet:earth\" is not a reference",
				"records[0].sources[0]: no source has the slug \"no-such-source\"",
			},
		},
	}
	ctx := context.Background()
	db := b.seeded(t)
	before := b.fingerprint(t, db)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := seed.Decode([]byte(tt.fixture))
			if err != nil {
				t.Fatal(err)
			}
			seed.Locate(ds, "bad.json")
			err = db.Load(ctx, ds)
			if err == nil {
				t.Fatal("the load was accepted")
			}
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("code %s, want %s", domain.ErrorCode(err), domain.EINVALID)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error does not say %q:\n%v", want, err)
				}
			}
			if after := b.fingerprint(t, db); after != before {
				t.Error("the refused load changed the database")
			}
		})
	}
}

// A load into an empty database takes the fast path (its own IDs, queued
// rows, indexes rebuilt at the end); refused, it too leaves nothing behind.
func testRefusedFreshLoadLeavesTheDatabaseEmpty(t *testing.T, b Backend) {
	ctx := context.Background()
	db := b.open(t)
	before := b.fingerprint(t, db)
	ds, err := seed.ReadFS(seed.Fixtures())
	if err != nil {
		t.Fatal(err)
	}
	ds.Milestones[0].Reached = domain.MustParseDate("1999")
	if err := db.Load(ctx, ds); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("got %v, want the milestone refused", err)
	}
	if after := b.fingerprint(t, db); after != before {
		t.Error("the refused load changed the database or its schema")
	}
	ds.Milestones[0].Reached = domain.MustParseDate("2023-10-30")
	if err := db.Load(ctx, ds); err != nil {
		t.Fatalf("the mended load: %v", err)
	}
	if empty, err := db.IsEmpty(ctx); err != nil || empty {
		t.Errorf("after the mended load: empty %v, %v", empty, err)
	}
}

// The same fact twice in one fresh load is written once, like a second load.
func testFreshLoadWithARepeatedFact(t *testing.T, b Backend) {
	ctx := context.Background()
	db := b.open(t)
	ds, err := seed.Decode([]byte(`{
		"sources": [{"slug": "s", "name": "S"}],
		"artists": [{"slug": "a", "name": "A"}],
		"songs": [
			{"slug": "x", "name": "X", "credits": [{"act": "a", "role": "primary", "sources": ["s"]}, {"act": "a", "role": "primary", "note": "again", "sources": ["s"]}]}
		]}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Load(ctx, ds); err != nil {
		t.Fatal(err)
	}
	x, _ := db.IDBySlug(ctx, domain.KindSong, "x")
	credits, err := db.CreditsOfWorks(ctx, []int64{x})
	if err != nil || len(credits[x]) != 1 || credits[x][0].Note != "again" {
		t.Errorf("credits %+v, %v: want one, updated by the second", credits[x], err)
	}
}

// An act's credits page by their works' release dates, which a later load
// may change.
func testCreditsFollowAChangedReleaseDate(t *testing.T, b Backend) {
	ctx := context.Background()
	db := b.seeded(t)
	jungkook, _ := db.IDBySlug(ctx, domain.KindArtist, "jungkook")
	order := func() []string {
		pages, err := db.CreditsOfActs(ctx, []int64{jungkook}, "", domain.PageArgs{First: 10})
		if err != nil {
			t.Fatal(err)
		}
		credits, err := db.Credits(ctx, pages[jungkook].IDs)
		if err != nil {
			t.Fatal(err)
		}
		var slugs []string
		for _, c := range credits {
			nodes, _ := db.Nodes(ctx, []int64{c.WorkID})
			slugs = append(slugs, nodes[0].(domain.AnyThing).NodeName())
		}
		return slugs
	}
	if got := strings.Join(order(), ","); got != "Dreamers,Seven,GOLDEN" {
		t.Fatalf("credits by release: %s", got)
	}
	ds, err := seed.Decode([]byte(`{"songs": [{"slug": "dreamers", "name": "Dreamers", "released": "2024"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Load(ctx, ds); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(order(), ","); got != "Seven,GOLDEN,Dreamers" {
		t.Errorf("after Dreamers moved to 2024: %s", got)
	}
}

func testLoadAddsToTheStoredGraph(t *testing.T, b Backend) {
	ctx := context.Background()
	db := b.seeded(t)
	ds, err := seed.Decode([]byte(`{
		"songs": [{"slug": "3d", "name": "3D", "released": "2023-09-29",
			"credits": [{"act": "jungkook", "role": "primary", "creditedAs": "Jung Kook", "sources": ["wikipedia-jungkook"]}]}],
		"albums": [{"slug": "golden", "name": "GOLDEN", "kind": "studio_album", "released": "2023-11-03",
			"tracks": [{"song": "3d", "relations": ["pre_release_single"], "sources": ["wikipedia-jungkook"]}]}]
	}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Load(ctx, ds); err != nil {
		t.Fatal(err)
	}
	golden, err := db.IDBySlug(ctx, domain.KindAlbum, "golden")
	if err != nil {
		t.Fatal(err)
	}
	tracks, err := db.TracksOfAlbums(ctx, []int64{golden})
	if err != nil {
		t.Fatal(err)
	}
	if len(tracks[golden]) != 2 {
		t.Errorf("GOLDEN has %d tracks, want Seven and 3D", len(tracks))
	}
}

func testSearch(t *testing.T, b Backend) {
	ctx := context.Background()
	db := b.seeded(t)
	tests := []struct {
		query, kind, wantSlug, wantMatched string
	}{
		{"정국", "", "jungkook", "정국"},
		{"Jeon Jungkook", "", "jungkook", "Jeon Jungkook"},
		{"jeon jung-kook", "", "jungkook", "Jeon Jung-kook"},
		{"jeonjungkook", "", "jungkook", ""},
		{"bangtan", "", "bts", ""},
		{"방탄", "", "bts", "방탄소년단"},
		{"seven", "Song", "seven", "Seven"},
		{"SEVEN", "", "seven", ""},
		{"jungk", "Artist", "jungkook", "Jungkook"},
		{"hot 100", "", "billboard-hot-100", "Hot 100"},
		// Near spellings compare letters, Hangul's jamo included.
		{"jungkok", "", "jungkook", "Jungkook"},
		{"전정극", "", "jungkook", "전정국"},
		{"harystyles", "", "harry-styles", "Harry Styles"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var kinds []string
			if tt.kind != "" {
				kinds = []string{tt.kind}
			}
			hits, page, err := db.Search(ctx, tt.query, kinds, domain.PageArgs{})
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) == 0 {
				t.Fatal("nothing found")
			}
			nodes, err := db.Nodes(ctx, []int64{hits[0].ID})
			if err != nil {
				t.Fatal(err)
			}
			var slug string
			switch n := nodes[0].(type) {
			case *domain.Artist:
				slug = n.Slug
			case *domain.Group:
				slug = n.Slug
			case *domain.Song:
				slug = n.Slug
			case *domain.Chart:
				slug = n.Slug
			}
			if slug != tt.wantSlug {
				t.Errorf("best match %T %q, want %q (of %d)", nodes[0], slug, tt.wantSlug, page.Total)
			}
			if tt.wantMatched != "" && hits[0].Matched != tt.wantMatched {
				t.Errorf("matched %q, want %q", hits[0].Matched, tt.wantMatched)
			}
		})
	}
}

func testSearchNeverFailsOnUserText(t *testing.T, b Backend) {
	ctx := context.Background()
	db := b.seeded(t)
	for _, q := range []string{`"`, `*`, `AND`, `NEAR(a b)`, `a OR`, `col:val`, `^`, `'); DROP TABLE nodes; --`, "", "   ", "\x00", `{value}: x`} {
		if _, _, err := db.Search(ctx, q, nil, domain.PageArgs{}); err != nil {
			t.Errorf("Search(%q): %v", q, err)
		}
	}
}

func testPaginationVisitsEveryThingOnce(t *testing.T, b Backend) {
	ctx := context.Background()
	db := b.seeded(t)
	seen := map[int64]bool{}
	var after string
	total := -1
	for pages := 0; ; pages++ {
		if pages > 50 {
			t.Fatal("pagination does not end")
		}
		page, err := db.ListThings(ctx, domain.KindArtist, domain.ThingFilter{}, domain.PageArgs{First: 4, After: after, WithTotal: true})
		if err != nil {
			t.Fatal(err)
		}
		total = page.Total
		for _, id := range page.IDs {
			if seen[id] {
				t.Fatalf("artist %d seen twice", id)
			}
			seen[id] = true
		}
		if !page.HasNext {
			break
		}
		after = page.Cursors[len(page.Cursors)-1]
	}
	if len(seen) != total {
		t.Errorf("visited %d artists of %d", len(seen), total)
	}
	for _, bad := range []domain.PageArgs{{First: 101}, {First: -1}, {After: "not-a-cursor"}} {
		if _, err := db.ListThings(ctx, domain.KindArtist, domain.ThingFilter{}, bad); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%+v: want EINVALID, got %v", bad, err)
		}
	}
}

func testTokens(t *testing.T, b Backend) {
	ctx := context.Background()
	open := b.New(t)
	db, other := open(t), open(t)
	token, err := db.CreateToken(ctx, "ana", domain.RoleEditor)
	if err != nil || !strings.HasPrefix(token, "ag_") {
		t.Fatalf("token %q, %v", token, err)
	}
	id, err := db.Authenticate(ctx, token)
	if err != nil || id.Name != "ana" || id.Role != domain.RoleEditor {
		t.Fatalf("authenticate: %+v %v", id, err)
	}
	if _, err := db.CreateToken(ctx, "ana", domain.RoleAdmin); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("a second live token: %v", err)
	}
	for _, bad := range []string{"", "ag_", "ag_x_y", token + "x", strings.Replace(token, "ag_", "ga_", 1), token[:len(token)-1]} {
		if _, err := db.Authenticate(ctx, bad); domain.ErrorCode(err) != domain.EUNAUTHENTICATED {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if _, err := other.Authenticate(ctx, token); err != nil {
		t.Fatalf("another server does not know the token: %v", err)
	}
	if err := db.RevokeToken(ctx, "ana"); err != nil {
		t.Fatal(err)
	}
	// Revoked through one server, it is refused by every other at once.
	for _, server := range []domain.Store{db, other} {
		if _, err := server.Authenticate(ctx, token); domain.ErrorCode(err) != domain.EUNAUTHENTICATED {
			t.Errorf("a revoked token: %v", err)
		}
	}
	if _, err := db.CreateToken(ctx, "ana", domain.RoleAdmin); err != nil {
		t.Errorf("a new token after revoking: %v", err)
	}
	if _, err := db.CreateToken(ctx, "bo", "owner"); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("an unknown role: %v", err)
	}
	list, err := db.Tokens(ctx)
	if err != nil || len(list) != 2 || list[0].Revoked == nil || list[1].Revoked != nil {
		t.Errorf("tokens %+v %v", list, err)
	}
}
