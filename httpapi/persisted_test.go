package httpapi_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"testing"

	"github.com/artistgraph/artistgraph/httpapi"
)

func sha(q string) string {
	sum := sha256.Sum256([]byte(q))
	return hex.EncodeToString(sum[:])
}

// postPersisted sends a query by hash, with its text when given.
func postPersisted(t *testing.T, base, hash, query string) response {
	t.Helper()
	req := map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}}
	if query != "" {
		req["query"] = query
	}
	return send(t, base, "", req)
}

func code(res response) any {
	if len(res.Errors) == 0 {
		return nil
	}
	return res.Errors[0].Extensions["code"]
}

func TestAutomaticPersistedQueries(t *testing.T) {
	srv, _, _ := newServer(t)
	q := `{ song(slug: "seven") { name } }`
	// Unknown hash: the client is told to send the text.
	if res := postPersisted(t, srv.URL, sha(q), ""); len(res.Errors) != 1 || res.Errors[0].Message != "PersistedQueryNotFound" || code(res) != httpapi.EPERSISTEDNOTFOUND {
		t.Fatalf("unknown hash: %+v", res.Errors)
	}
	if res := postPersisted(t, srv.URL, sha(q), q); len(res.Errors) > 0 || string(res.Data) != `{"song":{"name":"Seven"}}` {
		t.Fatalf("register: %s %+v", res.Data, res.Errors)
	}
	if res := postPersisted(t, srv.URL, sha(q), ""); len(res.Errors) > 0 || string(res.Data) != `{"song":{"name":"Seven"}}` {
		t.Fatalf("by hash: %s %+v", res.Data, res.Errors)
	}
	// By hash over GET too, as CDNs like.
	ext := `{"persistedQuery":{"version":1,"sha256Hash":"` + sha(q) + `"}}`
	status, body := get(t, srv.URL+"/graphql?extensions="+url.QueryEscape(ext))
	if status != 200 || string(body) != `{"data":{"song":{"name":"Seven"}}}` {
		t.Errorf("GET by hash: %d %s", status, body)
	}
	if res := postPersisted(t, srv.URL, sha("something else"), q); code(res) != "BAD_REQUEST" {
		t.Errorf("wrong hash: %+v", res.Errors)
	}
}

func TestOnlyPersistedQueries(t *testing.T) {
	allowed := `{ song(slug: "seven") { name } }`
	srv, _, _ := newServerWith(t, httpapi.Options{PersistedQueries: []string{allowed}, OnlyPersisted: true})
	if res := postPersisted(t, srv.URL, sha(allowed), ""); len(res.Errors) > 0 || string(res.Data) != `{"song":{"name":"Seven"}}` {
		t.Fatalf("allowed by hash: %s %+v", res.Data, res.Errors)
	}
	if res := post(t, srv.URL, allowed, nil); len(res.Errors) > 0 {
		t.Fatalf("allowed by text: %+v", res.Errors)
	}
	other := `{ song(slug: "stay") { name } }`
	if res := post(t, srv.URL, other, nil); code(res) != httpapi.EPERSISTEDNOTALLOWED {
		t.Errorf("other query: %+v", res.Errors)
	}
	// Nor can a client register one.
	if res := postPersisted(t, srv.URL, sha(other), other); code(res) != httpapi.EPERSISTEDNOTALLOWED {
		t.Errorf("registering: %+v", res.Errors)
	}
	if res := postPersisted(t, srv.URL, sha(other), ""); code(res) != httpapi.EPERSISTEDNOTFOUND {
		t.Errorf("registered anyway: %+v", res.Errors)
	}
}
