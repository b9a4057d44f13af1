// Package graph is the GraphQL layer of artistgraph: the schema
// (graph/schema, one file per kind), the code gqlgen generates from it, and
// the resolvers, which stay thin and call the store through domain.Store;
// per-operation loaders batch their reads, and the planner (plan.go) reads
// a root field's whole selection ahead.
package graph

import "github.com/artistgraph/artistgraph/domain"

// Resolver is the root resolver; it holds what every resolver needs: a
// store, through its interfaces, whichever database is behind it.
type Resolver struct {
	Store domain.Store
}
