// Package feedgen makes synthetic news feeds for vigie's benchmarks: N RSS
// feeds of M items of French newsroom text, shaped like franceinfo's (CDATA
// with &nbsp;, « », ’, œ, permalink GUIDs with #xtor fragments, pubDates),
// a few percent of items carrying one of the default keywords, and some
// stories carried by two feeds under different GUIDs.
//
// Everything is deterministic for a seed: the same Options give the same
// bytes, so a benchmark can be rerun on the same input. Set.Handler serves
// the feeds with ETag and Last-Modified and answers conditional requests
// with 304, so that a second pass measures a cycle where nothing changed.
package feedgen
