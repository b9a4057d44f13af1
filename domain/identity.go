package domain

import "context"

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
