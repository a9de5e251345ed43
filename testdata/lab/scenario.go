package lab

import (
	"context"
	"fmt"
	"math/rand"
	"sync"
	"time"
)

// Controllable is a backend the scenarios can kill and bring back: a
// *BackendProcess or an in-process *Backend.
type Controllable interface {
	Addr() string
	Kill() error
	Restart() error
	Up() bool
}

// Stage is what a scenario runs against.
type Stage struct {
	Client   *Client
	Backends []Controllable
	// Settle is how long the proxy needs to forget failures (nginx
	// fail_timeout rounded up to whole seconds plus one, Caddy fail_duration,
	// HAProxy a few health-check intervals).
	Settle time.Duration
	// RateLimited says the proxy limits /limited (nginx).
	RateLimited bool
	// Seed drives the mixed incident.
	Seed int64
	// Logf reports progress; nil is silent.
	Logf func(format string, args ...any)
}

func (s *Stage) logf(format string, args ...any) {
	if s.Logf != nil {
		s.Logf(format, args...)
	}
}

// Scenario is one short phase of a recording.
type Scenario struct {
	Name string
	// Doc says what the scenario does, for meta.json and the README.
	Doc string
	// NginxOnly scenarios need the proxy's rate limiter.
	NginxOnly bool
	Run       func(ctx context.Context, s *Stage) error
}

// Scenarios returns every scenario in recording order.
func Scenarios() []Scenario {
	return []Scenario{
		{Name: "healthy", Doc: "20 × /ok", Run: func(ctx context.Context, s *Stage) error {
			s.Client.Send(ctx, "healthy", "/ok", 20, 20*time.Millisecond)
			return nil
		}},
		{Name: "app_503", Doc: "6 × (/unavailable, /ok): the app answers 503 with Retry-After", Run: func(ctx context.Context, s *Stage) error {
			s.alternate(ctx, "app_503", "/unavailable", 6)
			return nil
		}},
		{Name: "app_500", Doc: "6 × (/error, /ok): the app answers 500", Run: func(ctx context.Context, s *Stage) error {
			s.alternate(ctx, "app_500", "/error", 6)
			return nil
		}},
		{Name: "backend_killed", Doc: "SIGKILL backend 1, 10 × /ok 100 ms apart, restart it, settle, 4 × /ok", Run: func(ctx context.Context, s *Stage) error {
			if err := s.Backends[0].Kill(); err != nil {
				return err
			}
			s.Client.Send(ctx, "backend_killed", "/ok", 10, 100*time.Millisecond)
			if err := s.Backends[0].Restart(); err != nil {
				return err
			}
			if err := s.settle(ctx); err != nil {
				return err
			}
			s.Client.Send(ctx, "backend_killed", "/ok", 4, 50*time.Millisecond)
			return nil
		}},
		{Name: "all_down", Doc: "SIGKILL both backends, 16 × /ok 250 ms apart, restart both, settle, 4 × /ok", Run: func(ctx context.Context, s *Stage) error {
			for _, b := range s.Backends {
				if err := b.Kill(); err != nil {
					return err
				}
			}
			s.Client.Send(ctx, "all_down", "/ok", 16, 250*time.Millisecond)
			for _, b := range s.Backends {
				if err := b.Restart(); err != nil {
					return err
				}
			}
			if err := s.settle(ctx); err != nil {
				return err
			}
			s.Client.Send(ctx, "all_down", "/ok", 4, 50*time.Millisecond)
			return nil
		}},
		s1("crash", FaultCrash, 300*time.Millisecond, "the backend SIGKILLs itself mid-request (restarted 1 s later)"),
		s1("hangup", FaultHangup, 150*time.Millisecond, "the backend closes the connection without a response"),
		s1("reset", FaultReset, 150*time.Millisecond, "the backend closes with SO_LINGER 0 (RST)"),
		s1("bad_header", FaultBadHeader, 150*time.Millisecond, "the backend sends a header line without a colon"),
		s1("big_header", FaultBigHeader, 150*time.Millisecond, "the backend sends a 64 KiB header"),
		s1("timeout", FaultSlow, 150*time.Millisecond, "the backend answers after 2 s, the proxy gives up after 1 s"),
		{Name: "rate_limit", NginxOnly: true, Doc: "12 × /limited 50 ms apart (limit_req 2r/s, burst 0), 2 × /ok", Run: func(ctx context.Context, s *Stage) error {
			s.Client.Send(ctx, "rate_limit", "/limited", 12, 50*time.Millisecond)
			s.Client.Send(ctx, "rate_limit", "/ok", 2, 50*time.Millisecond)
			return nil
		}},
		{Name: "mixed", Doc: "a seeded plan (mixedPlan in scenario.go) of 200 requests: background /ok, /unavailable, /error, /limited with every transport fault and one backend kill mixed in, sent by 2 workers 400 ms apart", Run: func(ctx context.Context, s *Stage) error {
			return s.mixed(ctx)
		}},
	}
}

// s1 builds a single-fault scenario: the fault limited to backend 1 (so a
// retrying proxy can succeed on backend 2), three /ok, the fault on any
// backend, three /ok, then settle.
func s1(name string, f Fault, gap time.Duration, what string) Scenario {
	return Scenario{
		Name: name,
		Doc:  what + ": /" + string(f) + "?on=<backend 1>, 3 × /ok, /" + string(f) + ", 3 × /ok, settle",
		Run: func(ctx context.Context, s *Stage) error {
			steps := []string{
				"/" + string(f) + "?on=" + s.Backends[0].Addr(), "/ok", "/ok", "/ok",
				"/" + string(f), "/ok", "/ok", "/ok",
			}
			for i, p := range steps {
				if i > 0 {
					sleepCtx(ctx, gap)
				}
				s.Client.Get(ctx, name, p)
			}
			return s.settle(ctx)
		},
	}
}

func (s *Stage) alternate(ctx context.Context, scenario, path string, n int) {
	for i := 0; i < n && ctx.Err() == nil; i++ {
		s.Client.Get(ctx, scenario, path)
		sleepCtx(ctx, 50*time.Millisecond)
		s.Client.Get(ctx, scenario, "/ok")
		sleepCtx(ctx, 50*time.Millisecond)
	}
}

// settle waits until every backend is up again (a crashed one restarts by
// itself) and the proxy has forgotten the failures.
func (s *Stage) settle(ctx context.Context) error {
	deadline := time.Now().Add(15 * time.Second)
	for _, b := range s.Backends {
		for !b.Up() {
			if time.Now().After(deadline) {
				return fmt.Errorf("settle: backend %s still down", b.Addr())
			}
			sleepCtx(ctx, 50*time.Millisecond)
		}
		if err := WaitListening(ctx, b.Addr(), time.Until(deadline)); err != nil {
			return fmt.Errorf("settle: %w", err)
		}
	}
	sleepCtx(ctx, s.Settle)
	return ctx.Err()
}

// mixStep is one entry of the mixed incident plan.
type mixStep struct {
	path    string
	kill    int // backend index to kill, -1 for none
	restart int // backend index to restart, -1 for none
}

// mixedPlan returns the seeded plan of the mixed incident: n requests of
// background traffic (/ok, /unavailable, /error, /limited when the proxy
// rate-limits) with transport-fault events (every kind, in seeded order) at
// seeded positions, and one backend kill with its restart 15 steps later.
// A third of the events hit any backend; they are followed by at least 35
// steps without an event, because nginx and Caddy then mark both backends
// down for 5 s and every request in that window is "no live upstreams". The
// other events are limited to one backend with ?on= and 10 to 16 steps apart.
func mixedPlan(seed int64, n int, backends []string, rateLimited bool) []mixStep {
	rng := rand.New(rand.NewSource(seed))
	background := []Fault{FaultOK, FaultOK, FaultOK, FaultOK, FaultOK, FaultOK, FaultOK, FaultUnavailable, FaultError}
	if rateLimited {
		background = append(background, FaultLimited)
	} else {
		background = append(background, FaultOK)
	}
	kinds := []Fault{FaultSlow, FaultHangup, FaultReset, FaultBadHeader, FaultBigHeader, FaultCrash}
	var order []Fault
	killAt, restartAt, killed := 60+rng.Intn(80), -1, 0
	nextEvent := 5 + rng.Intn(5)
	var plan []mixStep
	for i := 0; i < n; i++ {
		switch i {
		case killAt:
			killed = rng.Intn(len(backends))
			restartAt = i + 15
			plan = append(plan, mixStep{kill: killed, restart: -1})
		case restartAt:
			plan = append(plan, mixStep{kill: -1, restart: killed})
		}
		f := background[rng.Intn(len(background))]
		path := "/" + string(f)
		if i == nextEvent {
			if len(order) == 0 {
				order = append(order, kinds...)
				rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
			}
			f, order = order[0], order[1:]
			path = "/" + string(f)
			if rng.Intn(3) == 0 {
				nextEvent = i + 35 + rng.Intn(6)
			} else {
				path += "?on=" + backends[rng.Intn(len(backends))]
				nextEvent = i + 10 + rng.Intn(7)
			}
		}
		plan = append(plan, mixStep{path: path, kill: -1, restart: -1})
	}
	if restartAt >= n {
		plan = append(plan, mixStep{kill: -1, restart: killed})
	}
	return plan
}

func (s *Stage) mixed(ctx context.Context) error {
	addrs := make([]string, len(s.Backends))
	for i, b := range s.Backends {
		addrs[i] = b.Addr()
	}
	plan := mixedPlan(s.Seed, 200, addrs, s.RateLimited)
	const workers = 2
	var (
		mu   sync.Mutex
		next int
		errs []error
		wg   sync.WaitGroup
	)
	// The whole incident is bounded in time as well as in requests.
	ctx, cancel := context.WithTimeout(ctx, 75*time.Second)
	defer cancel()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				mu.Lock()
				if next >= len(plan) {
					mu.Unlock()
					return
				}
				st := plan[next]
				next++
				mu.Unlock()
				var err error
				switch {
				case st.kill >= 0:
					s.logf("mixed: kill backend %s", s.Backends[st.kill].Addr())
					err = s.Backends[st.kill].Kill()
				case st.restart >= 0:
					s.logf("mixed: restart backend %s", s.Backends[st.restart].Addr())
					err = s.Backends[st.restart].Restart()
				default:
					s.Client.Get(ctx, "mixed", st.path)
					sleepCtx(ctx, 400*time.Millisecond)
				}
				if err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	for _, b := range s.Backends {
		if !b.Up() {
			_ = b.Restart()
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("mixed: %w", errs[0])
	}
	return nil
}
