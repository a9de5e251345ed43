package tui

import "strings"

// The commands and settings that hints, advice and input states name
// (classify/hint.go, classify/proxywords.go, classify/advice.go,
// cmd/fivexx), each as a pattern of words: "*" is any one word (a word
// that opens a quote runs to the word that closes it: --cmd 'kubectl logs
// -f deploy/api'), "FILE…" one or more words that look like files or
// arguments (with a ".", "/" or "=", or "-"), and a word that ends in ";"
// one that ends in it after its word (an nginx directive runs to its ";":
// "access_log /var/log/nginx/access.log upstreaminfo;"; "access_log;"
// alone is prose). The prose wrapper keeps a
// command on one line when it fits (proseWords): copied from the screen,
// "setsebool -P" / "httpd_can_network_connect 1" was a broken command
// (QA s28). The texts stay as they are: a report's hint, text or JSON, is
// the same words. A command of one word needs no pattern. A new text
// that names a command of more words adds it here; TestHintCommandsStayWhole
// finds the ones it misses among the hints.
var commandPatterns = splitPatterns([]string{
	// Hints.
	"ss -ltnp",
	"ss -lxp",
	"kubectl get pods",
	"kubectl get endpointslices",
	"kubectl describe pod",
	"kubectl logs -f *",
	"ls -l *",
	"getsebool httpd_can_network_connect",
	"setsebool -P httpd_can_network_connect 1",
	"ausearch -m avc",
	"aws lambda get-policy",
	"aws elbv2 describe-target-health",
	"log default { level DEBUG }",
	"log_append upstream *",
	"transport http max_response_header",
	"http-request *",
	"/aws/lambda/<function name>",
	"timeout queue",
	"return 503",
	// Advice and input states.
	"journalctl -u caddy > caddy.log",
	"journalctl -f",
	"--app *",
	"--cmd *",
	"--proxy *",
	"--proxy-errors *",
	"--format *",
	"--log-format *",
	"fivexx explain formats",
	"fivexx report -",
	"fivexx replay FILE…",
	"fivexx FILE…",
	"gzip -t *",
	"iconv -f * -t UTF-8 * | fivexx report -",
	"zstd -dc * | fivexx report -",
	"bzip2 -dc * | fivexx report -",
	"xz -dc * | fivexx report -",
	"gzip -k",
	"cp *",
	"nginx -T | grep log_format",
	"--app-skew *",
	"--app-request-id *",
	"fivexx replay",
	"fivexx report",
	// Config directives the advice names, to be pasted: nginx's up to
	// their ";" (split, "proxy_set_header X-Request-ID" / "$request_id;"
	// and "access_log /var/log/nginx/access.log" / "upstreaminfo;" were
	// copied broken, QA s28), HAProxy's and Caddy's lines.
	"log_format * *;",
	"access_log * *;",
	"access_log *;",
	"error_log * *;",
	"error_log *;",
	"proxy_set_header * *;",
	"option httplog clf",
	"option httplog",
	"unique-id-header *",
	"unique-id-format *",
	"capture request header * len *",
	"http-request capture * len *",
	"http-request set-header * *",
})

func splitPatterns(ps []string) [][]string {
	out := make([][]string, len(ps))
	for i, p := range ps {
		out[i] = strings.Split(p, " ")
	}
	return out
}

// commandLen is how many of words, from the first, make a command of
// commandPatterns (the longest that matches), 0 when they start none.
func commandLen(words []string) int {
	best := 0
	for _, p := range commandPatterns {
		best = max(best, matchCommand(p, words))
	}
	return best
}

// matchCommand is how many of words, from the first, match pattern p, 0
// when they do not. The first word may start with "(", "`" or a quote,
// the last end with punctuation (")", ",", ";", "?", ":", "."); such an
// end on a word inside the pattern ends the text's command before the
// pattern's, and does not match.
func matchCommand(p, words []string) int {
	n := 0
	for k, tok := range p {
		if n >= len(words) {
			return 0
		}
		tok, semicolon := strings.CutSuffix(tok, ";")
		word := words[n]
		if k == 0 {
			word = strings.TrimLeft(word, "(`\"'")
		}
		if tok == "*" && strings.HasPrefix(word, "'") {
			end := quoteEnd(words[n:])
			if end == 0 {
				return 0
			}
			n += end - 1
			word = strings.ReplaceAll(words[n], "'", "") // the closing quote is part of the word
		}
		core := trimEnd(word)
		if semicolon && !strings.Contains(word[len(core):], ";") {
			return 0
		}
		switch tok {
		case "*":
			if core == "" {
				return 0
			}
		case "FILE…":
			// One or more: the first here, the others after.
			if !fileLike(core) {
				return 0
			}
			for core == word && n+1 < len(words) {
				word = words[n+1]
				core = trimEnd(word)
				if !fileLike(core) {
					break
				}
				n++
			}
			return n + 1
		default:
			if core != tok {
				return 0
			}
		}
		n++
		if core != word && k < len(p)-1 {
			return 0
		}
	}
	return n
}

// trimEnd is word without the punctuation prose puts after it.
func trimEnd(word string) string {
	return strings.TrimRight(word, "),;?:.`\"")
}

// quoteEnd is how many of words, from the first (which opens a quote with
// "'"), run to the word that closes it, 0 when none does.
func quoteEnd(words []string) int {
	if w := strings.TrimLeft(words[0], "'"); strings.Contains(strings.TrimRight(w, "),;?:."), "'") {
		return 1
	}
	for i := 1; i < len(words); i++ {
		if strings.Contains(words[i], "'") {
			return i + 1
		}
	}
	return 0
}

// fileLike reports whether a word reads as a file or an argument of an
// example command: "access.log", "/var/log/app.log", "api=FILE", "-".
func fileLike(w string) bool {
	return w == "-" || strings.ContainsAny(w, "./=")
}

// tickedLen is how many of words, from the first, make a part in
// backticks ("`log { output file … }`"), 0 when the first opens none or
// nothing closes it.
func tickedLen(words []string) int {
	if len(words) == 0 || strings.Count(words[0], "`")%2 == 0 {
		return 0
	}
	for i := 1; i < len(words); i++ {
		if strings.Count(words[i], "`")%2 == 1 {
			return i + 1
		}
	}
	return 0
}
