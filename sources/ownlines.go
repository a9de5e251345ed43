package sources

import "strings"

// A proxy writes its own lines among its requests, not only before the
// first: istio-agent's xds reconnects and Envoy's config warnings in an
// istio-proxy stream, Traefik's "Configuration loaded" on a reload. Read
// after the first request they were counted as unparsed, with a note on
// stderr, though they are as much the proxy's as its startup lines (QA
// s31 F12: "2 unparsed" for an istio-agent warning and info line). The
// rules are:
//   - In an input of Envoy's formats (envoy, envoy-json) or Traefik's
//     (traefik, traefik-json), a line its parser fails that has that
//     proxy's own text layout (ownLine: istio-agent's tab-separated lines,
//     Envoy's bracketed ones; Traefik's logrus text and zerolog console
//     lines), inside its container wrapper if it has one, counts as a
//     startup line, as the nginx image's entrypoint lines do wherever
//     they come (Input.count).
//   - The layout is enough, as for the entrypoint's lines: the input's
//     format already says whose stream it is. JSON lines are left out: a
//     JSON access line the parser fails has the keys of the proxy's own
//     JSON lines (Traefik's "level", "msg", "time"), and stays unparsed.
//   - Only a line the parser fails is looked at: nothing is added to the
//     per-line path of a line read. Traefik's own lines that give a 5xx's
//     cause are read by its parsers (traefik/own.go).

// ownAmongRequests is the proxy whose own lines come among the requests
// of format name's inputs: famNone for formats of other proxies.
func ownAmongRequests(name string) proxyFamily {
	for _, fam := range [...]proxyFamily{famEnvoy, famTraefik} {
		if familyReads(fam, name) {
			return fam
		}
	}
	return famNone
}

// ownLineInner says whether line, inside its container wrapper if it has
// one, is one of proxy fam's own lines in its text layout (ownLine).
func ownLineInner(fam proxyFamily, line string) bool {
	_, inner, _ := unwrapLine(line)
	got, _, alt := ownLine(strings.TrimSpace(inner))
	return got == fam && !alt
}
