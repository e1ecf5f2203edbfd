package store

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/vigie-watch/vigie/internal/canon"
	"github.com/vigie-watch/vigie/internal/watch"
)

// identityLink is the identity a link gives a story: its canonical form, or ""
// when it names a site's home page rather than an article (some feeds give
// that link to every item: they are not all one story).
func identityLink(link string) string {
	k := canon.Link(link)
	if !strings.ContainsAny(k, "/?") {
		return ""
	}
	return k
}

// sameText reports whether a story already has the text of an item.
func sameText(st *story, it watch.Item) bool {
	return st.Title == it.Title && st.Summary == it.Summary && st.Content == it.Content &&
		canon.Link(st.Link) == canon.Link(it.Link)
}

func applyText(st *story, it watch.Item) {
	st.Title = it.Title
	st.Link = it.Link
	st.Summary = it.Summary
	st.Content = it.Content
	st.Author = it.Author
	st.Categories = strings.Join(it.Categories, "\n")
	st.Recalls = it.Recalls
}

// textHash identifies the text of an item as its source gives it.
func textHash(it watch.Item) string {
	h := sha256.New()
	for _, s := range []string{it.Title, it.Link, it.Summary, it.Content} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// guidKey is the identity of a story known by its GUID only: its entry id
// is made of it, so it never changes.
func guidKey(source, g string) string { return "guid:" + source + "\x00" + g }

// tombKey is how a tombstone names a GUID: as guidKey, with a separator
// PostgreSQL's text can hold.
func tombKey(source, g string) string { return "guid:" + source + tombSep + g }

const tombSep = "\x1f"

// storableItem is an item with every text as the engine can store it.
func storableItem(d dialect, it watch.Item) watch.Item {
	for _, f := range []*string{&it.GUID, &it.Link, &it.Title, &it.Summary, &it.Content, &it.Author, &it.Recalls} {
		*f = d.storable(*f)
	}
	it.Categories = slices.Clone(it.Categories)
	for i := range it.Categories {
		it.Categories[i] = d.storable(it.Categories[i])
	}
	return it
}
