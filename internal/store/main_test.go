package store

import (
	"os"
	"testing"

	"github.com/vigie-watch/vigie/internal/pgtest"
)

// testPG is the package's throwaway PostgreSQL server, nil when
// PostgreSQL is not installed.
var testPG *pgtest.Server

func TestMain(m *testing.M) {
	os.Exit(pgtest.Main(m, &testPG))
}
