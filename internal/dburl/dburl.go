// Package dburl reads the `database:` setting: a postgres:// or
// postgresql:// URL names a PostgreSQL database, anything else an SQLite
// file. It checks a URL's form without connecting, and shows it without
// its password. It has no dependency on a database driver, so that config
// checking builds without cgo.
package dburl

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// IsPostgres reports whether a `database:` setting names a PostgreSQL
// database rather than an SQLite file.
func IsPostgres(database string) bool {
	scheme, _, ok := strings.Cut(database, "://")
	return ok && (strings.EqualFold(scheme, "postgres") || strings.EqualFold(scheme, "postgresql"))
}

// Validate checks the form of a PostgreSQL URL without connecting: a host
// or socket directory, a database name, and parameters pgx accepts. Its
// errors never show the password.
func Validate(database string) error {
	_, err := DSN(database)
	return err
}

// DSN returns the connection string pgx is given for a PostgreSQL URL:
// the URL with a connection timeout of 10 s when it sets none, so that an
// unreachable server is an error at start rather than a hang. Other
// parameters pass to the server as they are (?synchronous_commit=off
// makes cycles faster, at the price of the last fraction of a second of
// commits when the server crashes).
func DSN(database string) (string, error) {
	if !IsPostgres(database) {
		return "", fmt.Errorf("%s: want a postgres:// or postgresql:// URL", Redact(database))
	}
	u, err := url.Parse(database)
	if err != nil {
		return "", fmt.Errorf("not a valid URL: %s", RedactError(database, err))
	}
	if u.Host == "" && u.Query().Get("host") == "" {
		return "", fmt.Errorf("%s: no host (postgres://user@host/db, or ?host=/socket/dir)", Redact(database))
	}
	if strings.Trim(u.Path, "/") == "" {
		return "", fmt.Errorf("%s: no database name (postgres://user@host/db)", Redact(database))
	}
	q := u.Query()
	if !q.Has("connect_timeout") {
		q.Set("connect_timeout", "10")
		u.RawQuery = q.Encode()
	}
	dsn := u.String()
	if _, err := pgconn.ParseConfig(dsn); err != nil {
		return "", fmt.Errorf("%s: %s", Redact(database), RedactError(database, err))
	}
	return dsn, nil
}

// Redact returns a `database:` setting as it may be shown: a PostgreSQL
// URL without its password, an SQLite path as it is.
func Redact(database string) string {
	if !IsPostgres(database) {
		return database
	}
	u, err := url.Parse(database)
	if err != nil {
		return "postgres://(unparsable URL)"
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// RedactError returns an error's message about a database with the
// setting's password, if any, replaced by xxxxx.
func RedactError(database string, err error) string {
	msg := err.Error()
	if p := password(database); p != "" {
		msg = strings.ReplaceAll(msg, p, "xxxxx")
		msg = strings.ReplaceAll(msg, url.QueryEscape(p), "xxxxx")
	}
	return msg
}

// password finds the password of a URL, even one url.Parse rejects.
func password(database string) string {
	if u, err := url.Parse(database); err == nil {
		if p, ok := u.User.Password(); ok {
			return p
		}
		return u.Query().Get("password")
	}
	_, rest, ok := strings.Cut(database, "://")
	if !ok {
		return ""
	}
	userinfo, _, ok := strings.Cut(rest, "@")
	if !ok {
		return ""
	}
	_, p, _ := strings.Cut(userinfo, ":")
	return p
}
