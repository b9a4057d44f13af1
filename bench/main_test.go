package bench

import (
	"testing"

	"github.com/artistgraph/artistgraph/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }
