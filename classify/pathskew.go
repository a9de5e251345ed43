package classify

import (
	"math/bits"
	"slices"
	"time"

	"fivexx/sources"
)

// Without request ids on both sides, the app's clock was not known unless
// --app-skew gave it, and an app 3 s behind had the time window take the
// next request's app line for a 5xx: the QA's nginx combined log with an
// app of slog-like lines, its clock -3 s, called a 503 the app logged
// "shedding load" for proxy_rejected ("nginx most likely answered on its
// own"), a 500 the app logged unknown, and quoted the next request's line
// for others. No clock advice came either: the window did find lines,
// the wrong ones.
//
// A request whose method, target and status no other request near it
// shares is one both logs can be paired by, as by an id: the background
// /ok?bg=N of the repro, each once in each log, all 3.0 s apart. The rules
// are:
//   - only while no request id has told the skew, none is given, and
//     the app's lines or the proxy's carry no ids (with ids on both sides
//     the ids tell it);
//   - a proxy entry below 500 is paired when no other proxy entry of its
//     method, target and status came within pathWindow of it, and exactly
//     one app line that ends a request (with a status) has them, stamped
//     within pathWindow of it, on the app's clock, with no other such app
//     line within pathWindow of that one: decided once pathWindow has passed
//     twice over by the log clock (or at the end of the input), when no
//     more can come;
//   - the pair's sample is the app's stamp less the proxy's (from mid-second
//     for whole-second proxy times), as for ids (skew.go);
//   - pathTrust samples at least, half of them within pathSpread of their
//     median, make the skew; it is then applied to every app line, as a
//     skew learnt from ids is to the lines of the apps that log ids, and
//     the header says "app clock -3s (from 80 unique paths)". Until then,
//     while pathTrust requests waiting to be decided have a pair so far, a
//     5xx waits for it (appwait.go). After pathGiveUp of log time, or once
//     the skew is learnt from pathKeep samples, the pairing stops and lets
//     go of what it held;
//   - its cost is a hash and a map lookup per line while it runs, for at
//     most pathGiveUp of log time; where ids join, or a report reads no
//     app log, it stops at the first Advance (256 lines).

const (
	pathWindow = 10 * time.Second
	pathTrust  = 20
	pathSpread = 500 * time.Millisecond
	pathGiveUp = 2 * time.Minute
	pathKeep   = 101 // the skew estimator's window
	pathLook   = 4096
)

// pathSkew pairs requests by method, target and status (see above).
type pathSkew struct {
	// on: pairing, from the first line (start); over: it stopped for
	// good (learnt, given up, or ids told the skew).
	on, over bool
	from     time.Time // the log clock at the first Advance
	proxy    map[uint64]*pathSeen
	app      map[uint64]*pathSeen
	// proxyQ and appQ are the keys in the order they came, with the time
	// each is decided (proxy) or let go (app) at.
	proxyQ, appQ []pathQueued
	samples      []time.Duration
	// learnt is the number of samples that made the skew (0: not yet).
	learnt int
}

// pathSeen is the first line of a key within the window, and how many
// lines of it came (one: unique).
type pathSeen struct {
	t time.Time
	n int
}

type pathQueued struct {
	key uint64
	at  time.Time
}

// pathKey is the hash of a request's method, target and status.
func pathKey(method, target string, status int) uint64 {
	return sources.IDHash(target) ^ bits.RotateLeft64(sources.IDHash(method), 17) ^ uint64(status)*0x9e3779b97f4a7c15
}

// note counts a line of key at t in seen, queued to be looked at at
// t + after.
func note(seen map[uint64]*pathSeen, q *[]pathQueued, key uint64, t time.Time, after time.Duration) {
	if s, ok := seen[key]; ok {
		s.n++
		return
	}
	seen[key] = &pathSeen{t: t, n: 1}
	*q = append(*q, pathQueued{key, t.Add(after)})
}

// start has the pairing run from the first line, unless the skew is given.
func (p *pathSkew) start(given bool) {
	if given {
		p.over = true
		return
	}
	p.on = true
	p.proxy, p.app = map[uint64]*pathSeen{}, map[uint64]*pathSeen{}
}

// proxyEntry notes access entry e, while pairing.
func (p *pathSkew) proxyEntry(e *sources.ProxyEntry) {
	if e.Status < 100 || e.Status >= 500 || e.Path == "" || e.Method == "" || e.Time.IsZero() {
		return
	}
	note(p.proxy, &p.proxyQ, pathKey(e.Method, e.Path, e.Status), e.Time, 2*pathWindow)
}

// appLine notes app line a, while pairing: one that ends a request.
func (p *pathSkew) appLine(a *sources.AppEntry) {
	if a.Status == 0 || a.Path == "" || a.Method == "" || a.Time.IsZero() {
		return
	}
	note(p.app, &p.appQ, pathKey(a.Method, a.Path, a.Status), a.Time, 4*pathWindow)
}

// learnPathSkew starts, runs and stops the pairing (see above) at an
// Advance, with the log clock at now; end says the input has ended.
func (e *Engine) learnPathSkew(end bool) {
	c := e.corr
	p := &c.paths
	if p.over {
		return
	}
	if c.skew.fixed || (c.skew.n > 0 && !c.skew.paths) || (c.appIDs && c.proxySeen && !c.proxyNoID) {
		p.stop() // ids (or --app-skew) tell the app's clock
		return
	}
	if !e.cfg.Live && c.appLines == 0 && !e.hasRole(sources.RoleApp) {
		p.stop() // a report of proxy logs: no app line to pair
		return
	}
	if p.from.IsZero() {
		p.from = e.logNow
	}
	p.decide(e.logNow, end, !c.skew.subSecond)
	if len(p.samples) >= pathTrust && len(p.samples) > p.learnt && pathAgree(p.samples) {
		c.skew.fromPaths(p.samples)
		p.learnt = len(p.samples)
		if len(p.samples) >= pathKeep || end {
			p.stop()
		}
		return
	}
	if end || e.logNow.Sub(p.from) > pathGiveUp {
		p.stop()
	}
}

// decide pairs the proxy entries whose windows have closed by now (all of
// them at the end); whole says the proxy's times are whole seconds.
func (p *pathSkew) decide(now time.Time, end, whole bool) {
	n := 0
	for _, q := range p.proxyQ {
		if !end && q.at.After(now) {
			break
		}
		n++
		pe := p.proxy[q.key]
		delete(p.proxy, q.key)
		ae := p.app[q.key]
		if pe == nil || pe.n != 1 || ae == nil || ae.n != 1 {
			continue
		}
		at := pe.t
		if whole {
			at = at.Add(500 * time.Millisecond) // the middle of its second
		}
		if d := ae.t.Sub(at); d >= -pathWindow && d <= pathWindow && len(p.samples) < pathKeep {
			p.samples = append(p.samples, d)
		}
	}
	p.proxyQ = append(p.proxyQ[:0], p.proxyQ[n:]...)
	n = 0
	for _, q := range p.appQ {
		if q.at.After(now) {
			break
		}
		n++
		delete(p.app, q.key)
	}
	p.appQ = append(p.appQ[:0], p.appQ[n:]...)
}

// promising reports whether pathTrust of the proxy entries waiting to be
// decided (the first pathLook of them) have a pair so far: unique on both
// sides. Only then do 5xx wait for the skew: an app whose requests all
// share a few paths gives none, and its 5xx, and the lines their windows
// hold, waited 20 s more for nothing.
func (p *pathSkew) promising() bool {
	found := 0
	for i, q := range p.proxyQ {
		if i == pathLook {
			break
		}
		if pe, ae := p.proxy[q.key], p.app[q.key]; pe != nil && pe.n == 1 && ae != nil && ae.n == 1 {
			if found++; found == pathTrust {
				return true
			}
		}
	}
	return false
}

// stop ends the pairing for good and lets go of what it held.
func (p *pathSkew) stop() {
	p.on, p.over = false, true
	p.proxy, p.app, p.proxyQ, p.appQ = nil, nil, nil, nil
}

// pathAgree reports whether half of samples lie within pathSpread of
// their median.
func pathAgree(samples []time.Duration) bool {
	s := slices.Clone(samples)
	slices.Sort(s)
	med, near := s[len(s)/2], 0
	for _, d := range s {
		if d >= med-pathSpread && d <= med+pathSpread {
			near++
		}
	}
	return 2*near >= len(s)
}
