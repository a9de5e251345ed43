package biglog

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestReviseChangesOnlyVersionsInUse(t *testing.T) {
	tests := []struct {
		name, agent string
		want        *regexp.Regexp // what every version of it must look like
	}{
		{"firefox: rv and Firefox agree", agents[browser][2],
			regexp.MustCompile(`^Mozilla/5\.0 \(X11; Linux x86_64; rv:(1[1-3]\d)\.\d\) Gecko/20100101 Firefox/(1[1-3]\d)\.\d$`)},
		{"iOS keeps its underscore", agents[browser][3],
			regexp.MustCompile(`^Mozilla/5\.0 \(iPhone; CPU iPhone OS 1[5-8]_\d like Mac OS X\) AppleWebKit/605\.1\.15 \(KHTML, like Gecko\) Version/1[5-8]\.\d Mobile/15E148 Safari/604\.1$`)},
		{"webview keeps Version/4.0", agents[browser][6],
			regexp.MustCompile(`^Mozilla/5\.0 \(Linux; Android 1[0-4]; SM-A536B Build/TP1A\.220624\.014; wv\) AppleWebKit/537\.36 \(KHTML, like Gecko\) Version/4\.0 Chrome/1[0-3]\d\.0\.\d{4}\.\d{3} Mobile Safari/537\.36 \[FB_IAB/FB4A;FBAV/4[0-6]\d\.0\.0\.\d{2}\.\d{3};\]$`)},
		{"reduced Chrome agent keeps its zeros", agents[browser][0],
			regexp.MustCompile(`^Mozilla/5\.0 \(Windows NT 10\.0; Win64; x64\) AppleWebKit/537\.36 \(KHTML, like Gecko\) Chrome/1[0-3]\d\.0\.0\.0 Safari/537\.36$`)},
		{"no versioned token: unchanged", agents[service][0], regexp.MustCompile(`^Go-http-client/1\.1$`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, 2))
			seen := map[string]bool{}
			for range 200 {
				v := revise(r, tt.agent)
				m := tt.want.FindStringSubmatch(v)
				if m == nil {
					t.Fatalf("revise(%q) = %q, want it to match %s", tt.agent, v, tt.want)
				}
				if len(m) == 3 && m[1] != m[2] {
					t.Fatalf("revise(%q) = %q: versions %s and %s differ", tt.agent, v, m[1], m[2])
				}
				seen[v] = true
			}
			// Firefox's has the fewest: its 19 majors, the minor a zero.
			if tt.agent != agents[service][0] && len(seen) < 19 {
				t.Errorf("200 versions of %q hold %d distinct agents, want at least 19", tt.agent, len(seen))
			}
			if tt.agent == agents[service][0] && len(seen) != 1 {
				t.Errorf("200 versions of %q hold %d distinct agents, want 1", tt.agent, len(seen))
			}
		})
	}
}

// TestClientsAreManyAsOnABusySite: 20,000 requests come from thousands of
// addresses and hundreds of agents, not from the 762 documentation
// addresses and 23 agents of before.
func TestClientsAreManyAsOnABusySite(t *testing.T) {
	dir, _ := generate(t, Config{Lines: 20_000, Seed: 1})
	b, err := os.ReadFile(filepath.Join(dir, AccessFile))
	if err != nil {
		t.Fatal(err)
	}
	addrs, uas := map[string]bool{}, map[string]bool{}
	for _, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		addr, _, _ := strings.Cut(line, " ")
		addrs[addr] = true
		if f := strings.Split(line, `"`); len(f) > 5 { // request, referer, agent
			uas[f[5]] = true
		}
	}
	if len(addrs) < 5_000 || len(uas) < 200 {
		t.Errorf("20,000 requests from %d addresses and %d agents, want at least 5,000 and 200", len(addrs), len(uas))
	}
}
