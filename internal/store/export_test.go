package store

import "github.com/vigie-watch/vigie/internal/pgtest"

// PostgresForTests is the test server, nil when PostgreSQL is not
// installed.
func PostgresForTests() *pgtest.Server { return testPG }
