package biglog

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// agentCatalogue holds the User-Agent headers clients send, as nginx 1.22.1
// writes $http_user_agent with escape=default (", \, controls and bytes >=
// 0x80 become \xHH; checked against the installed nginx): by kind, then by
// base agent, its versions. An agent of "-" stands for no header.
type agentCatalogue [numKinds][][]string

// versionsPerAgent is how many versions of each browser and app agent are
// about besides the base one. Real logs carry thousands of distinct agents
// because browsers and apps update at their own pace; a catalogue of one
// string each would make every tool that keys on the agent look faster
// than it is on a real log.
var versionsPerAgent = [numKinds]int{browser: 250, mobileApp: 40}

func newAgentCatalogue(r *rand.Rand) (c agentCatalogue) {
	for k, list := range agents {
		for _, a := range list {
			versions := []string{string(nginxEscape(nil, a))}
			for range versionsPerAgent[k] {
				versions = append(versions, string(nginxEscape(nil, revise(r, a))))
			}
			c[k] = append(c[k], versions)
		}
	}
	return c
}

// pick returns an agent of kind k: any base agent alike, and of its
// versions the first (the current ones) far more often than the rest.
func (c *agentCatalogue) pick(r *rand.Rand, k clientKind) string {
	versions := pick(r, c[k])
	u := r.Float64()
	return versions[int(u*u*u*float64(len(versions)))]
}

// versionTokens are the product tokens whose version differs between
// versions of an agent, with the range of major versions in use. A version
// whose major lies outside it is left alone (an Android WebView's
// "Version/4.0" is not Safari's).
var versionTokens = []struct {
	token  string
	lo, hi int
}{
	{"Chrome/", 109, 131}, {"Edg/", 109, 131}, {"Firefox/", 115, 133}, {"rv:", 115, 133},
	{"Version/", 15, 18}, {"iPhone OS ", 15, 18}, {"iOS ", 15, 18}, {"Android ", 10, 14},
	{"ShopApp/", 4, 4}, {"FBAV/", 400, 460},
}

// revise returns agent a with each versioned token's version changed: the
// major picked once for the whole agent (so "rv:" and "Firefox/" agree),
// other non-zero parts redrawn with as many digits, zeros kept (Chrome's
// reduced agent reads 120.0.0.0).
func revise(r *rand.Rand, a string) string {
	shift := r.IntN(1 << 20)
	var b strings.Builder
	for i := 0; i < len(a); {
		lo, hi, n := versionTokenAt(a, i)
		if n == 0 {
			b.WriteByte(a[i])
			i++
			continue
		}
		b.WriteString(a[i : i+n])
		i += n
		end := versionEnd(a, i)
		reviseVersion(&b, r, a[i:end], lo, hi, lo+shift%(hi-lo+1))
		i = end
	}
	return b.String()
}

func versionTokenAt(a string, i int) (lo, hi, n int) {
	for _, t := range versionTokens {
		if strings.HasPrefix(a[i:], t.token) {
			return t.lo, t.hi, len(t.token)
		}
	}
	return 0, 0, 0
}

// versionEnd returns where the version starting at i ends: digits, and '.'
// or '_' between digits.
func versionEnd(a string, i int) int {
	j := i
	for j < len(a) {
		switch {
		case isDigit(a[j]):
			j++
		case (a[j] == '.' || a[j] == '_') && j > i && j+1 < len(a) && isDigit(a[j+1]):
			j++
		default:
			return j
		}
	}
	return j
}

func reviseVersion(b *strings.Builder, r *rand.Rand, v string, lo, hi, major int) {
	parts := strings.FieldsFunc(v, func(c rune) bool { return c == '.' || c == '_' })
	if len(parts) == 0 || atoi(parts[0]) < lo || atoi(parts[0]) > hi {
		b.WriteString(v)
		return
	}
	sep := "."
	if strings.Contains(v, "_") {
		sep = "_"
	}
	b.WriteString(strconv.Itoa(major))
	for _, p := range parts[1:] {
		b.WriteString(sep)
		switch {
		case p == "0":
			b.WriteByte('0')
		case len(p) == 1:
			b.WriteString(strconv.Itoa(r.IntN(10)))
		default:
			floor := 1
			for range len(p) - 1 {
				floor *= 10
			}
			b.WriteString(strconv.Itoa(floor + r.IntN(9*floor)))
		}
	}
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
