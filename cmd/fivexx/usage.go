package main

import (
	"fmt"
	"io"
)

const usageText = `fivexx — these 5xx: did the proxy make them, or the app, and why?

Usage:
  fivexx [flags] INPUT...                 live UI: follow proxy and app logs
  fivexx report [--json|--events] INPUT...  read inputs to their end and summarise
  fivexx replay [--speed N|max] [--from TIME] [--to TIME] INPUT...
  fivexx demo [--scenario NAME] [--seed N] [--speed N] [--train] [--list]
  fivexx demo --write DIR --duration 60s
  fivexx explain CODE                     field guide for 500, 502, 503, 504, 429
  fivexx explain formats                  the formats fivexx reads and how it detects them

Inputs: files (plain or .gz), - for standard input. Role (proxy access log, proxy
error log, app log) and format are detected from the first lines; force them with:
  --proxy FILE          a proxy access log
  --proxy-errors FILE   a proxy error log
  --app [NAME=]FILE     an app log (NAME labels the service); all FILE when it names
                        a file, or when the part before = has a / or starts with . or ~
  --cmd 'COMMAND'       read a command's output (kubectl logs -f ..., journalctl -f ...)
  --format NAME         parse inputs of that format's role with NAME
  --log-format 'FMT'    an nginx log_format string ('escape=json ...' allowed)
  --nginx-conf PATH     read log_format/access_log from an nginx config
                        (default /etc/nginx/nginx.conf when it exists)
With no input, fivexx looks in the standard places (/var/log/nginx/...).
`

func usage(w io.Writer) { fmt.Fprint(w, usageText) }
