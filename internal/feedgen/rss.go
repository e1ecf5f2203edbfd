package feedgen

import (
	"bytes"
	"fmt"
	"net/http"
	"time"
)

// renderRSS writes a feed the way franceinfo does: CDATA titles and
// descriptions holding &nbsp; entities, permalink GUIDs, RFC 1123 dates
// with an offset, a media:content image and a category.
func renderRSS(base, title, path, tag string, f *Feed, storyText func(int) story) []byte {
	var b bytes.Buffer
	b.Grow(len(f.Items) * 1200)
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title><![CDATA[Franceinfo - %s]]></title>
    <link>https://www.francetvinfo.fr/%s/</link>
    <atom:link href="%s%s" rel="self" type="application/rss+xml"/>
    <description><![CDATA[Les titres de franceinfo : %s (%s)]]></description>
    <language>fr-fr</language>
    <lastBuildDate>%s</lastBuildDate>
`, title, path, base, f.Path, title, tag, f.Items[0].Published.Format(time.RFC1123Z))
	for _, it := range f.Items {
		s := storyText(it.Story)
		fmt.Fprintf(&b, `    <item>
      <title><![CDATA[%s]]></title>
      <link>%s</link>
      <guid isPermaLink="true">%s</guid>
      <description><![CDATA[%s]]></description>
      <pubDate>%s</pubDate>
      <media:content url="https://www.francetvinfo.fr/pictures/%d/1500x843/%s.jpg" medium="image" type="image/jpeg" width="1500" height="843"/>
      <category>%s</category>
    </item>
`, s.title, it.Link, it.GUID, s.summary, it.Published.Format(time.RFC1123Z), it.Story, s.slug, s.category)
	}
	b.WriteString("  </channel>\n</rss>\n")
	return b.Bytes()
}

// lastModified formats t for the Last-Modified header.
func lastModified(t time.Time) string { return t.UTC().Format(http.TimeFormat) }
