// Package graph is the GraphQL layer of artistgraph: the code gqlgen
// generates from graph/schema/*.graphqls and the resolvers, which stay thin and call
// the store.
package graph

import "github.com/artistgraph/artistgraph/domain"

// Resolver is the root resolver; it holds what every resolver needs: a
// store, through its interfaces, whichever database is behind it.
type Resolver struct {
	Store domain.Store
}
