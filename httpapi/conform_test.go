package httpapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The GraphQL-over-HTTP specification, its SHOULDs included: status codes
// by media type, GET for queries only, content negotiation, UTF-8.
func TestGraphQLOverHTTP(t *testing.T) {
	srv, _, _ := newServer(t)
	const (
		ok        = `{"query": "{ song(slug: \"seven\") { name } }"}`
		parseErr  = `{"query": "{ song(slug: "}`
		invalid   = `{"query": "{ nosuch }"}`
		badVars   = `{"query": "query($n: Int!) { artists(first: $n) { totalCount } }", "variables": {"n": "x"}}`
		noQuery   = `{"variables": {}}`
		notJSON   = `not json, SECRET`
		misspelt  = `{"qeury": "{ __typename }"}`
		queryList = `{"query": ["{ __typename }"]}`
		gqlResp   = "application/graphql-response+json"
		plainJSON = "application/json"
	)
	getQuery := "?query=" + url.QueryEscape(`{ song(slug: "seven") { name } }`)
	getMutation := "?query=" + url.QueryEscape(`mutation { delete(id: "QXJ0aXN0OjE", revision: 1) { kind } }`)
	tests := []struct {
		name, method, contentType, accept, body, query string
		status                                         int
		media, code                                    string
	}{
		{"query, graphql-response", "POST", plainJSON, gqlResp, ok, "", 200, gqlResp, ""},
		{"query, json", "POST", plainJSON, plainJSON, ok, "", 200, plainJSON, ""},
		{"no Accept means json", "POST", plainJSON, "", ok, "", 200, plainJSON, ""},
		{"charset utf-8", "POST", plainJSON + "; charset=utf-8", gqlResp, ok, "", 200, gqlResp, ""},
		{"parse error, graphql-response", "POST", plainJSON, gqlResp, parseErr, "", 400, gqlResp, "GRAPHQL_PARSE_FAILED"},
		{"parse error, json", "POST", plainJSON, plainJSON, parseErr, "", 200, plainJSON, "GRAPHQL_PARSE_FAILED"},
		{"validation error, graphql-response", "POST", plainJSON, gqlResp, invalid, "", 400, gqlResp, "GRAPHQL_VALIDATION_FAILED"},
		{"validation error, json", "POST", plainJSON, plainJSON, invalid, "", 200, plainJSON, "GRAPHQL_VALIDATION_FAILED"},
		{"variables error, graphql-response", "POST", plainJSON, gqlResp, badVars, "", 400, gqlResp, "GRAPHQL_VALIDATION_FAILED"},
		{"variables error, json", "POST", plainJSON, plainJSON, badVars, "", 200, plainJSON, "GRAPHQL_VALIDATION_FAILED"},
		{"no query, graphql-response", "POST", plainJSON, gqlResp, noQuery, "", 400, gqlResp, "GRAPHQL_VALIDATION_FAILED"},
		{"body not JSON", "POST", plainJSON, gqlResp, notJSON, "", 400, gqlResp, "BAD_REQUEST"},
		{"a misspelt parameter", "POST", plainJSON, plainJSON, misspelt, "", 400, plainJSON, "BAD_REQUEST"},
		{"a parameter of the wrong type", "POST", plainJSON, gqlResp, queryList, "", 400, gqlResp, "BAD_REQUEST"},
		{"GET query", "GET", "", gqlResp, "", getQuery, 200, gqlResp, ""},
		{"GET mutation", "GET", "", gqlResp, "", getMutation, 405, gqlResp, "METHOD_NOT_ALLOWED"},
		{"Accept nothing we have", "POST", plainJSON, "text/html", ok, "", 406, plainJSON, "NOT_ACCEPTABLE"},
		{"Accept with wildcards and weights", "POST", plainJSON, "text/html;q=0.9, application/*;q=0.8", ok, "", 200, plainJSON, ""},
		{"no Content-Type", "POST", "", gqlResp, ok, "", 415, gqlResp, "UNSUPPORTED_MEDIA_TYPE"},
		{"form body", "POST", "application/x-www-form-urlencoded", plainJSON, "query=%7B%7D", "", 415, plainJSON, "UNSUPPORTED_MEDIA_TYPE"},
		{"not UTF-8", "POST", plainJSON + "; charset=latin1", gqlResp, ok, "", 415, gqlResp, "UNSUPPORTED_MEDIA_TYPE"},
		{"PUT", "PUT", plainJSON, gqlResp, ok, "", 405, gqlResp, "METHOD_NOT_ALLOWED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, srv.URL+"/graphql"+tt.query, strings.NewReader(tt.body))
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			if tt.accept != "" {
				req.Header.Set("Accept", tt.accept)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != tt.status || res.Header.Get("Content-Type") != tt.media+"; charset=utf-8" {
				t.Fatalf("%d %s, want %d %s; charset=utf-8\n%s", res.StatusCode, res.Header.Get("Content-Type"), tt.status, tt.media, body)
			}
			if res.StatusCode == http.StatusMethodNotAllowed && res.Header.Get("Allow") == "" {
				t.Error("405 without Allow")
			}
			var out response
			if err := json.Unmarshal(body, &out); err != nil {
				t.Fatalf("not JSON: %s", body)
			}
			if tt.code != "" && (len(out.Errors) == 0 || out.Errors[0].Extensions["code"] != tt.code) {
				t.Errorf("errors %+v, want %s", out.Errors, tt.code)
			}
			// A request error answered as graphql-response+json has no
			// "data" entry at all.
			if tt.media == gqlResp && res.StatusCode >= 400 && strings.Contains(string(body), `"data"`) {
				t.Errorf("a request error with data: %s", body)
			}
			if strings.Contains(string(body), "SECRET") {
				t.Error("the answer quotes the request body")
			}
		})
	}
}
