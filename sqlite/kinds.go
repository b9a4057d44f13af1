package sqlite

import (
	"context"
	"strings"

	"github.com/artistgraph/artistgraph/domain"
)

// kindStorage is how the store keeps one kind of node (see domain's
// registry of kinds); kindStorages declares it for every kind, and
// TestEveryKindIsStored walks the registry to check that each has one, with
// its table.
type kindStorage struct {
	// table is the kind's detail table: one row per node, keyed by id.
	table string
	// read reads nodes of the kind by ID, in order; nil where there is
	// none.
	read func(ctx context.Context, db *DB, ids []int64) ([]domain.Node, error)
	// detail is the detail row a thing's document writes: "table
	// (columns)" and the values after the ID. Facts write theirs with
	// the things they join (see heldFacts).
	detail func(item any) (string, []any)
}

// stored declares a kind read by a spec.
func stored[T domain.Node](s spec[T]) kindStorage {
	return kindStorage{table: s.table, read: func(ctx context.Context, db *DB, ids []int64) ([]domain.Node, error) {
		return nodeSlice(byIDs(ctx, db, s, ids))
	}}
}

// writes declares the detail columns a thing's document D fills.
func writes[D any](k kindStorage, columns string, values func(*D) []any) kindStorage {
	head := k.table + " (id, " + columns + ")"
	k.detail = func(item any) (string, []any) { return head, values(item.(*D)) }
	return k
}

var kindStorages = map[domain.Kind]kindStorage{
	domain.KindSource: writes(stored(sourceSpec), "publisher, author, published, url", func(it *domain.SourceDoc) []any {
		return []any{it.Publisher, it.Author, it.Published.String(), it.URL}
	}),
	domain.KindArtist: writes(stored(artistSpec), "birth_date, birth_place, country, occupations, education", func(it *domain.ArtistDoc) []any {
		return []any{it.BirthDate.String(), it.BirthPlace, it.Country, jsonText(it.Occupations), jsonText(it.Education)}
	}),
	domain.KindGroup: writes(stored(groupSpec), "formed, debuted, disbanded, country", func(it *domain.GroupDoc) []any {
		return []any{it.Formed.String(), it.Debuted.String(), it.Disbanded.String(), it.Country}
	}),
	domain.KindSong: writes(stored(songSpec), "released, duration_seconds", func(it *domain.SongDoc) []any {
		return []any{it.Released.String(), int(it.DurationSeconds)}
	}),
	domain.KindAlbum: writes(stored(albumSpec), "album_kind, released", func(it *domain.AlbumDoc) []any {
		return []any{it.Kind, it.Released.String()}
	}),
	domain.KindAward: writes(stored(awardSpec), "presenter, country", func(it *domain.AwardDoc) []any {
		return []any{it.Presenter, it.Country}
	}),
	domain.KindEvent: writes(stored(eventSpec), "event_kind, start_date, end_date, venue, city, country, organiser, broadcaster", func(it *domain.EventDoc) []any {
		return []any{it.Kind, it.Start.String(), it.End.String(), it.Venue, it.City, it.Country, it.Organiser, it.Broadcaster}
	}),
	domain.KindChart: writes(stored(chartSpec), "publisher, region, measures", func(it *domain.ChartDoc) []any {
		return []any{it.Publisher, it.Region, it.Measures}
	}),
	domain.KindPlatform: writes(stored(platformSpec), "platform_kind, owner", func(it *domain.PlatformDoc) []any {
		return []any{it.Kind, it.Owner}
	}),
	domain.KindMembership:  stored(membershipSpec),
	domain.KindCredit:      stored(creditSpec),
	domain.KindTrack:       stored(trackSpec),
	domain.KindAwardResult: stored(awardResultSpec),
	domain.KindPerformance: stored(performanceSpec),
	domain.KindChartRun:    stored(chartRunSpec),
	domain.KindMilestone:   stored(milestoneSpec),
	domain.KindRecord:      stored(recordSpec),
}

// storageOf returns how a kind is stored; a kind without one is a
// programming error that TestEveryKindIsStored catches.
func storageOf(kind domain.Kind) (kindStorage, error) {
	k, ok := kindStorages[kind]
	if !ok {
		return kindStorage{}, domain.Errorf(domain.EINTERNAL, "the store does not keep %s nodes", strings.ToLower(string(kind)))
	}
	return k, nil
}
