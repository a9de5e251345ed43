package lab

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultRequestTimeout bounds one client request: longer than any lab
// proxy's give-up time (nginx: two 1 s read timeouts; Caddy: 1 s of retries).
const DefaultRequestTimeout = 5 * time.Second

// Result is one request the client sent and what it got back.
type Result struct {
	N         int       // sequence number, also in the path as ?n=N
	RequestID string    // the X-Request-ID sent (32 hex)
	Method    string    // always GET
	Path      string    // request target with query, e.g. "/reset?n=12"
	Fault     Fault     // the fault the path asks for
	Scenario  string    // the scenario that sent it
	Status    int       // status received; 0 when the request failed
	Err       string    // transport error text when Status is 0
	Sent      time.Time // when the request was sent
	Duration  time.Duration
}

// Client sends numbered GET requests, each with a unique X-Request-ID and a
// unique ?n=SEQ query, and keeps the results. Safe for concurrent use.
type Client struct {
	base string
	http *http.Client

	mu      sync.Mutex
	seq     int
	results []Result
}

// NewClient returns a client for baseURL (e.g. "http://127.0.0.1:8080").
// timeout bounds each request; 0 means DefaultRequestTimeout.
func NewClient(baseURL string, timeout time.Duration) *Client {
	if timeout <= 0 {
		timeout = DefaultRequestTimeout
	}
	tr := &http.Transport{
		MaxIdleConnsPerHost: 4,
		IdleConnTimeout:     30 * time.Second,
		// The 64 KiB header passed through by a proxy must not trip the client.
		MaxResponseHeaderBytes: 1 << 20,
	}
	return &Client{
		base: strings.TrimSuffix(baseURL, "/"),
		http: &http.Client{Timeout: timeout, Transport: tr},
	}
}

// NewRequestID returns 32 random hex digits, the shape of nginx's $request_id.
func NewRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Get sends GET path (which may carry a query, e.g. "/reset?on=127.0.0.1:9"),
// adding n=SEQ as the first query parameter and a fresh X-Request-ID.
func (c *Client) Get(ctx context.Context, scenario, path string) Result {
	c.mu.Lock()
	c.seq++
	n := c.seq
	c.mu.Unlock()

	p, q, _ := strings.Cut(path, "?")
	target := p + "?n=" + strconv.Itoa(n)
	if q != "" {
		target += "&" + q
	}
	res := Result{
		N: n, RequestID: NewRequestID(), Method: http.MethodGet, Path: target,
		Fault: FaultOf(p), Scenario: scenario, Sent: time.Now(),
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+target, nil)
	if err == nil {
		req.Header.Set("X-Request-ID", res.RequestID)
		req.Header.Set("User-Agent", "fivexx-lab/1")
		var resp *http.Response
		resp, err = c.http.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
			_ = resp.Body.Close()
			res.Status = resp.StatusCode
		}
	}
	if err != nil {
		res.Err = err.Error()
	}
	res.Duration = time.Since(res.Sent)
	c.mu.Lock()
	c.results = append(c.results, res)
	c.mu.Unlock()
	return res
}

// Send sends n requests to path, one after another, gap apart.
func (c *Client) Send(ctx context.Context, scenario, path string, n int, gap time.Duration) []Result {
	out := make([]Result, 0, n)
	for i := 0; i < n && ctx.Err() == nil; i++ {
		if i > 0 {
			sleepCtx(ctx, gap)
		}
		out = append(out, c.Get(ctx, scenario, path))
	}
	return out
}

// Results returns a copy of every result so far, in send order.
func (c *Client) Results() []Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Result(nil), c.results...)
}

// CloseIdle closes idle keep-alive connections to the proxy.
func (c *Client) CloseIdle() { c.http.CloseIdleConnections() }

// String describes the result for progress output.
func (r Result) String() string {
	if r.Status == 0 {
		return fmt.Sprintf("n=%d %s -> error %s", r.N, r.Path, r.Err)
	}
	return fmt.Sprintf("n=%d %s -> %d", r.N, r.Path, r.Status)
}

// sleepCtx sleeps d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
