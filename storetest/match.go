package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/seed"
)

// load decodes a fixture and loads it.
func load(t *testing.T, db domain.Store, fixture string) error {
	t.Helper()
	ds, err := seed.Decode([]byte(fixture))
	if err != nil {
		t.Fatal(err)
	}
	seed.Locate(ds, "more.json")
	return db.Load(context.Background(), ds)
}

// A fact restated with its key date less precise is the stored fact, which
// keeps its date; more precise, it refines the stored date; "movedFrom"
// moves it; a date that fits two stored facts is refused.
func testFactsMatchByTheirDates(t *testing.T, b Backend) {
	ctx := context.Background()
	db := b.seeded(t)
	oneDirection := mustID(t, db, domain.KindGroup, "one-direction")
	harry := mustID(t, db, domain.KindArtist, "harry-styles")
	stints := func() []string {
		t.Helper()
		all, err := db.AllMembershipsOfGroups(ctx, []int64{oneDirection})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range all[oneDirection] {
			if m.ArtistID == harry {
				out = append(out, m.Start.String()+" "+string(m.Note))
			}
		}
		return out
	}
	const member = `{"memberships": [{"group": "one-direction", "artist": "harry-styles", "sources": ["wikipedia-one-direction"], `
	if err := load(t, db, member+`"start": "2010", "note": "restated"}]}`); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(stints(), "; "); got != "2010-07-23 restated" {
		t.Errorf("restated with start 2010: Harry's stints are %q, want the stored one, noted", got)
	}
	for range 2 { // the second load finds it moved, and changes nothing
		if err := load(t, db, member+`"start": "2010-07-22", "movedFrom": "2010-07-23"}]}`); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Join(stints(), "; "); got != "2010-07-22 " {
		t.Errorf("moved to 2010-07-22: Harry's stints are %q", got)
	}
	for _, bad := range []struct{ fixture, want string }{
		{member + `"start": "2011", "movedFrom": "2009"}]}`, `more.json: memberships[0].movedFrom: no stored membership of the same artist, group has start 2009`},
		{`{"milestones": [{"song": "seven", "platform": "spotify", "metric": "streams", "threshold": 1000000000, "reached": "2023-10", "movedFrom": "2023-11", "sources": ["article-2024-02-22-seven"]}]}`,
			`milestones[0].movedFrom: a milestone is not matched by a date`},
	} {
		err := load(t, db, bad.fixture)
		if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("got %v, want %q", err, bad.want)
		}
	}

	// A more precise date refines the stored one.
	if err := load(t, db, `{"signings": [{"label": "columbia-records", "act": "harry-styles", "start": "2016-05", "sources": ["wikipedia-harry-styles"]}]}`); err != nil {
		t.Fatal(err)
	}
	columbia := mustID(t, db, domain.KindLabel, "columbia-records")
	signings, err := db.FactsLinking(ctx, domain.KindSigning, "label", []int64{columbia})
	if err != nil {
		t.Fatal(err)
	}
	var starts []string
	for _, s := range signings[columbia] {
		if s.(*domain.Signing).ActID == harry {
			starts = append(starts, s.(*domain.Signing).Start.String())
		}
	}
	if strings.Join(starts, ",") != "2016-05" {
		t.Errorf("Harry's signings to Columbia start %v, want the stored one refined to 2016-05", starts)
	}

	// Two runs of one song on one chart (a re-entry); a year fits both.
	const run = `{"chartRuns": [{"song": "seven", "chart": "billboard-hot-100", "sources": ["article-2024-02-22-seven"], `
	if err := load(t, db, run+`"entered": "2023-12-02"}]}`); err != nil {
		t.Fatal(err)
	}
	err = load(t, db, run+`"entered": "2023"}]}`)
	if want := `chartRuns[0].entered: 2023 fits 2 stored chart runs (entered 2023-07-29, 2023-12-02)`; !strings.Contains(fmtErr(err), want) {
		t.Errorf("got %v, want %q", err, want)
	}
}

// Within one load into an empty store, the same fact twice, once with a
// less precise date, is one fact.
func testFreshLoadMatchesByDate(t *testing.T, b Backend) {
	ctx := context.Background()
	db := b.open(t)
	err := load(t, db, `{
		"sources": [{"slug": "s", "name": "S"}],
		"artists": [{"slug": "a", "name": "A"}],
		"groups": [{"slug": "g", "name": "G", "members": [{"artist": "a", "start": "2010-07-23", "sources": ["s"]}]}],
		"memberships": [{"group": "g", "artist": "a", "start": "2010", "end": "2015", "sources": ["s"]}]
	}`)
	if err != nil {
		t.Fatal(err)
	}
	g := mustID(t, db, domain.KindGroup, "g")
	all, err := db.AllMembershipsOfGroups(ctx, []int64{g})
	if err != nil || len(all[g]) != 1 || all[g][0].Start.String() != "2010-07-23" || all[g][0].End.String() != "2015" {
		t.Errorf("memberships %+v, %v: want one, from 2010-07-23 to 2015", all[g], err)
	}

	// Two stints of one artist written in different items overlap.
	err = load(t, b.open(t), `{
		"sources": [{"slug": "s", "name": "S"}],
		"artists": [{"slug": "a", "name": "A"}],
		"groups": [{"slug": "g", "name": "G", "members": [{"artist": "a", "start": "2010", "end": "2015", "sources": ["s"]}]}],
		"memberships": [{"group": "g", "artist": "a", "start": "2012", "sources": ["s"]}]
	}`)
	if want := "memberships[0].start: a is already a member then (from 2010, to 2015)"; !strings.Contains(fmtErr(err), want) {
		t.Errorf("got %v, want %q", err, want)
	}
}

// A fact says how its sources support it, through fixtures and edits.
func testFactsSayHowTheyAreSupported(t *testing.T, b Backend) {
	ctx := context.Background()
	db := b.seeded(t)
	seven := mustID(t, db, domain.KindSong, "seven")
	support := func() domain.Support {
		t.Helper()
		runs, err := db.ChartRunsOfWorks(ctx, []int64{seven})
		if err != nil || len(runs[seven]) != 1 {
			t.Fatalf("runs of Seven: %v, %v", runs[seven], err)
		}
		return runs[seven][0].Support
	}
	if got := support(); got != "" || got.Or() != domain.SupportStated {
		t.Errorf("Seven's run is %q, want stated", got)
	}
	if err := load(t, db, `{"chartRuns": [{"song": "seven", "chart": "billboard-hot-100", "entered": "2023-07-29", "support": "inferred", "sources": ["article-2024-02-22-seven"]}]}`); err != nil {
		t.Fatal(err)
	}
	if got := support(); got != domain.SupportInferred {
		t.Errorf("restated as inferred, Seven's run is %q", got)
	}
	runs, _ := db.ChartRunsOfWorks(ctx, []int64{seven})
	id := runs[seven][0].ID
	mustEdit(t, db, domain.Edit{Action: domain.ActionUpdate, ID: id, Revision: revisionOf(t, db, id), Patch: domain.Draft{"support": "estimated"}})
	if got := support(); got != domain.SupportEstimated {
		t.Errorf("edited to estimated, Seven's run is %q", got)
	}
}
