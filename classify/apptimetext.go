package classify

import (
	"time"
)

// appTimeText is app time t for an evidence line of ev, on the proxy's
// clock: less the whole quarter hours of the app's skew (ev.appSkew: a
// zone's offset, not the fraction of a second an estimate may be off by,
// which said 10:40:53.180 of a line stamped 11:40:53.380 while ids had
// the skew at +1h0m0.2s), in the offset of ev's access line, as the
// report prints its time. An app logging UTC beside an
// access log at +0100 read "logged the start at 23:59:02.463" under a
// 502 of 00:59:01 (QA s36 H2). When the app's log wrote it otherwise
// (another zone, a clock off, stamps without a zone read in TZ), its own
// follows, as it can be searched for there: "00:59:02.463 (23:59:02.463
// in its log)".
func appTimeText(ev evidence, t time.Time, layout string) string {
	own := t.Format(layout)
	at := t.Add(-ev.appSkew.Round(15 * time.Minute)).In(ev.e.Time.Location()).Format(layout)
	if at == own {
		return own
	}
	return at + " (" + own + " in its log)"
}
