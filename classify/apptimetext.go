package classify

import (
	"time"

	"fivexx/sources"
)

// appTimeText is app time t for an evidence line about proxy entry e, in
// e's offset: the report prints e's time as its log wrote it, and an app
// logging UTC beside an access log at +0100 read "logged the start at
// 23:59:02.463" under a 502 of 00:59:01 (QA s36 H2). When the app's log
// wrote another offset, its own time follows, as it can be searched for
// there: "00:59:02.463 (23:59:02.463Z in its log)".
func appTimeText(e *sources.ProxyEntry, t time.Time, layout string) string {
	_, off := t.Zone()
	_, eoff := e.Time.Zone()
	if off == eoff {
		return t.Format(layout)
	}
	return t.In(e.Time.Location()).Format(layout) + " (" + t.Format(layout+"Z07:00") + " in its log)"
}
