package domain

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes, stable across releases: clients switch on them, and the HTTP
// edge maps them once (see httpapi).
const (
	ENOTFOUND = "NOT_FOUND"
	EINVALID  = "INVALID"
	ECONFLICT = "CONFLICT"
	EINTERNAL = "INTERNAL"
)

// Error is an error a user can act on: a code and a message safe to show.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EINTERNAL for errors that are not ours.
func ErrorCode(err error) string {
	var e *Error
	var p *Problems
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	case errors.As(err, &p):
		return EINVALID
	}
	return EINTERNAL
}

// Problem is one reason a fact was refused: where it is (a file and a JSON
// path, or an input field) and why.
type Problem struct {
	File string
	Path string
	Why  string
}

func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		b.WriteString(": ")
	}
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Why)
	return b.String()
}

// Problems is every reason a set of facts was refused, so that a fixture
// author can mend them all in one pass.
type Problems []Problem

func (ps *Problems) Error() string {
	lines := make([]string, 0, len(*ps)+1)
	lines = append(lines, fmt.Sprintf("%d problem(s); nothing was written:", len(*ps)))
	for _, p := range *ps {
		lines = append(lines, "  "+p.String())
	}
	return strings.Join(lines, "\n")
}

// Add records a problem.
func (ps *Problems) Add(file, path, format string, args ...any) {
	*ps = append(*ps, Problem{File: file, Path: path, Why: fmt.Sprintf(format, args...)})
}

// Err returns ps as an error, or nil when there are none.
func (ps *Problems) Err() error {
	if len(*ps) == 0 {
		return nil
	}
	return ps
}

// Error lets one problem stand as an error.
func (p *Problem) Error() string { return p.String() }

// Excerpt shortens a value a client sent for an error message that quotes
// it: the first 40 characters, then an ellipsis.
func Excerpt(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
