#!/usr/bin/env python3
"""The backend of the nginx-startapp recording (run.sh): it writes one access line per
request in Apache's combined format with %t, the time the request was
received (its start), followed by the X-Request-ID nginx forwards, as
  LogFormat "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" \"%{X-Request-ID}i\""
The line is written when the request ends (as Apache does), so a slow
request's line comes after quicker ones that started later.

With a third argument "rid" (run.sh's APP_ID=rid) the id is written as a
trailing key=value field instead, as a gunicorn or Apache access log
configured for it does (the nginx-startapp-rid recording):
  LogFormat "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" rid=%{X-Request-ID}i"

Paths (query: n=SEQ, s=seconds to work, bounded to 45):
  /ok         200 at once
  /err        500 at once
  /slow?s=S&st=CODE   works S seconds, then answers CODE (500, 502, 504)
  /hang?s=S   works S seconds (past nginx's proxy_read_timeout), then 200
  /drop?s=S   works S seconds, then closes the connection without a byte
"""
import os, sys, time, threading
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
from urllib.parse import urlsplit, parse_qs

LOG = open(sys.argv[2], "a", buffering=1)
LOCK = threading.Lock()
ID_STYLE = sys.argv[3] if len(sys.argv) > 3 else "quoted"

def clf_time(t):
    return time.strftime("[%d/%b/%Y:%H:%M:%S +0000]", time.gmtime(t))

def write(line):
    with LOCK:
        LOG.write(line + "\n")

class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    def log_message(self, *a):  # the access line is ours
        pass
    def handle_one_request(self):
        self.started = time.time()
        super().handle_one_request()
    def access(self, status, size):
        rid = self.headers.get("X-Request-ID", "-")
        tail = ('rid=%s' if ID_STYLE == "rid" else '"%s"') % rid
        write('%s - - %s "%s" %d %s "-" "%s" %s' % (
            self.client_address[0], clf_time(self.started), self.requestline, status,
            size if size else "-", self.headers.get("User-Agent", "-"), tail))
    def answer(self, status, body=b"ok\n"):
        try:
            self.send_response_only(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass
        self.access(status, len(body))
    def do_GET(self):
        u = urlsplit(self.path)
        q = parse_qs(u.query)
        secs = min(float(q.get("s", ["0"])[0]), 45.0)
        if u.path == "/ok":
            self.answer(200)
        elif u.path == "/err":
            self.answer(500, b"error\n")
        elif u.path == "/slow":
            time.sleep(secs)
            self.answer(int(q.get("st", ["500"])[0]), b"slow failure\n")
        elif u.path == "/hang":
            time.sleep(secs)
            self.answer(200)
        elif u.path == "/drop":
            time.sleep(secs)
            self.close_connection = True
            try:
                self.connection.shutdown(2)
            except OSError:
                pass
        else:
            self.answer(404, b"no\n")

ThreadingHTTPServer.daemon_threads = True
srv = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H)
srv.serve_forever()
