package classify

import "time"

// InWindow reports whether log time t is in the window the Windowed
// counts, the upstream rows and the causes pane cover: its second after
// the window's start (windowFrom) and not after LogNow's. A snapshot with
// no window (Window 0) holds every time. The filter keeps an upstream or
// a cause by its 5xx in the window only: a 5xx from before it kept a row
// whose window held none like it (/refused kept three rows of 503s).
func (s *Snapshot) InWindow(t time.Time) bool {
	if s.Window <= 0 {
		return true
	}
	sec := t.Unix()
	return sec > windowFrom(s.LogNow, s.Window) && sec <= s.LogNow.Unix()
}
