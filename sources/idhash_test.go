package sources

import (
	"fmt"
	"strings"
	"testing"
)

func TestNormalizeRequestID(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"cloudflare Cf-Ray with its colo", "84a1b2c3d4e5f618-FRA", "84a1b2c3d4e5f618"},
		{"cloudflare Cf-Ray from formats.md", "9f3f1ba9adf39082-ARN", "9f3f1ba9adf39082"},
		{"cloudflare RayID as Logpush writes it", "84a1b2c3d4e5f618", "84a1b2c3d4e5f618"},
		{"alb Root", "Root=1-65937a41-0123456789abcdef01234503", "1-65937a41-0123456789abcdef01234503"},
		{"alb Root with Parent and Sampled", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1", "1-5759e988-bd862e3fe1be46a994272793"},
		{"alb Self before Root", "Self=1-67891234-12456789abcdef012345678;Root=1-67891233-abcdef012345678912345678", "1-67891233-abcdef012345678912345678"},
		{"nginx $request_id", "4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d", "4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d"},
		{"uuid", "44898dba-8d8e-48f4-93f7-23e4b4c59201", "44898dba-8d8e-48f4-93f7-23e4b4c59201"},
		{"20 bytes, not a ray", "84a1b2c3d4e5f618-fra", "84a1b2c3d4e5f618-fra"},
		{"Self alone", "Self=1-67891234-12456789abcdef012345678", "Self=1-67891234-12456789abcdef012345678"},
		{"a word", "Request-7", "Request-7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeRequestID(tt.in); got != tt.want {
				t.Fatalf("NormalizeRequestID(%q) = %q, want %q", tt.in, got, tt.want)
			}
			app := &AppEntry{RequestID: tt.in}
			proxy := &ProxyEntry{RequestID: tt.want}
			if app.IDKey() != proxy.IDKey() || app.RequestID != proxy.RequestID {
				t.Fatalf("app id %q and proxy id %q do not join", app.RequestID, proxy.RequestID)
			}
		})
	}
}

func FuzzNormalizeRequestID(f *testing.F) {
	for _, s := range []string{"84a1b2c3d4e5f618-FRA", "Root=1-65937a41-0123456789abcdef01234503;Parent=1", "Self=;Root=", "S", "R=;;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Only ever a part of the id, never nothing.
		got := NormalizeRequestID(s)
		if !strings.Contains(s, got) || (s != "" && got == "") {
			t.Fatalf("NormalizeRequestID(%q) = %q", s, got)
		}
		// IDKey normalizes only the ids foreignID lets through.
		if got != s && !foreignID(s) {
			t.Fatalf("NormalizeRequestID(%q) = %q, but foreignID says it is neither shape", s, got)
		}
	})
}

// stringHash reads every byte of a string of any length: changing any one
// byte, or the length, changes the hash; equal strings hash alike wherever
// they lie.
func TestStringHashEveryByte(t *testing.T) {
	seed := newHashSeed()
	seen := map[uint64]string{}
	for n := 0; n <= 80; n++ {
		s := []byte(strings.Repeat("a", n))
		h := stringHash(string(s), &seed)
		if other, ok := seen[h]; ok {
			t.Fatalf("%q and %q hash alike", s, other)
		}
		seen[h] = string(s)
		if again := stringHash(strings.Clone(string(s)), &seed); again != h {
			t.Fatalf("a copy of %q hashes to %x, not %x", s, again, h)
		}
		for i := range s {
			s[i] = 'b'
			if stringHash(string(s), &seed) == h {
				t.Fatalf("length %d: byte %d changed, same hash", n, i)
			}
			s[i] = 'a'
		}
	}
}

// Request ids of the usual shapes spread over the whole 64 bits: no two of
// 200,000 collide, and the low byte (the name cache's slot) is used evenly.
func TestIDHashSpreads(t *testing.T) {
	seen := make(map[uint64]string, 200000)
	var low [256]int
	for i := 0; i < 200000; i++ {
		var id string
		switch i % 3 {
		case 0:
			id = fmt.Sprintf("%032x", i*7919) // nginx $request_id
		case 1:
			id = fmt.Sprintf("44898dba-8d8e-48f4-93f7-%012x", i) // a uuid
		default:
			id = fmt.Sprintf("req-%d", i)
		}
		h := IDHash(id)
		if other, ok := seen[h]; ok {
			t.Fatalf("%q and %q collide", id, other)
		}
		seen[h] = id
		low[h%256]++
	}
	for b, n := range low {
		if n < 200000/256/2 || n > 200000/256*2 {
			t.Fatalf("low byte %d taken %d times of 200000", b, n)
		}
	}
}
