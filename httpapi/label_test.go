package httpapi_test

import (
	"slices"
	"testing"
)

// Labels, the acts signed to them and their releases, from the built-in
// fixtures, both ways; found by search; walked by path; edited.
func TestLabels(t *testing.T) {
	srv, db, _ := newServer(t)
	res := ask(t, srv.URL, `{
		label(slug: "big-hit-music") {
			name founded country names { value locale }
			signings { act { slug } start end current sources { slug } }
			releases { work { slug } }
		}
		labels(first: 10) { totalCount edges { node { slug } } }
		artist(slug: "jungkook") { signings { label { slug } start } }
		group(slug: "one-direction") { signings { label { name } current } }
		song(slug: "seven") { labels { label { slug } } }
		album(slug: "harrys-house") { labels { label { slug } } }
		search(query: "big hit entertainment", kinds: [LABEL]) { edges { node { ... on Label { slug } } matchKind } }
		path(from: "jungkook", to: "harry-styles", maxDepth: 6) { paths { steps { factKind } } }
	}`)
	if dig(t, res, "label.name") != "BigHit Music" || dig(t, res, "label.founded") != "2005-02-01" || dig(t, res, "label.country") != "KR" {
		t.Errorf("label %v", dig(t, res, "label"))
	}
	if got := column(t, res, "label.signings", "act.slug"); !slices.Equal(got, []string{"bts", "jungkook"}) {
		t.Errorf("signings %v, want bts (2010) then jungkook (2011)", got)
	}
	if dig(t, res, "label.signings.1.current") != true || dig(t, res, "label.signings.1.sources.0.slug") != "wikipedia-jungkook" {
		t.Errorf("signing %v", dig(t, res, "label.signings.1"))
	}
	if got := column(t, res, "label.releases", "work.slug"); len(got) != 3 || !slices.Contains(got, "seven") {
		t.Errorf("releases %v", got)
	}
	if got := column(t, res, "labels.edges", "node.slug"); !slices.Equal(got, []string{"big-hit-music", "columbia-records", "syco"}) || dig(t, res, "labels.totalCount") != float64(3) {
		t.Errorf("labels %v", got)
	}
	if dig(t, res, "artist.signings.0.label.slug") != "big-hit-music" || dig(t, res, "group.signings.0.label.name") != "Syco" {
		t.Errorf("acts' signings %v %v", dig(t, res, "artist"), dig(t, res, "group"))
	}
	if dig(t, res, "song.labels.0.label.slug") != "big-hit-music" || dig(t, res, "album.labels.0.label.slug") != "columbia-records" {
		t.Errorf("works' labels %v %v", dig(t, res, "song"), dig(t, res, "album"))
	}
	if dig(t, res, "search.edges.0.node.slug") != "big-hit-music" || dig(t, res, "search.edges.0.matchKind") != "EXACT_ALIAS" {
		t.Errorf("search %v", dig(t, res, "search"))
	}
	if len(list(t, res, "path.paths")) == 0 {
		t.Errorf("no path from Jungkook to Harry Styles: %v", dig(t, res, "path"))
	}

	token := mustToken(t, db, "mina", "editor")
	created := mustWrite(t, srv.URL, token, `mutation {
		label: createLabel(input: {slug: "erskine", name: "Erskine Records", country: "GB", sources: ["wikipedia-as-it-was"]}) { id slug }
		signing: createSigning(input: {label: "erskine", act: "harry-styles", start: "2017", sources: ["wikipedia-harry-styles"]}) { id label { name } act { slug } current }
		release: createLabelRelease(input: {label: "erskine", song: "as-it-was", sources: ["wikipedia-as-it-was"]}) { id work { slug } }
	}`, nil)
	if dig(t, created, "signing.label.name") != "Erskine Records" || dig(t, created, "release.work.slug") != "as-it-was" {
		t.Errorf("created %v", created)
	}
	mustWrite(t, srv.URL, token, `mutation($id: ID!) { updateSigning(id: $id, revision: 1, input: {end: "2024"}) { current } }`,
		map[string]any{"id": dig(t, created, "signing.id")})
	after := ask(t, srv.URL, `{ artist(slug: "harry-styles") { signings { label { slug } current } } song(slug: "as-it-was") { labels { label { slug } } } }`)
	if got := column(t, after, "artist.signings", "label.slug"); !slices.Equal(got, []string{"columbia-records", "erskine"}) || dig(t, after, "artist.signings.1.current") != false {
		t.Errorf("after the edits: %v", after)
	}
	if got := column(t, after, "song.labels", "label.slug"); !slices.Equal(got, []string{"columbia-records", "erskine"}) {
		t.Errorf("As It Was's labels %v", got)
	}
	bad := mustFail(t, srv.URL, token, "INVALID", `mutation { createSigning(input: {label: "erskine", act: "nobody", sources: ["wikipedia-as-it-was"]}) { id } }`, nil)
	if bad.Extensions["problems"] == nil {
		t.Errorf("a signing of an unknown act: %+v", bad)
	}
}
