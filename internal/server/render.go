package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/vigie-watch/vigie/feeds"
	"github.com/vigie-watch/vigie/internal/config"
	"github.com/vigie-watch/vigie/internal/watch"
)

// ErrUnknownTopic is returned when a feed is asked for a topic that the
// configuration does not name.
var ErrUnknownTopic = errors.New("unknown topic")

// EntryReader is what rendering a feed reads from the database.
type EntryReader interface {
	// Entries returns the entries of a topic's feed ("" is the main feed),
	// newest first, at most limit.
	Entries(ctx context.Context, topic string, limit int) ([]watch.Entry, error)
}

// RenderFeed renders the feed of topic ("" for the main feed) in format f,
// exactly as the daemon serves it when feed.url is set: `vigie export`
// writes these bytes.
func RenderFeed(ctx context.Context, st EntryReader, cfg *config.Config, topic string, f feeds.Format) ([]byte, error) {
	if f.ContentType() == "" {
		return nil, fmt.Errorf("render: %w: %q", feeds.ErrUnknownFormat, string(f))
	}
	if topic != "" && !hasTopic(cfg, topic) {
		return nil, fmt.Errorf("render: %w: %q", ErrUnknownTopic, topic)
	}
	entries, err := st.Entries(ctx, topic, cfg.Feed.MaxEntries)
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	return feeds.Render(f, FeedMeta(cfg, PublicBase(cfg), topic, f), entries)
}

// PublicBase returns the public base URL of the daemon, without a trailing
// slash: the directory of feed.url, or, when feed.url is not set, http://
// and the listen address (an unspecified host, as in ":8080", read as
// localhost). It never depends on a request: a feed's id must not change
// with the Host header, and the render cache must not be keyed on it.
func PublicBase(cfg *config.Config) string {
	if u := cfg.Feed.URL; u != "" {
		if i := strings.LastIndexByte(u, '/'); i > len("https://") {
			return u[:i]
		}
		return strings.TrimRight(u, "/")
	}
	host, port, err := net.SplitHostPort(cfg.Listen)
	if err != nil {
		return "http://" + cfg.Listen
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// FeedPath returns the path of a feed under the public base: /feed.atom, or
// /topics/NAME.atom for a topic.
func FeedPath(topic string, f feeds.Format) string {
	if topic == "" {
		return "/feed." + string(f)
	}
	return "/topics/" + topic + "." + string(f)
}

// FeedMeta describes the feed of topic in format f published under base.
// The three formats of a feed share one id, the URL of its Atom rendering
// (feed.url for the main feed), so that a reader sees one feed.
func FeedMeta(cfg *config.Config, base, topic string, f feeds.Format) feeds.Meta {
	title := cfg.Feed.Title
	if t := findTopic(cfg, topic); t != nil {
		title = t.Title
		if title == "" {
			title = cfg.Feed.Title + " : " + t.Name
		}
	}
	id := base + FeedPath(topic, feeds.FormatAtom)
	if topic == "" && cfg.Feed.URL != "" {
		id = cfg.Feed.URL
	}
	self := base + FeedPath(topic, f)
	if topic == "" && f == feeds.FormatAtom {
		self = id
	}
	return feeds.Meta{Title: title, ID: id, SelfURL: self, HTMLURL: base + "/", Language: "fr"}
}

func findTopic(cfg *config.Config, name string) *config.Topic {
	if name == "" {
		return nil
	}
	for i := range cfg.Topics {
		if cfg.Topics[i].Name == name {
			return &cfg.Topics[i]
		}
	}
	return nil
}

func hasTopic(cfg *config.Config, name string) bool { return findTopic(cfg, name) != nil }
