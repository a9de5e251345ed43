package main

import (
	"strings"
	"sync"

	"fivexx/classify"
	"fivexx/sources"
	"fivexx/sources/haproxy"
)

// inputbytes.go tells, from an input's bytes, why no line of it was read:
// a format given that reads none of it (givenformat.go), UTF-16 or binary
// input (nottext.go). A report asks once it has read every input; the
// live and replay views ask at each snapshot the engine publishes
// (classify.Config.InputProblems), so that their inputs pane and advice
// say what the report says: they said "format not recognised" or showed
// only the unparsed count. The rules are:
//   - A file's head is read once: a report's when first asked, live and
//     replay's before any input is read (prefetch), so that publishing a
//     snapshot reads no file.
//   - An input whose head has no bytes (standard input, --cmd, a file not
//     there or empty at start) is told by its unparsed samples.

// inputBytes is what is known of the inputs' heads.
type inputBytes struct {
	flags *inputFlags
	ins   []*sources.Input
	// mu: live, the engine's goroutine asks; in a replay the player's,
	// and once it has finished the UI's (Player.Snapshot publishes).
	mu    sync.Mutex
	heads []inputHead
}

// inputHead is one input's head, each part read when first asked.
type inputHead struct {
	linesRead, rawRead bool
	lines              []string // its whole lines (headCache)
	raw                []byte   // its first rawHeadBytes, inflated when gzip
	looked             bool
	looks              string // what detection makes of lines
	texted             bool
	what, fix          string // notText of raw
	// haproxyLooked: haproxyLike says whether lines look like HAProxy's
	// request lines (looksHAProxy).
	haproxyLooked, haproxyLike bool
	// claimsRead: claimed and requests were counted of lines, in the
	// format the input is read in (claimedUnread).
	claimsRead        bool
	claimed, requests int
}

func newInputBytes(f *inputFlags, ins []*sources.Input) *inputBytes {
	return &inputBytes{flags: f, ins: ins, heads: make([]inputHead, len(ins))}
}

// prefetch reads every input's head now, before the inputs are read.
func (b *inputBytes) prefetch() *inputBytes {
	for i := range b.ins {
		b.headLines(i)
		b.rawHead(i)
	}
	return b
}

func (b *inputBytes) headLines(i int) []string {
	h := &b.heads[i]
	if !h.linesRead {
		h.linesRead = true
		if peekable(b.ins[i].Spec) {
			h.lines, _ = b.flags.heads.head(b.ins[i].Spec.Path)
		}
	}
	return h.lines
}

func (b *inputBytes) rawHead(i int) []byte {
	h := &b.heads[i]
	if !h.rawRead {
		h.rawRead = true
		h.raw = rawHead(b.ins[i].Spec)
	}
	return h.raw
}

// looks is the format detection finds in input i's head, or in samples
// when its head has no line; "" when none.
func (b *inputBytes) looks(i int, samples []string) string {
	lines := b.headLines(i)
	h := &b.heads[i]
	if len(lines) == 0 {
		return detectedName(samples)
	}
	if !h.looked {
		h.looked, h.looks = true, detectedName(lines)
	}
	return h.looks
}

// looksHAProxy says whether half or more of the non-blank lines of input
// i's head (of samples when it has no head) begin as HAProxy's request
// lines do (haproxy.LooksLikeRequest).
func (b *inputBytes) looksHAProxy(i int, samples []string) bool {
	lines := b.headLines(i)
	if len(lines) == 0 {
		return halfLookLikeHAProxy(samples)
	}
	h := &b.heads[i]
	if !h.haproxyLooked {
		h.haproxyLooked, h.haproxyLike = true, halfLookLikeHAProxy(lines)
	}
	return h.haproxyLike
}

func halfLookLikeHAProxy(lines []string) bool {
	like, nonBlank := 0, 0
	for _, l := range lines {
		if blankLine(l) {
			continue
		}
		nonBlank++
		if haproxy.LooksLikeRequest(l) {
			like++
		}
	}
	return like > 0 && 2*like >= nonBlank
}

func detectedName(lines []string) string {
	if det, _, err := sources.DetectSample(lines, sources.RoleUnknown).Resolve(sources.Spec{}); err == nil {
		return det.Name
	}
	return ""
}

// notText is notText of input i's head, or of samples when its head has
// no bytes.
func (b *inputBytes) notText(i int, samples []string) (what, fix string) {
	raw := b.rawHead(i)
	path := shellWord(b.ins[i].Spec.Label())
	if len(raw) == 0 {
		return notText([]byte(strings.Join(samples, "\n")), path)
	}
	h := &b.heads[i]
	if !h.texted {
		h.texted = true
		h.what, h.fix = notText(raw, path)
	}
	return h.what, h.fix
}

// problems is what the bytes of the inputs in sts tell of those no line
// was read of: the states of the inputs they tell of, by index, and the
// advice, first what is not text, then what a given format did not read.
// It is classify.Config.InputProblems.
func (b *inputBytes) problems(sts []classify.InputStatus) (states map[int]string, advice []classify.Advice) {
	unread, partly := false, false
	for _, st := range sts {
		unread = unread || (st.Lines > st.Blank && st.Parsed == 0)
		partly = partly || (st.Parsed > 0 && st.Unparsed > 0)
	}
	if !unread && !partly {
		return nil, nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	work := append([]classify.InputStatus(nil), sts...)
	given := b.givenFormatReadNone(work)
	advice = append(b.notTextAdvice(work), given...)
	advice = append(advice, b.haproxyUnread(work)...)
	advice = append(advice, b.claimedUnread(work)...)
	for i := range work {
		if work[i].State != sts[i].State {
			if states == nil {
				states = map[int]string{}
			}
			states[i] = work[i].State
		}
	}
	return states, advice
}
