package main

import "fivexx/sources"

// heads.go keeps what was peeked of each input's head before reading, for
// every check that asks: --log-format's (givenformat.go), the app's
// access log (appaccess.go), the error log's zone (errorzone.go) and a log
// given twice (samelog.go). Each read the same 32 KB again and each but
// the last detected its format again, scoring every line with every format
// (the JSON ones decode it): on a 1,000-line report that was 37 M of its
// 157 M instructions. The rules are:
//   - A path is peeked once, and its lines detected once per role asked
//     (positional inputs are all asked as RoleUnknown).
//   - The heads are read as start-up reads them, once, before any input is
//     read; what a file gains after that is its reader's.

// headCache is the heads peeked so far, by path; its zero value is empty.
type headCache struct {
	byPath map[string]*peekedHead
}

// peekedHead is one path's head: its whole lines, whether it is gzip, and
// its detection per role.
type peekedHead struct {
	lines   []string
	gz      bool
	samples map[sources.Role]sources.Sample
}

// head returns peekHead(path), reading it the first time only.
func (c *headCache) head(path string) (lines []string, gz bool) {
	h := c.peeked(path)
	return h.lines, h.gz
}

// sample returns the detection of path's head for role, detecting it the
// first time only.
func (c *headCache) sample(path string, role sources.Role) sources.Sample {
	h := c.peeked(path)
	s, ok := h.samples[role]
	if !ok {
		s = detectSample(h.lines, role)
		if h.samples == nil {
			h.samples = map[sources.Role]sources.Sample{}
		}
		h.samples[role] = s
	}
	return s
}

// detectSample is sources.DetectSample; a test counts its calls.
var detectSample = sources.DetectSample

func (c *headCache) peeked(path string) *peekedHead {
	if h, ok := c.byPath[path]; ok {
		return h
	}
	h := &peekedHead{}
	h.lines, h.gz = peekHead(path)
	if c.byPath == nil {
		c.byPath = map[string]*peekedHead{}
	}
	c.byPath[path] = h
	return h
}
