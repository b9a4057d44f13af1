package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/seed"
)

// writers is how many edits the concurrency tests start at once, spread
// over two handles on one database, as two app servers would be.
const writers = 12

// race runs edit(i) for every writer at once, alternating two handles, and
// returns each one's result and error, and one of the handles.
func race(t *testing.T, b Backend, seed bool, prepare func(domain.Store), edit func(i int) domain.Edit) ([]domain.Change, []error, domain.Store) {
	t.Helper()
	open := b.New(t)
	handles := []domain.Store{open(t), open(t)}
	if seed {
		MustSeed(t, handles[0])
	}
	if prepare != nil {
		prepare(handles[0])
	}
	changes, errs := make([]domain.Change, writers), make([]error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			e := edit(i)
			e.Actor = fmt.Sprint("writer-", i)
			out, err := handles[i%2].Edit(context.Background(), e)
			if len(out) > 0 {
				changes[i] = out[0]
			}
			errs[i] = err
		})
	}
	wg.Wait()
	return changes, errs, handles[0]
}

// Writers creating things at once each get an ID of their own, and IDs
// stay dense: an edit reserves only the ID it uses.
func testConcurrentCreatesTakeDistinctIDs(t *testing.T, b Backend) {
	changes, errs, _ := race(t, b, false, nil, func(i int) domain.Edit {
		return domain.Edit{Action: domain.ActionCreate, Kind: domain.KindArtist,
			Patch: domain.Draft{"slug": fmt.Sprint("writer-", i), "name": fmt.Sprint("Writer ", i)}}
	})
	var ids []int64
	for i, err := range errs {
		if err != nil {
			t.Fatalf("writer %d: %v", i, err)
		}
		ids = append(ids, changes[i].NodeID)
	}
	slices.Sort(ids)
	if ids = slices.Compact(ids); len(ids) != writers || ids[len(ids)-1]-ids[0] != writers-1 {
		t.Errorf("IDs %v: want %d distinct, consecutive IDs", ids, writers)
	}
}

// A fixture load reserves IDs in blocks and gives back what it did not use,
// so the next thing created takes the next ID.
func testIDsStayDenseAfterALoad(t *testing.T, b Backend) {
	ctx := context.Background()
	db := b.seeded(t)
	ds := &domain.Dataset{Artists: []domain.ArtistDoc{{ThingDoc: domain.ThingDoc{Slug: "loaded-last", Name: "Loaded Last"}}}}
	if err := db.Load(ctx, ds); err != nil {
		t.Fatal(err)
	}
	loaded := mustID(t, db, domain.KindArtist, "loaded-last")
	created := mustEdit(t, db, domain.Edit{Action: domain.ActionCreate, Kind: domain.KindArtist,
		Patch: domain.Draft{"slug": "created-next", "name": "Created Next"}})
	if created.NodeID != loaded+1 {
		t.Errorf("created %d after loading %d: IDs should stay dense", created.NodeID, loaded)
	}
}

// Writers creating the same slug at once: one wins, the others are told
// of a conflict, never an internal error.
func testConcurrentCreatesOfOneSlug(t *testing.T, b Backend) {
	_, errs, _ := race(t, b, false, nil, func(int) domain.Edit {
		return domain.Edit{Action: domain.ActionCreate, Kind: domain.KindArtist, Patch: domain.Draft{"slug": "same", "name": "Same"}}
	})
	won := 0
	for i, err := range errs {
		switch domain.ErrorCode(err) {
		case "":
			won++
		case domain.ECONFLICT:
		default:
			t.Errorf("writer %d: %v", i, err)
		}
	}
	if won != 1 {
		t.Errorf("%d writers created the slug, want 1", won)
	}
}

// Writers appending credits to one work at once each get a billing
// position of their own.
func testConcurrentCreditAppendsTakeDistinctPositions(t *testing.T, b Backend) {
	prepare := func(db domain.Store) {
		for i := range writers {
			mustEdit(t, db, domain.Edit{Action: domain.ActionCreate, Kind: domain.KindArtist,
				Patch: domain.Draft{"slug": fmt.Sprint("guest-", i), "name": fmt.Sprint("Guest ", i)}})
		}
	}
	changes, errs, db := race(t, b, true, prepare, func(i int) domain.Edit {
		return domain.Edit{Action: domain.ActionCreate, Kind: domain.KindCredit, Patch: domain.Draft{
			"song": "seven", "act": fmt.Sprint("guest-", i), "role": "featured", "sources": []any{"article-2024-02-22-seven"}}}
	})
	var ids []int64
	for i, err := range errs {
		if err != nil {
			t.Fatalf("writer %d: %v", i, err)
		}
		ids = append(ids, changes[i].NodeID)
	}
	credits, err := db.Credits(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	positions := map[int]bool{}
	for _, c := range credits {
		positions[c.Position] = true
	}
	if len(positions) != writers {
		t.Errorf("%d credits took %d distinct positions", writers, len(positions))
	}
}

// Two servers starting at once on one empty database each seed it: one
// load finds the database empty, the other finds the graph it wrote and
// restates it, changing nothing. Both succeed, and the graph is the one
// seed gives.
func testConcurrentSeedsOfAnEmptyStore(t *testing.T, b Backend) {
	ctx := context.Background()
	open := b.New(t)
	handles := []domain.Store{open(t), open(t)}
	errs := make([]error, len(handles))
	var wg sync.WaitGroup
	for i, h := range handles {
		wg.Go(func() { _, errs[i] = seed.IfEmpty(ctx, h) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("server %d: %v", i, err)
		}
	}
	want, got := t.TempDir(), t.TempDir()
	if _, err := seed.Export(ctx, b.seeded(t), want); err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Export(ctx, handles[1], got); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, want, got)
}
