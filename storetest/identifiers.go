package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
)

// Things carry identifiers in the open music databases, checked by form,
// each given to one thing, and search finds a thing by one given exactly.
func testIdentifiers(t *testing.T, b Backend) {
	ctx := context.Background()
	db := b.seeded(t)
	const mbid = "d7b6f0a3-5c2e-4a8f-9b1d-3e4f5a6b7c8d"
	if err := load(t, db, `{"artists": [{"slug": "jungkook", "name": "Jungkook", "ids": {"wikidata": "Q99999991", "mbid": "`+mbid+`"}}],
		"songs": [{"slug": "seven", "name": "Seven", "ids": {"isrc": "USXX12300001", "spotify": "0123456789abcdefABCDEF"}}]}`); err != nil {
		t.Fatal(err)
	}
	jungkook := mustID(t, db, domain.KindArtist, "jungkook")
	for _, q := range []string{"Q99999991", mbid, " USXX12300001 "} {
		hits, _, err := db.Search(ctx, q, nil, domain.PageArgs{First: 5})
		if err != nil || len(hits) == 0 || hits[0].Match != "identifier" || hits[0].Matched != strings.TrimSpace(q) {
			t.Errorf("search %q: %+v, %v; want the thing it identifies first", q, hits, err)
		}
	}
	nodes, err := db.Nodes(ctx, []int64{jungkook})
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, id := range nodes[0].(domain.AnyThing).ThingFields().Identifiers() {
		urls = append(urls, id.URL)
	}
	if got := strings.Join(urls, " "); got != "https://musicbrainz.org/artist/"+mbid+" https://www.wikidata.org/wiki/Q99999991" {
		t.Errorf("Jungkook's identifiers point to %s", got)
	}

	// An edit replaces them.
	mustEdit(t, db, domain.Edit{Action: domain.ActionUpdate, ID: jungkook, Revision: revisionOf(t, db, jungkook),
		Patch: domain.Draft{"ids": map[string]any{"spotify": "6HaGTQPmzraVmaVxvz6EUc"}}})
	nodes, _ = db.Nodes(ctx, []int64{jungkook})
	if got := nodes[0].(domain.AnyThing).ThingFields().IDs; got != `{"spotify":"6HaGTQPmzraVmaVxvz6EUc"}` {
		t.Errorf("after the edit, Jungkook's identifiers are %s", got)
	}
	if hits, _, _ := db.Search(ctx, "Q99999991", nil, domain.PageArgs{First: 5}); len(hits) > 0 && hits[0].Match == "identifier" {
		t.Errorf("a replaced identifier still finds %+v", hits[0])
	}

	for _, bad := range []struct{ fixture, want string }{
		{`{"artists": [{"slug": "jimin", "name": "Jimin", "ids": {"isrc": "USXX12300002"}}]}`, `artists[0].ids.isrc: "isrc" is not an identifier of artists: give mbid, wikidata, spotify`},
		{`{"artists": [{"slug": "jimin", "name": "Jimin", "ids": {"mbid": "not-a-uuid"}}]}`, `artists[0].ids.mbid: "not-a-uuid" is not a MusicBrainz ID, which looks like`},
		{`{"songs": [{"slug": "dreamers", "name": "Dreamers", "ids": {"isrc": "USXX12300001"}}]}`, `songs[0].ids.isrc: ISRC USXX12300001 is already the stored song "seven"'s`},
		{`{"artists": [{"slug": "jimin", "name": "Jimin", "ids": {"wikidata": "Q5"}}], "groups": [{"slug": "bts", "name": "BTS", "ids": {"wikidata": "Q5"}}]}`, `groups[0].ids.wikidata: Wikidata item Q5 is already artist "jimin"`},
	} {
		err := load(t, db, bad.fixture)
		if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("got %v, want %q", err, bad.want)
		}
	}
}
