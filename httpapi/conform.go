package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/artistgraph/artistgraph/domain"
)

// The media types of GraphQL over HTTP: the specification's own, and the
// JSON that clients before it expect.
const (
	mediaGraphQLResponse = "application/graphql-response+json"
	mediaJSON            = "application/json"
)

// conformHTTP makes /graphql follow the GraphQL-over-HTTP specification
// where gqlgen's transports do not: 405 for other methods and for a
// mutation over GET (with a code), 415 for a POST body that is not UTF-8 JSON, 406 when
// the client accepts neither response type, 200 (not 422) for parse and
// validation errors answered as application/json, and the charset on
// every JSON answer. A GET query is parsed, to tell a mutation, under the
// same token limit as everywhere.
func conformHTTP(maxTokens int, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" {
			next.ServeHTTP(w, r) // a websocket: its own protocol
			return
		}
		switch r.Method {
		case http.MethodGet:
			if getsAMutation(r, maxTokens) {
				w.Header().Set("Allow", "POST")
				writeError(w, r, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "a mutation must be sent with POST; GET runs queries only")
				return
			}
		case http.MethodOptions:
		case http.MethodPost:
			mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if err != nil || mediaType != mediaJSON || (params["charset"] != "" && !strings.EqualFold(params["charset"], "utf-8")) {
				writeError(w, r, http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "send the request as Content-Type: application/json (UTF-8)")
				return
			}
		default:
			w.Header().Set("Allow", "GET, POST")
			writeError(w, r, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "use POST, or GET for queries")
			return
		}
		if !acceptsJSON(r.Header.Values("Accept")) {
			writeError(w, r, http.StatusNotAcceptable, "NOT_ACCEPTABLE", "this endpoint answers application/graphql-response+json or application/json")
			return
		}
		cw := &conformWriter{ResponseWriter: w}
		next.ServeHTTP(cw, r)
		cw.finish()
	})
}

// parameterTypes are the parameters of a GraphQL-over-HTTP POST body and
// the JSON each must be (null aside).
var parameterTypes = map[string]byte{"query": '"', "operationName": '"', "variables": '{', "extensions": '{'}

// checkParameters refuses, with 400, a POST body whose parameters are not
// those of GraphQL over HTTP (a misspelt "qeury") or not of their type:
// answering it as a GraphQL error with 200 would hide the mistake. The
// body is in memory (the limiter read it).
func checkParameters(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Body == nil {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			writeError(w, r, http.StatusBadRequest, "BAD_REQUEST", "the request body could not be read")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		var params map[string]json.RawMessage
		if json.Unmarshal(body, &params) != nil {
			next.ServeHTTP(w, r) // not a JSON object: gqlgen says so
			return
		}
		for name, value := range params {
			want, known := parameterTypes[name]
			switch {
			case !known:
				writeError(w, r, http.StatusBadRequest, "BAD_REQUEST", fmt.Sprintf("the request body has a parameter %q; GraphQL over HTTP takes query, operationName, variables and extensions", domain.Excerpt(name)))
				return
			case len(value) > 0 && value[0] != want && string(value) != "null":
				kind := map[byte]string{'"': "a string", '{': "an object"}[want]
				writeError(w, r, http.StatusBadRequest, "BAD_REQUEST", fmt.Sprintf("the parameter %q must be %s", name, kind))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// getsAMutation reports whether a GET request's query selects a mutation
// (or subscription): gqlgen refuses those itself, but without a code.
func getsAMutation(r *http.Request, maxTokens int) bool {
	text := r.URL.Query().Get("query")
	if text == "" {
		return false
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: text}, maxTokens)
	if err != nil {
		return false // gqlgen reports the syntax error, or the token limit
	}
	name := r.URL.Query().Get("operationName")
	for _, op := range doc.Operations {
		if (name == "" || op.Name == name) && op.Operation != ast.Query {
			return true
		}
	}
	return false
}

// acceptsJSON reports whether an Accept header admits one of the response
// types; no header admits them all.
func acceptsJSON(accept []string) bool {
	if len(accept) == 0 {
		return true
	}
	for _, header := range accept {
		for _, part := range strings.Split(header, ",") {
			mediaType, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil || params["q"] == "0" {
				continue
			}
			switch mediaType {
			case mediaGraphQLResponse, mediaJSON, "application/*", "*/*":
				return true
			}
		}
	}
	return false
}

// conformWriter adjusts the status and content type gqlgen answers with,
// and leaves "data" out of a request error answered as
// application/graphql-response+json (gqlgen writes "data": null).
type conformWriter struct {
	http.ResponseWriter
	wroteHeader bool
	held        *bytes.Buffer // the body of such an answer, until finish
}

// finish writes a held answer without its "data": null.
func (c *conformWriter) finish() {
	if c.held == nil {
		return
	}
	var answer map[string]json.RawMessage
	body := c.held.Bytes()
	if json.Unmarshal(body, &answer) == nil && string(answer["data"]) == "null" {
		delete(answer, "data")
		if stripped, err := json.Marshal(answer); err == nil {
			body = stripped
		}
	}
	_, _ = c.ResponseWriter.Write(body)
}

func (c *conformWriter) WriteHeader(code int) {
	if c.wroteHeader {
		return
	}
	c.wroteHeader = true
	h := c.Header()
	mediaType, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	switch {
	case mediaType == mediaJSON && code == http.StatusUnprocessableEntity:
		// A well-formed request answered as application/json is 200,
		// errors and all; graphql-response+json says 400 instead.
		code = http.StatusOK
	}
	if mediaType == mediaJSON || mediaType == mediaGraphQLResponse {
		h.Set("Content-Type", mediaType+"; charset=utf-8")
	}
	if mediaType == mediaGraphQLResponse && code >= 400 {
		c.held = &bytes.Buffer{}
		h.Del("Content-Length")
	}
	c.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (read
// deadlines, flushing, websocket upgrades).
func (c *conformWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

func (c *conformWriter) Write(b []byte) (int, error) {
	if !c.wroteHeader {
		c.WriteHeader(http.StatusOK)
	}
	if c.held != nil {
		return c.held.Write(b)
	}
	return c.ResponseWriter.Write(b)
}
