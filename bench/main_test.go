package bench

import (
	"os"
	"testing"

	"github.com/artistgraph/artistgraph/storetest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	storetest.StopPostgres()
	os.Exit(code)
}
