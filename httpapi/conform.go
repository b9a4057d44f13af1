package httpapi

import (
	"mime"
	"net/http"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
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
// every JSON answer.
func conformHTTP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" {
			next.ServeHTTP(w, r) // a websocket: its own protocol
			return
		}
		switch r.Method {
		case http.MethodGet:
			if getsAMutation(r) {
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
		next.ServeHTTP(&conformWriter{ResponseWriter: w}, r)
	})
}

// getsAMutation reports whether a GET request's query selects a mutation
// (or subscription): gqlgen refuses those itself, but without a code.
func getsAMutation(r *http.Request) bool {
	text := r.URL.Query().Get("query")
	if text == "" {
		return false
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: text})
	if err != nil {
		return false // gqlgen reports the syntax error
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

// conformWriter adjusts the status and content type gqlgen answers with.
type conformWriter struct {
	http.ResponseWriter
	wroteHeader bool
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
	c.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (read
// deadlines, flushing, websocket upgrades).
func (c *conformWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

func (c *conformWriter) Write(b []byte) (int, error) {
	if !c.wroteHeader {
		c.WriteHeader(http.StatusOK)
	}
	return c.ResponseWriter.Write(b)
}
