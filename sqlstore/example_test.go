package sqlstore_test

import (
	"context"
	"fmt"
	"log"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/seed"
	"github.com/artistgraph/artistgraph/sqlstore"
)

// Edits go through the same validation as fixture loads, name the revision
// they are based on, and are recorded, field by field.
func ExampleDB_Edit() {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, sqlstore.MemoryPath)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if _, err := seed.IfEmpty(ctx, db); err != nil {
		log.Fatal(err)
	}
	seven, err := db.IDBySlug(ctx, domain.KindSong, "seven")
	if err != nil {
		log.Fatal(err)
	}

	changes, err := db.Edit(ctx, domain.Edit{Action: domain.ActionUpdate, ID: seven, Revision: 1, Actor: "mina",
		Patch: domain.Draft{"durationSeconds": 184}, Summary: "length from the single's back cover"})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range changes[0].Fields() {
		fmt.Printf("revision %d: %s %v -> %v\n", changes[0].Revision, f.Field, f.Before, f.After)
	}

	// A milestone before the release it counts from is refused, naming the field.
	_, err = db.Edit(ctx, domain.Edit{Action: domain.ActionCreate, Kind: domain.KindMilestone, Actor: "mina",
		Patch: domain.Draft{"song": "seven", "platform": "spotify", "metric": "streams", "threshold": 2000000000,
			"reached": "2022-01", "sources": []any{"article-2024-02-22-seven"}}})
	fmt.Println(domain.ErrorCode(err))
	fmt.Println(err)
	// Output:
	// revision 2: durationSeconds <nil> -> 184
	// INVALID
	// 1 problem(s); nothing was written:
	//   input.reached: 2022-01 is before the work's release (2023-07-14): a milestone cannot come before its release
}
