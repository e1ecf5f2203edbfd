package watch

import (
	"sync"
	"time"
	_ "time/tzdata" // Paris must load on hosts without a zone database
)

// Paris returns the Europe/Paris time zone, loaded once. It is the domain's
// clock: the Senate dates its questions and answers by Paris days, and
// readers (French newsrooms, parliamentary staff) read times in Paris
// time. The zone database is embedded, so it cannot be missing.
func Paris() *time.Location { return paris() }

var paris = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		// Unreachable: time/tzdata embeds the zone.
		panic("load Europe/Paris from the embedded zone database: " + err.Error())
	}
	return loc
})
