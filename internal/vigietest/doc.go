// Package vigietest is what vigie's tests share: a fake upstream web server,
// vigie wired as the daemon wires it on a real SQLite file, and the small
// helpers around them. Only tests import it.
//
// A typical end-to-end test serves fixture feeds, wires vigie on a config
// pointing at them, runs a cycle and reads the merged feed back as a reader
// would:
//
//	up := vigietest.NewUpstream(t)
//	up.Set("/titres.rss", vigietest.Fixture(t, "franceinfo.rss"), "application/rss+xml")
//	h := vigietest.New(t, vigietest.ParseConfig(t, yaml), vigietest.Options{})
//	h.FetchAll()
//	f := h.Feed("/feed.atom")
//
// Upstream answers each path with a handler the test sets and may change
// between cycles (Body, Status, Hang, Blocking, or a Validating document
// that answers conditional requests), and records the requests it got.
// Harness holds the real store, fetch client, engine and HTTP handlers.
package vigietest
