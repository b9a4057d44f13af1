package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/seed"
)

// mustEdit makes an edit that must succeed and returns its first change.
func mustEdit(tb testing.TB, db domain.Store, e domain.Edit) domain.Change {
	tb.Helper()
	if e.Actor == "" {
		e.Actor = "tester"
	}
	changes, err := db.Edit(context.Background(), e)
	if err != nil {
		tb.Fatalf("%s %s: %v", e.Action, e.Kind, err)
	}
	if len(changes) == 0 {
		tb.Fatalf("%s %s recorded no change", e.Action, e.Kind)
	}
	return changes[0]
}

func mustID(tb testing.TB, db domain.Store, kind domain.Kind, slug string) int64 {
	tb.Helper()
	id, err := db.IDBySlug(context.Background(), kind, slug)
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

func revisionOf(tb testing.TB, db domain.Store, id int64) int {
	tb.Helper()
	nodes, err := db.Nodes(context.Background(), []int64{id})
	if err != nil || nodes[0] == nil {
		tb.Fatalf("node %d: %v", id, err)
	}
	return nodes[0].NodeRevision()
}

func testEditLifecycle(t *testing.T, b Backend) {
	ctx := context.Background()
	db := b.seeded(t)

	created := mustEdit(t, db, domain.Edit{Action: domain.ActionCreate, Kind: domain.KindArtist, Summary: "new soloist",
		Patch: domain.Draft{"slug": "lisa", "name": "Lisa", "country": "TH", "birthDate": "1997-03-27"}})
	if created.Revision != 1 || created.Before != nil || created.After["name"] != "Lisa" {
		t.Fatalf("create recorded %+v", created)
	}
	id := created.NodeID

	// Set one field, clear another, leave the rest.
	updated := mustEdit(t, db, domain.Edit{Action: domain.ActionUpdate, ID: id, Revision: 1,
		Patch: domain.Draft{"birthPlace": "Bangkok", "country": nil}})
	if updated.Revision != 2 || revisionOf(t, db, id) != 2 {
		t.Fatalf("update made revision %d, stored %d", updated.Revision, revisionOf(t, db, id))
	}
	var fields []string
	for _, f := range updated.Fields() {
		fields = append(fields, f.Field)
	}
	if got := strings.Join(fields, ","); got != "birthPlace,country" {
		t.Errorf("update changed %s, want birthPlace,country", got)
	}
	artists, _ := db.Artists(ctx, []int64{id})
	if a := artists[0]; a.BirthPlace != "Bangkok" || a.Country != "" || a.BirthDate.String() != "1997-03-27" {
		t.Errorf("stored %+v", a)
	}

	// A stale revision is refused, and so is an edit that changes nothing.
	_, err := db.Edit(ctx, domain.Edit{Action: domain.ActionUpdate, ID: id, Revision: 1, Actor: "other", Patch: domain.Draft{"name": "LISA"}})
	if domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("stale revision: %v, want CONFLICT", err)
	}
	if changes, err := db.Edit(ctx, domain.Edit{Action: domain.ActionUpdate, ID: id, Revision: 2, Actor: "x", Patch: domain.Draft{"name": "Lisa"}}); err != nil || len(changes) != 0 {
		t.Errorf("no-op edit: %v, %d changes", err, len(changes))
	}

	// Delete, then bring back by reverting to revision 2.
	mustEdit(t, db, domain.Edit{Action: domain.ActionDelete, ID: id, Revision: 2})
	if nodes, _ := db.Nodes(ctx, []int64{id}); nodes[0] != nil {
		t.Fatal("deleted artist still there")
	}
	reverted := mustEdit(t, db, domain.Edit{Action: domain.ActionRevert, ID: id, Revision: 3, To: 2})
	if reverted.Revision != 4 || reverted.After["birthPlace"] != "Bangkok" || reverted.Summary != "revert to revision 2" {
		t.Errorf("revert recorded %+v", reverted)
	}
	if got := mustID(t, db, domain.KindArtist, "lisa"); got != id {
		t.Errorf("revived under ID %d, want %d", got, id)
	}

	page, err := db.History(ctx, id, domain.PageArgs{First: 10})
	if err != nil {
		t.Fatal(err)
	}
	changes, err := db.Changes(ctx, page.IDs)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, c := range changes {
		actions = append(actions, c.Action)
	}
	if got := strings.Join(actions, ","); got != "revert,delete,update,create" {
		t.Errorf("history %s", got)
	}
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
}

// Every kind of thing and fact can be created, updated and deleted.
func testEditEveryKind(t *testing.T, b Backend) {
	db := b.seeded(t)
	src := []any{"wikipedia-bts"}
	type step struct {
		kind   domain.Kind
		create domain.Draft
		update domain.Draft
	}
	steps := []step{
		{domain.KindSource, domain.Draft{"slug": "src-new", "name": "A new source", "url": "https://example.org"}, domain.Draft{"author": "Someone"}},
		{domain.KindArtist, domain.Draft{"slug": "new-singer", "name": "New Singer", "birthDate": "2000"}, domain.Draft{"occupations": []any{"singer"}}},
		{domain.KindGroup, domain.Draft{"slug": "new-band", "name": "New Band", "formed": "2019"}, domain.Draft{"country": "KR"}},
		{domain.KindSong, domain.Draft{"slug": "new-song", "name": "New Song", "released": "2021-05-01"}, domain.Draft{"durationSeconds": 180}},
		{domain.KindAlbum, domain.Draft{"slug": "new-album", "name": "New Album", "kind": "ep", "released": "2021-06"}, domain.Draft{"kind": "studio_album"}},
		{domain.KindAward, domain.Draft{"slug": "new-award", "name": "New Award"}, domain.Draft{"presenter": "Someone"}},
		{domain.KindEvent, domain.Draft{"slug": "new-show", "name": "New Show", "kind": "concert", "start": "2022-01-01"}, domain.Draft{"city": "Seoul"}},
		{domain.KindChart, domain.Draft{"slug": "new-chart", "name": "New Chart"}, domain.Draft{"region": "KR"}},
		{domain.KindPlatform, domain.Draft{"slug": "new-stream", "name": "New Stream", "kind": "streaming"}, domain.Draft{"owner": "Someone"}},
		{domain.KindMembership, domain.Draft{"group": "new-band", "artist": "new-singer", "start": "2019", "sources": src}, domain.Draft{"roles": []any{"vocalist"}}},
		{domain.KindCredit, domain.Draft{"song": "new-song", "act": "new-band", "role": "primary", "sources": src}, domain.Draft{"creditedAs": "NB"}},
		{domain.KindTrack, domain.Draft{"album": "new-album", "song": "new-song", "position": 1, "sources": src}, domain.Draft{"relations": []any{"title_track"}}},
		{domain.KindAwardResult, domain.Draft{"award": "new-award", "date": "2022", "result": "won", "recipients": []any{"new-band"}, "sources": src}, domain.Draft{"category": "Best New Band"}},
		{domain.KindPerformance, domain.Draft{"event": "new-show", "performers": []any{"new-band"}, "sources": src}, domain.Draft{"setList": []any{map[string]any{"song": "new-song"}}}},
		{domain.KindChartRun, domain.Draft{"chart": "new-chart", "song": "new-song", "peak": 3, "sources": src}, domain.Draft{"peak": 1}},
		{domain.KindMilestone, domain.Draft{"platform": "new-stream", "song": "new-song", "metric": "streams", "threshold": 1000000, "reached": "2021-07", "sources": src}, domain.Draft{"reached": "2021-06"}},
		{domain.KindRecord, domain.Draft{"claim": "First new band", "subjects": []any{"group:new-band"}, "sources": src}, domain.Draft{"date": "2022"}},
		{domain.KindLabel, domain.Draft{"slug": "new-label", "name": "New Label", "founded": "2015"}, domain.Draft{"country": "KR"}},
		{domain.KindSigning, domain.Draft{"label": "new-label", "act": "new-band", "start": "2019", "sources": src}, domain.Draft{"end": "2023"}},
		{domain.KindLabelRelease, domain.Draft{"label": "new-label", "album": "new-album", "sources": src}, domain.Draft{"note": "first release"}},
	}
	// Every kind of the registry has its step here.
	for _, k := range domain.Kinds() {
		if !slices.ContainsFunc(steps, func(s step) bool { return s.kind == k.Kind }) {
			t.Errorf("%s has no step: add one", k.Kind)
		}
	}
	ids := make([]int64, len(steps))
	for i, s := range steps {
		created := mustEdit(t, db, domain.Edit{Action: domain.ActionCreate, Kind: s.kind, Patch: s.create})
		ids[i] = created.NodeID
		updated := mustEdit(t, db, domain.Edit{Action: domain.ActionUpdate, ID: created.NodeID, Revision: 1, Patch: s.update})
		if len(updated.Fields()) != 1 {
			t.Errorf("%s: update changed %+v, want one field", s.kind, updated.Fields())
		}
	}
	// Facts first, then the things they join, so nothing needs a cascade.
	for i := len(steps) - 1; i >= 0; i-- {
		mustEdit(t, db, domain.Edit{Action: domain.ActionDelete, ID: ids[i], Revision: 2})
	}
	if err := db.IntegrityCheck(context.Background()); err != nil {
		t.Error(err)
	}
}

// A refused edit names the field and the reason, with a stable code, and
// writes nothing at all.
func testRefusedEditsWriteNothing(t *testing.T, b Backend) {
	ctx := context.Background()
	db := b.seeded(t)
	jungkook := mustID(t, db, domain.KindArtist, "jungkook")
	bts := mustID(t, db, domain.KindGroup, "bts")
	seven := mustID(t, db, domain.KindSong, "seven")
	bigHit := mustID(t, db, domain.KindLabel, "big-hit-music")
	src := []any{"wikipedia-bts"}
	cases := []struct {
		name string
		edit domain.Edit
		code string
		want string
	}{
		{"missing name", domain.Edit{Action: domain.ActionCreate, Kind: domain.KindArtist, Patch: domain.Draft{"slug": "x"}}, domain.EINVALID, "input.name: is required"},
		{"bad slug", domain.Edit{Action: domain.ActionCreate, Kind: domain.KindSong, Patch: domain.Draft{"slug": "Not A Slug", "name": "x"}}, domain.EINVALID, "input.slug:"},
		{"taken slug", domain.Edit{Action: domain.ActionCreate, Kind: domain.KindSong, Patch: domain.Draft{"slug": "seven", "name": "Seven again"}}, domain.ECONFLICT, "song \"seven\" already exists"},
		{"act slug across kinds", domain.Edit{Action: domain.ActionCreate, Kind: domain.KindGroup, Patch: domain.Draft{"slug": "jungkook", "name": "x"}}, domain.EINVALID, "already stored as a artist"},
		{"bad date", domain.Edit{Action: domain.ActionCreate, Kind: domain.KindArtist, Patch: domain.Draft{"slug": "x", "name": "x", "birthDate": "1997-13-45"}}, domain.EINVALID, "input.birthDate:"},
		{"wrong type", domain.Edit{Action: domain.ActionCreate, Kind: domain.KindSong, Patch: domain.Draft{"slug": "x", "name": "x", "durationSeconds": "long"}}, domain.EINVALID, "input.durationSeconds:"},
		{"unknown field", domain.Edit{Action: domain.ActionCreate, Kind: domain.KindChart, Patch: domain.Draft{"slug": "c", "name": "c", "colour": "red"}}, domain.EINVALID, "unknown field \"colour\""},
		{"unknown act", domain.Edit{Action: domain.ActionCreate, Kind: domain.KindCredit, Patch: domain.Draft{"song": "seven", "act": "nobody", "role": "featured", "sources": src}}, domain.EINVALID, "input.act: no artist or group has the slug \"nobody\""},
		{"unknown holder", domain.Edit{Action: domain.ActionCreate, Kind: domain.KindMembership, Patch: domain.Draft{"group": "nope", "artist": "jungkook", "sources": src}}, domain.EINVALID, "input.group: no group has the slug \"nope\""},
		{"name of a stored thing", domain.Edit{Action: domain.ActionCreate, Kind: domain.KindSong, Patch: domain.Draft{"slug": "seven-again", "name": "Seven"}}, domain.EINVALID, `input.slug: a new song "seven-again" has the name "Seven", which song "seven" already has`},
		{"mistyped holder", domain.Edit{Action: domain.ActionCreate, Kind: domain.KindMembership, Patch: domain.Draft{"group": "btss", "artist": "jungkook", "sources": src}}, domain.EINVALID, `input.group: no group has the slug "btss"; did you mean "bts"?`},
		{"mistyped act", domain.Edit{Action: domain.ActionCreate, Kind: domain.KindCredit, Patch: domain.Draft{"song": "seven", "act": "jungkok", "role": "featured", "sources": src}}, domain.EINVALID, `input.act: no artist or group has the slug "jungkok"; did you mean "jungkook"?`},
		{"fact without source", domain.Edit{Action: domain.ActionCreate, Kind: domain.KindRecord, Patch: domain.Draft{"claim": "x", "subjects": []any{"song:seven"}}}, domain.EINVALID, "input.sources: a fact must cite at least one source"},
		{"membership before birth", domain.Edit{Action: domain.ActionCreate, Kind: domain.KindMembership, Patch: domain.Draft{"group": "bts", "artist": "jungkook", "start": "1990", "sources": src}}, domain.EINVALID, "input.start: 1990 is before jungkook was born"},
		{"same fact twice", domain.Edit{Action: domain.ActionCreate, Kind: domain.KindCredit, Patch: domain.Draft{"song": "seven", "act": "latto", "role": "featured", "sources": src}}, domain.ECONFLICT, "the same credit already exists"},
		{"birth after own facts", domain.Edit{Action: domain.ActionUpdate, ID: jungkook, Revision: 1, Patch: domain.Draft{"birthDate": "2015"}}, domain.EINVALID, "would no longer hold"},
		{"release after its milestones", domain.Edit{Action: domain.ActionUpdate, ID: seven, Revision: 1, Patch: domain.Draft{"released": "2030"}}, domain.EINVALID, "would no longer hold"},
		{"label founded after its signings", domain.Edit{Action: domain.ActionUpdate, ID: bigHit, Revision: 1, Patch: domain.Draft{"founded": "2012"}}, domain.EINVALID, "would no longer hold: start: 2010 is before the label was founded (2012)"},
		{"signing before the act was born", domain.Edit{Action: domain.ActionCreate, Kind: domain.KindSigning, Patch: domain.Draft{"label": "syco", "act": "jungkook", "start": "1996", "sources": src}}, domain.EINVALID, "input.start: 1996 is before jungkook was born"},
		{"disbanded before members joined", domain.Edit{Action: domain.ActionUpdate, ID: bts, Revision: 1, Patch: domain.Draft{"disbanded": "2012"}}, domain.EINVALID, "is after the group disbanded"},
		{"stale revision", domain.Edit{Action: domain.ActionUpdate, ID: bts, Revision: 7, Patch: domain.Draft{"country": "JP"}}, domain.ECONFLICT, "is at revision 1, not 7"},
		{"referenced thing", domain.Edit{Action: domain.ActionDelete, ID: bts, Revision: 1}, domain.ECONFLICT, "memberships"},
		{"no such node", domain.Edit{Action: domain.ActionDelete, ID: 999999, Revision: 1}, domain.ENOTFOUND, "nothing has the ID"},
		{"ID of another kind", domain.Edit{Action: domain.ActionDelete, Kind: domain.KindArtist, ID: bts, Revision: 1}, domain.ENOTFOUND, "nothing has the ID"},
		{"no such revision", domain.Edit{Action: domain.ActionRevert, ID: bts, Revision: 1, To: 5}, domain.ENOTFOUND, "does not hold revision 5"},
	}
	before := b.fingerprint(t, db)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.edit.Actor = "tester"
			_, err := db.Edit(ctx, c.edit)
			if code := domain.ErrorCode(err); code != c.code || !strings.Contains(fmtErr(err), c.want) {
				t.Errorf("got %s %v; want %s containing %q", code, err, c.code, c.want)
			}
			if after := b.fingerprint(t, db); after != before {
				t.Error("a refused edit changed the database")
			}
		})
	}
}

func fmtErr(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func testDeleteWithCascadeSaysWhatWent(t *testing.T, b Backend) {
	ctx := context.Background()
	db := b.seeded(t)
	latto := mustID(t, db, domain.KindArtist, "latto")
	changes, err := db.Edit(ctx, domain.Edit{Action: domain.ActionDelete, ID: latto, Revision: 1, Cascade: true, Actor: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[domain.Kind]int{}
	for _, c := range changes {
		if c.Action != domain.ActionDelete || c.After != nil {
			t.Errorf("cascade recorded %s of %s", c.Action, c.Kind)
		}
		kinds[c.Kind]++
	}
	if kinds[domain.KindArtist] != 1 || kinds[domain.KindCredit] != 1 {
		t.Errorf("cascade deleted %v, want the artist and her credit on Seven", kinds)
	}
	if last := changes[len(changes)-1]; last.NodeID != latto {
		t.Errorf("the artist's own change comes last, got %+v", last)
	}
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}

	// Deleting a source takes it out of what cites it; facts citing only it go.
	source := mustID(t, db, domain.KindSource, "article-2024-02-22-seven")
	if _, err := db.Edit(ctx, domain.Edit{Action: domain.ActionDelete, ID: source, Revision: 1, Actor: "admin"}); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("deleting a cited source without cascade: %v", err)
	}
	changes, err = db.Edit(ctx, domain.Edit{Action: domain.ActionDelete, ID: source, Revision: 1, Cascade: true, Actor: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, c := range changes {
		actions[c.Action]++
		if c.Action == domain.ActionUpdate {
			if f := c.Fields(); len(f) != 1 || f[0].Field != "sources" {
				t.Errorf("uncited %s changed %+v", c.Kind, f)
			}
		}
	}
	if actions[domain.ActionUpdate] == 0 || actions[domain.ActionDelete] < 2 {
		t.Errorf("source cascade: %v, want updates (things that cited it) and deletes (facts citing only it)", actions)
	}
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
}

func testSubscribersSeeCommittedChanges(t *testing.T, b Backend) {
	ctx, cancel := context.WithCancel(context.Background())
	db := b.seeded(t)
	feed, err := db.Subscribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bts := mustID(t, db, domain.KindGroup, "bts")
	_, err = db.Edit(ctx, domain.Edit{Action: domain.ActionUpdate, ID: bts, Revision: 3, Actor: "x", Patch: domain.Draft{"country": "JP"}})
	if err == nil {
		t.Fatal("stale edit accepted")
	}
	mustEdit(t, db, domain.Edit{Action: domain.ActionUpdate, ID: bts, Revision: 1, Patch: domain.Draft{"country": "JP"}})
	c := <-feed
	if c.NodeID != bts || c.Revision != 2 {
		t.Errorf("subscriber got %+v", c)
	}
	cancel()
	for range feed {
	}
	var problems *domain.Problems
	_, err = db.Edit(context.Background(), domain.Edit{Action: domain.ActionCreate, Kind: domain.KindSong, Actor: "x", Patch: domain.Draft{}})
	if !errors.As(err, &problems) || len(*problems) < 2 {
		t.Errorf("every problem at once: %v", err)
	}
}

// Editors who read the same revision race: one wins, the others are told
// it changed, and nothing is lost or half-written.
func testConcurrentEditsOfOneRevision(t *testing.T, b Backend) {
	ctx := context.Background()
	db := b.seeded(t)
	bts := mustID(t, db, domain.KindGroup, "bts")
	const editors = 8
	errs := make(chan error, editors)
	for i := range editors {
		go func() {
			_, err := db.Edit(ctx, domain.Edit{Action: domain.ActionUpdate, ID: bts, Revision: 1, Actor: fmt.Sprint("editor-", i),
				Patch: domain.Draft{"note": fmt.Sprint("note by ", i)}})
			errs <- err
		}()
	}
	won := 0
	for range editors {
		switch err := <-errs; domain.ErrorCode(err) {
		case "":
			won++
		case domain.ECONFLICT:
		default:
			t.Errorf("unexpected %v", err)
		}
	}
	if won != 1 || revisionOf(t, db, bts) != 2 {
		t.Errorf("%d editors won; revision %d", won, revisionOf(t, db, bts))
	}
	page, err := db.History(ctx, bts, domain.PageArgs{})
	if err != nil || len(page.IDs) != 1 {
		t.Errorf("history holds %d changes (%v), want 1", len(page.IDs), err)
	}
}

// A subscriber hears of edits made by another process sharing the
// database (a second handle here), and its channel closes with the handle.
func testSubscribersSeeOtherProcessesEdits(t *testing.T, b Backend) {
	ctx := context.Background()
	open := b.New(t)
	server := open(t)
	MustSeed(t, server)
	feed, err := server.Subscribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	other := open(t)
	bts := mustID(t, other, domain.KindGroup, "bts")
	mustEdit(t, other, domain.Edit{Action: domain.ActionUpdate, ID: bts, Revision: 1, Patch: domain.Draft{"note": "from the CLI"}})
	select {
	case c := <-feed:
		if c.NodeID != bts || c.After["note"] != "from the CLI" {
			t.Errorf("got %+v", c)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the other process's edit never arrived")
	}
	server.Close()
	if _, open := <-feed; open {
		t.Error("the channel stayed open after Close")
	}
}

// TestSongsByStreamsFollowMilestones lists songs by streams, read from the
// index that triggers keep (migration 0007), while a milestone is created,
// raised, lowered and deleted, and after a reload of the fixtures.
func testSongsByStreamsFollowMilestones(t *testing.T, b Backend) {
	ctx := context.Background()
	db := b.seeded(t)
	top := func() int64 {
		t.Helper()
		page, err := db.ListSongs(ctx, domain.SongFilter{OrderBy: "streams", Desc: true}, domain.PageArgs{First: 1})
		if err != nil || len(page.IDs) != 1 {
			t.Fatalf("songs by streams: %v %v", page.IDs, err)
		}
		return page.IDs[0]
	}
	leader := top()
	quiet := mustID(t, db, domain.KindSong, "watermelon-sugar")
	if quiet == leader {
		t.Fatal("the test wants a song that does not lead")
	}
	created := mustEdit(t, db, domain.Edit{Action: domain.ActionCreate, Kind: domain.KindMilestone,
		Patch: domain.Draft{"song": "watermelon-sugar", "platform": "spotify", "metric": "streams", "threshold": 90_000_000_000, "reached": "2025-12", "sources": []any{"article-2024-02-22-seven"}}})
	if got := top(); got != quiet {
		t.Fatalf("after a 90-billion milestone, %d leads, not %d", got, quiet)
	}
	mustEdit(t, db, domain.Edit{Action: domain.ActionUpdate, ID: created.NodeID, Revision: 1, Patch: domain.Draft{"threshold": 1}})
	if got := top(); got != leader {
		t.Errorf("after lowering it, %d leads, not %d", got, leader)
	}
	mustEdit(t, db, domain.Edit{Action: domain.ActionUpdate, ID: created.NodeID, Revision: 2, Patch: domain.Draft{"threshold": 90_000_000_000}})
	if _, err := seed.Load(ctx, db, "../seed/fixtures"); err != nil {
		t.Fatal(err)
	}
	if got := top(); got != quiet {
		t.Errorf("after reloading the fixtures, %d leads, not %d", got, quiet)
	}
	mustEdit(t, db, domain.Edit{Action: domain.ActionDelete, ID: created.NodeID, Revision: 3})
	if got := top(); got != leader {
		t.Errorf("after deleting it, %d leads, not %d", got, leader)
	}
}
