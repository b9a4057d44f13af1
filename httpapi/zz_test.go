package httpapi_test

import (
	"testing"
)

func TestZZ(t *testing.T) {
	srv, _, logs := newServer(t)
	defer func() { t.Log(logs.String()) }()
	t.Log(post(t, srv.URL, `{ streamingRace(platform: "spotify", threshold: 99999999999999999999999) { threshold } }`, nil).Errors)
	t.Log(post(t, srv.URL, `query($t: Int64!) { streamingRace(platform: "spotify", threshold: $t) { threshold } }`, map[string]any{"t": "abc"}).Errors)
	t.Log(post(t, srv.URL, `query($t: Int64!) { streamingRace(platform: "spotify", threshold: $t) { threshold } }`, map[string]any{"t": 1e30}).Errors)
	t.Log(post(t, srv.URL, `{ artist(slug: "jungkook") { name } }`, nil).Errors)
	t.Log(post(t, srv.URL, `{ artists(first: 2) { edges { cursor } } }`, nil))
	t.Log(post(t, srv.URL, `{ song(slug: "seven") { durationSeconds } }`, nil))
	t.Log(post(t, srv.URL, `{ group(slug: "bts") { name performances(first: 2) { edges { node { performerAges { age { min } } } } } } }`, nil))
}
