package classify

import (
	"time"
)

// appTimeText is app time t for an evidence line of ev, on the proxy's
// clock: less the app's skew (ev.appSkew), in the offset of ev's access
// line, as the report prints its time. An app logging UTC beside an
// access log at +0100 read "logged the start at 23:59:02.463" under a
// 502 of 00:59:01 (QA s36 H2). When the app's log wrote it otherwise
// (another zone, a clock off, stamps without a zone read in TZ), its own
// follows, as it can be searched for there: "00:59:02.463 (23:59:02.463
// in its log)".
func appTimeText(ev evidence, t time.Time, layout string) string {
	own := t.Format(layout)
	at := t.Add(-ev.appSkew).In(ev.e.Time.Location()).Format(layout)
	if at == own {
		return own
	}
	return at + " (" + own + " in its log)"
}
