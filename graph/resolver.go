// Package graph is the GraphQL layer of artistgraph: the code gqlgen
// generates from schema.graphqls and the resolvers, which stay thin and call
// the store.
package graph

import "github.com/artistgraph/artistgraph/sqlite"

// Resolver is the root resolver; it holds what every resolver needs.
type Resolver struct {
	Store *sqlite.DB
}
