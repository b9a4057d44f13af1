package httpapi_test

import "testing"

// name(locale:) answers the name a thing goes by in a language: a stage
// name before a birth name, a romanization for a script subtag, the
// primary name where it has none; after an edit of its names too.
func TestNameInALocale(t *testing.T) {
	srv, db, _ := newServer(t)
	q := `{
		artist(slug: "jungkook") { name ko: name(locale: "ko") latn: name(locale: "ko-Latn") fr: name(locale: "fr") }
		group(slug: "bts") { ko: name(locale: "ko") }
		label(slug: "big-hit-music") { ko: name(locale: "KO") }
		search(query: "jungkook") { edges { node { ... on Artist { ko: name(locale: "ko") } } } }
	}`
	res := ask(t, srv.URL, q)
	for path, want := range map[string]string{
		"artist.name": "Jungkook", "artist.ko": "정국", "artist.latn": "Jeon Jung-kook", "artist.fr": "Jungkook",
		"group.ko": "방탄소년단", "label.ko": "빅히트 뮤직", "search.edges.0.node.ko": "정국",
	} {
		if got := dig(t, res, path); got != want {
			t.Errorf("%s: %v, want %q", path, got, want)
		}
	}
	token := mustToken(t, db, "mina", "editor")
	harry := dig(t, ask(t, srv.URL, `{ artist(slug: "harry-styles") { id revision } }`), "artist")
	mustWrite(t, srv.URL, token, `mutation($id: ID!, $r: Int!) { addName(id: $id, revision: $r, name: {value: "ハリー・スタイルズ", locale: "ja", kind: TRANSLATION}) { id } }`,
		map[string]any{"id": dig(t, harry, "id"), "r": dig(t, harry, "revision")})
	if got := dig(t, ask(t, srv.URL, `{ artist(slug: "harry-styles") { name(locale: "ja") } }`), "artist.name"); got != "ハリー・スタイルズ" {
		t.Errorf("after addName: %v", got)
	}
}
