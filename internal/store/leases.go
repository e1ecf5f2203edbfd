package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"time"

	"gorm.io/gorm"
)

// Leases share the sources among several vigie instances on one database:
// before a scheduled fetch an instance claims the source's lease, and
// fetches only if it got it. A lease is not released when the fetch ends:
// it stands for "fetched this period", so that an instance whose tick
// comes a little later does not fetch the source again. It expires a
// little before the next tick; an instance killed mid-cycle thus loses its
// sources within one period, and the next tick of any instance takes them.
//
// The lease is one row per source, taken by a single conditional upsert
// (INSERT ... ON CONFLICT DO UPDATE ... WHERE expired): it holds no row
// lock nor connection while the source is fetched, survives connection
// pools (session advisory locks do not: they belong to whichever pooled
// connection took them), and expires by time, which row locks held with
// FOR UPDATE SKIP LOCKED cannot do without a transaction open for the
// whole fetch. Instances' clocks must agree to within a small part of a
// period (NTP).

// Claim takes the lease of the source named name for ttl, unless another
// instance holds one that has not expired. It reports whether this
// instance got it; an instance always gets its own lease back.
func (s *Store) Claim(ctx context.Context, name string, ttl time.Duration) (bool, error) {
	now := time.Now()
	var claimed bool
	err := s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Exec("INSERT INTO source_leases (name, holder, claimed, expires) VALUES (?, ?, ?, ?) "+
			"ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, claimed = excluded.claimed, expires = excluded.expires "+
			"WHERE source_leases.expires <= excluded.claimed OR source_leases.holder = excluded.holder",
			name, s.instance, now.UnixMilli(), now.Add(ttl).UnixMilli())
		claimed = res.RowsAffected == 1
		return res.Error
	})
	if err != nil {
		return false, fmt.Errorf("claim %s: %w", name, err)
	}
	return claimed, nil
}

// Instance names this Store among the instances sharing the database:
// host, process id and a random suffix.
func (s *Store) Instance() string { return s.instance }

// Holder is an instance holding leases.
type Holder struct {
	Instance string
	Sources  int       // leases it holds that have not expired
	Last     time.Time // its latest claim
}

// Holders returns the instances that hold a lease that has not expired:
// the instances alive, sharing the database.
func (s *Store) Holders(ctx context.Context) ([]Holder, error) {
	var rows []struct {
		Holder  string
		Sources int
		Last    int64
	}
	err := s.db.WithContext(ctx).Raw("SELECT holder, COUNT(*) AS sources, MAX(claimed) AS last FROM source_leases "+
		"WHERE expires > ? GROUP BY holder ORDER BY holder", time.Now().UnixMilli()).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load lease holders: %w", err)
	}
	out := make([]Holder, len(rows))
	for i, r := range rows {
		out[i] = Holder{Instance: r.Holder, Sources: r.Sources, Last: time.UnixMilli(r.Last).UTC()}
	}
	return out, nil
}

func newInstanceName() string {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown"
	}
	b := make([]byte, 3)
	rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
}
