package classify

import "fivexx/sources"

// A 5xx's access line is kept as a Detach copy from its recycled slot
// while it waits for its verdict, then by the verdict. A report keeps
// only its few newest verdicts (MaxRecent), so nearly every copy is let go
// a few verdicts later; a new entry and list array for each was 19 MB of
// the 114 MB a report of the 2 M bench set allocated, and so about a sixth
// of its collections. An engine that nobody else takes verdicts from (no
// OnVerdict, not live, no timelines made as verdicts are) instead reuses
// the entries of the verdicts its trim of recent lets go, unless a
// snapshot has shown them. A replay of plain files is such an engine too:
// its timelines are made when asked (latertimeline.go) and hold no access
// line, and its UI sees only the verdicts of snapshots (Publish marks
// those it shows, and only those, as shared). There an entry also keeps
// its verdict's LaterTimeline and room for its own lines' inputs (keptLater):
// a new copy of every 5xx's line, verdict and own lines, where a report
// reused them, was half of what a replay at full speed allocated (147 MB
// against the report's 73 MB on the 2 M bench set), and most of the
// collection it did beyond a report's.
//
// The entry's text is reused too (ProxyEntry.DetachReusing): that is safe
// because nothing but the engine's own verdicts keeps a string of a 5xx's
// entry. The stats and the alert rates key by the upstream name, which is
// always a string of its own; a snapshot's verdicts are never reused. Code
// that keeps any other string of a verdict's entry (v.Entry.Path, say)
// beyond the verdict must clone it, or turn reuse off (reusesEntries).

// keptEntry is the memory of one kept 5xx entry.
type keptEntry struct {
	entry sources.ProxyEntry
	// room takes the entry's upstream lists, sized to the lines it took
	// (keptRoom): a room of 12 strings in the entry, for the one or two
	// attempts of five lists most lines have, was 192 of its 672 bytes,
	// where a storm's refused 502 lists one attempt (80 bytes).
	room []string
	// text holds the entry's line (ProxyEntry.DetachReusing).
	text []byte
	// verdict is the entry's verdict once judged: it lives exactly as
	// long as the entry, kept by recent and let go by the same trim. A
	// new one per 5xx was 10 MB of the 100 MB a report of the three
	// big2mv2 logs allocated. It is reused apart from the entry (from
	// Engine.freeVerdicts, set when the 5xx is judged): within the
	// entry, every 5xx waiting its grace held one too, 576 of the 1,240
	// bytes of an entry, 29 MB of a storm's 50,000 waiting 5xx.
	verdict *Verdict
	// shared marks an entry a snapshot's verdicts may show: never reused.
	shared bool
	// later is the memory of the verdict's LaterTimeline, in an engine
	// that makes timelines when asked (nil otherwise).
	later *keptLater
}

// keptLater is what a kept entry's verdict needs for its timeline made
// when asked (Engine.laterTimeline): the LaterTimeline, and room for the
// inputs of its own lines (a handful) when they must be noted one by one.
type keptLater struct {
	tl  LaterTimeline
	ins [keptOwnLines]*sources.Input
}

// keptOwnLines is how many own lines' inputs a kept entry has room for; a
// request with more takes new memory.
const keptOwnLines = 8

// maxFreeKept bounds the free entries: a burst of 5xx (up to MaxPending,
// 50,000, waiting at once) would otherwise leave as many entries free for
// the rest of the report, about 1 KB each with their line. Between bursts
// a report needs a few hundred (589 free at the end of the 2 M bench set).
const maxFreeKept = 4096

// reusesEntries reports whether an engine of cfg may reuse its kept 5xx
// entries: only its own verdicts refer to them. (OnVerdict's callee may
// keep a verdict, live snapshots show them, and a timeline made as
// verdicts are holds the entry among its lines.)
func reusesEntries(cfg Config) bool {
	return cfg.OnVerdict == nil && !cfg.Live && !cfg.holds()
}

// keep5xx returns the record an engine keeps for the 5xx p of item it: a
// Detach copy (in a reused entry when the engine reuses them, noted on
// e.keeping for add), or p itself when it lies in no slot.
func (e *Engine) keep5xx(it *sources.Item, p *sources.ProxyEntry) sources.Record {
	if !e.reuse || !it.Recycled() {
		return it.Detach()
	}
	var k *keptEntry
	if n := len(e.freeKept); n > 0 {
		k = e.freeKept[n-1]
		e.freeKept[n-1] = nil
		e.freeKept = e.freeKept[:n-1]
	} else {
		k = new(keptEntry)
	}
	e.keeping = k
	if n := listed(p); cap(k.room) < n {
		k.room = make([]string, keptRoom(n))
	}
	var d *sources.ProxyEntry
	d, k.text = p.DetachReusing(&k.entry, k.room, k.text)
	return d
}

// listed is how many strings p's upstream lists hold.
func listed(p *sources.ProxyEntry) int {
	return len(p.UpstreamAddr) + len(p.UpstreamStatus) + len(p.UpstreamConnect) + len(p.UpstreamHeader) + len(p.UpstreamResponse)
}

// keptRoom is the room a kept entry takes for n listed strings: one
// attempt's five lists, or two attempts', or exactly n, so that an entry
// reused for lines of one or two attempts grows its room once at most.
func keptRoom(n int) int {
	switch {
	case n <= 5:
		return 5
	case n <= 10:
		return 10
	}
	return n
}

// onFreeKept, when set, is called with each entry trimRecentReusing puts
// on the free list. It exists for keptentry_poison_test.go, which
// overwrites the entry there: a string of it kept past its verdict (which
// the rule above forbids) then reads the poison, or lies in a buffer a
// later 5xx reuses, where the test finds it; the report's output would not
// show it (it prints no alerts). Nil outside that test: one check per
// freed entry.
var onFreeKept func(*keptEntry)

// trimRecentReusing is keepRecent for an engine that reuses entries: it
// trims recent in place and frees the entries of the verdicts it lets go.
// recentMem holds each recent verdict's keptEntry (nil: none, or not to be
// reused), at the same index.
func (e *Engine) trimRecentReusing() {
	keep := e.trimKeep[:0]
	for range e.recent {
		keep = append(keep, false)
	}
	e.trimKeep = keep
	markRecent(e.recent, e.cfg.MaxRecent, keep, &e.trimCounts)
	n := 0
	for i, v := range e.recent {
		k := e.recentMem[i]
		if !keep[i] {
			if k != nil && !k.shared && len(e.freeKept) < maxFreeKept {
				if onFreeKept != nil {
					onFreeKept(k)
				}
				e.freeKept = append(e.freeKept, k)
				if k.verdict != nil && len(e.freeVerdicts) < maxFreeKept {
					// Cleared: a free verdict would keep its entry (which
					// the next 5xx fills) and its lines.
					*k.verdict = Verdict{}
					e.freeVerdicts = append(e.freeVerdicts, k.verdict)
				}
				k.verdict = nil
			}
			continue
		}
		e.recent[n], e.recentMem[n] = v, k
		n++
	}
	clear(e.recent[n:])
	clear(e.recentMem[n:])
	e.recent, e.recentMem = e.recent[:n], e.recentMem[:n]
}

// recentToShow is keepRecent(e.recent, MaxRecent), the recent verdicts a
// snapshot shows; an engine that reuses entries marks theirs as shared:
// never to be reused. Only theirs: marking every recent one (up to twice
// MaxRecent more between trims) left a replay at full speed, which
// publishes every 100 ms, a third more entries it could not reuse.
func (e *Engine) recentToShow() []*Verdict {
	if !e.reuse {
		return keepRecent(e.recent, e.cfg.MaxRecent)
	}
	keep := e.trimKeep[:0]
	for range e.recent {
		keep = append(keep, false)
	}
	e.trimKeep = keep
	markRecent(e.recent, e.cfg.MaxRecent, keep, &e.trimCounts)
	n := 0
	for _, k := range keep {
		if k {
			n++
		}
	}
	out := make([]*Verdict, 0, n)
	for i, v := range e.recent {
		if !keep[i] {
			continue
		}
		out = append(out, v)
		if k := e.recentMem[i]; k != nil {
			k.shared = true
		}
	}
	return out
}

// recentCounts are the per-upstream and per-cause counts of a trim,
// kept between trims (a report trims every few verdicts).
type recentCounts struct {
	ups    map[string]int
	causes map[Cause]int
}

// markRecent sets keep[i] for the verdicts of vs that keepRecent keeps.
func markRecent(vs []*Verdict, max int, keep []bool, counts *recentCounts) {
	if len(vs) <= max {
		for i := range keep {
			keep[i] = true
		}
		return
	}
	if counts.ups == nil {
		counts.ups, counts.causes = map[string]int{}, map[Cause]int{}
	}
	clear(counts.ups)
	clear(counts.causes)
	perKey := min(recentPerKey, max/2)
	ups, causes := counts.ups, counts.causes
	extra := 0
	for i := len(vs) - 1; i >= 0; i-- {
		v := vs[i]
		up := ""
		if v.Entry != nil {
			up = v.Entry.Upstream
		}
		switch {
		case len(vs)-i <= max:
			keep[i] = true
		case extra < max && (ups[up] < perKey || causes[v.Cause] < perKey):
			keep[i] = true
			extra++
		}
		if keep[i] {
			ups[up]++
			causes[v.Cause]++
		}
	}
}

// keptVerdict is the verdict memory of the kept entry k, now judged: a
// freed one when there is one.
func (e *Engine) keptVerdict(k *keptEntry) *Verdict {
	if k.verdict == nil {
		if n := len(e.freeVerdicts); n > 0 {
			k.verdict = e.freeVerdicts[n-1]
			e.freeVerdicts[n-1] = nil
			e.freeVerdicts = e.freeVerdicts[:n-1]
		} else {
			k.verdict = new(Verdict)
		}
	}
	return k.verdict
}
