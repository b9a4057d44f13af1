package domain

import (
	"context"
	"slices"
	"strings"
)

// Roles a writer may have. Reads need none.
const (
	RoleEditor = "editor"
	RoleAdmin  = "admin"
)

// Roles lists the roles in order of power.
var Roles = []string{RoleEditor, RoleAdmin}

// EUNAUTHENTICATED is the code of a request whose credentials are wrong.
const EUNAUTHENTICATED = "UNAUTHENTICATED"

// Identity is who a request acts for.
type Identity struct {
	Name string
	Role string
}

// HasRole reports whether the identity has the role, in any letter case:
// tokens store "editor", GraphQL spells it EDITOR, and a host backend may
// write either.
func (id *Identity) HasRole(role string) bool {
	return id != nil && strings.EqualFold(strings.TrimSpace(id.Role), role)
}

// MayWrite reports whether the identity has a role that writes.
func (id *Identity) MayWrite() bool {
	return slices.ContainsFunc(Roles, id.HasRole)
}

type identityKey struct{}

// WithIdentity returns a context acting for id.
func WithIdentity(ctx context.Context, id *Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// IdentityFrom returns who the context acts for, or nil for an anonymous
// reader.
func IdentityFrom(ctx context.Context) *Identity {
	id, _ := ctx.Value(identityKey{}).(*Identity)
	return id
}
