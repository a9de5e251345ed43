package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"fivexx/classify"
)

func cmdExplain(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		for _, g := range append(classify.ExplainCodes(), classify.CloudflareCodes()...) {
			fmt.Fprintf(stdout, "%d %s\n%s\n\n", g.Code, g.Title, g.Text)
		}
		fmt.Fprint(stdout, explainCauses())
		fmt.Fprint(stdout, "\n"+formatsText()+"\n"+detectionText)
		return 0
	}
	// "explain 502 --help" said explain knows 500, …, not "502 --help".
	if askedForHelp(args) {
		writeCommandHelp(stdout, nil, "explain")
		return 0
	}
	if args[0] == "formats" && len(args) == 1 {
		fmt.Fprint(stdout, formatsText()+"\n"+detectionText)
		return 0
	}
	code, err := strconv.Atoi(args[0])
	g, ok := classify.ExplainCode(code)
	if err != nil || !ok || len(args) > 1 {
		fmt.Fprintf(stderr, "fivexx: error: explain knows %s, not %q\n", explainTopics(), strings.Join(args, " "))
		return 2
	}
	fmt.Fprintf(stdout, "%d %s\n%s\n", g.Code, g.Title, g.Text)
	return 0
}

// explainTopics names what explain knows: the codes it has a guide for,
// and formats.
func explainTopics() string {
	var codes []string
	for _, g := range classify.ExplainCodes() {
		codes = append(codes, strconv.Itoa(g.Code))
	}
	var cf []string
	for _, g := range classify.CloudflareCodes() {
		cf = append(cf, strconv.Itoa(g.Code))
	}
	return strings.Join(codes, ", ") + ", Cloudflare's " + strings.Join(cf, ", ") + " and formats"
}

func explainCauses() string {
	s := "Causes fivexx reports:\n"
	for _, c := range classify.AllCauses {
		s += fmt.Sprintf("  %-22s %s\n", c, c.Summary())
	}
	return s
}

// detectionText says how an input's format is found (sources/detect.go,
// sources/startup.go and the decoder, sources/decode.go).
const detectionText = `How the format is found:
  - From the input's first lines: up to 256 when the first 12 do not settle
    it, and up to 12 more when the first request line is among the last.
  - A proxy's own start-up lines before its first request are left out
    (Caddy's default logger, istio-agent and Envoy before Envoy's access
    lines, Traefik's stdout, the ingress-nginx banner and klog lines, the
    official nginx image's entrypoint lines and nginx's notices as it
    starts, HAProxy's stderr lines): the proxy wins on the lines from the
    first request on, with 3 request lines or more, 2 when nothing follows
    them and they are all request lines, or 1 when the lines before it are
    start-up lines only that proxy writes; and request lines are a quarter
    of those lines at least. An app log with a stray request-like line
    stays an app log.
  - Start-up lines only a proxy writes never make an app log: live, they
    wait for the proxy's requests however long it stays quiet; when the
    input ends first (or 1024 lines or 256 KiB are held), they decide that
    proxy's format (nginx's notices alone: its error log). Those its format
    does not read are counted as start-up lines skipped, not as unparsed;
    the nginx image's entrypoint lines wherever they come (a restarted
    container prints them again).
  - nginx's stream as a container gives it (docker logs, kubectl logs)
    carries its access and its error lines: the access lines decide the
    format, even when a failed request's error line comes first, and the
    error lines are read as the nginx error log's, at the offset of the
    access lines (they have no zone). An nginx error log stays an error log.
  - One request-like line is not enough while more lines may follow: it
    waits for them, until the input ends (report) or stays quiet for a
    second (live); the lines after it then decide with it.
  - Container runtime wrappers are stripped first, when most lines carry
    one: CRI lines (TIME stdout F LINE, P pieces joined) and Docker
    json-file ({"log":...}).
  - Live: held lines are decided once the input is quiet a moment (0.3 s,
    or 1 s in all); a file whose head holds only start-up lines or one
    request line is decided on the lines to come. An app format decided on
    too few lines is watched up to its 256th line and turns into the
    proxy's when 2 request lines or more follow (a quarter of the lines
    from the first at least). When nothing fits, the lines count as
    unparsed and detection tries again on later lines, and again from the
    start on a rotated file.
  - A format given or found before its first line is read still reads the
    first lines ahead, as a detected one does: HAProxy's year-less stamps
    take the year of its first request line, the error lines in nginx's and
    ingress-nginx's streams the offset of their access lines.
  - ingress-nginx's stream may carry nginx's error lines: they are read as the
    nginx error log's.
`
