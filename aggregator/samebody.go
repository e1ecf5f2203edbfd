package aggregator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"runtime/debug"
	"strconv"

	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/fetch"
)

// Many servers ignore conditional requests and answer 200 with the bytes
// they gave last time. Such a body, when its digest equals the one of the
// last body of the source parsed and stored, is not parsed, matched or
// stored again: the cycle is recorded as a 304 is (Engine.unchanged,
// Report.SameBody).
// Keyword edits need no reparse (Apply applies them to every stored item);
// what else shapes the items goes into the digest.

// digestVersion is part of every body digest. Bump it when parsing a feed
// or the Senate export, or what Ingest makes of the items, changes: the
// same bytes must then be parsed again by the new code. The build's
// revision is part of the digest too (see digestSalt), so a new build
// reparses once even when this was forgotten.
const digestVersion = 1

// digestSalt is what every body digest of this build starts with: the
// digest version and the build's module version and VCS revision, when
// the binary carries them.
func digestSalt() string {
	salt := "vigie body digest v" + strconv.Itoa(digestVersion)
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return salt
	}
	salt += " " + bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
			salt += " " + s.Key + "=" + s.Value
		}
	}
	return salt
}

// bodyDigest identifies what a fetched body gives for src: its bytes, and
// everything else that shapes its items: the source's type and full-text
// settings, the final URL (relative links resolve against it) and the
// content type (its charset decodes the bytes).
func bodyDigest(salt string, src config.Source, resp *fetch.Response) string {
	h := sha256.New()
	for _, field := range []string{salt, src.Type, strconv.FormatBool(src.FullText), src.FullTextSelector, resp.URL, resp.ContentType} {
		writeField(h, field)
	}
	h.Write(resp.Body)
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// writeField writes s length-first, so that no two lists of fields hash
// the same bytes.
func writeField(h hash.Hash, s string) {
	fmt.Fprintf(h, "%d:%s;", len(s), s)
}
