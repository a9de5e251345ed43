#!/usr/bin/env python3
"""The client of the nginx-startapp recording (run.sh): background requests (/ok, some /err) at
RATE a second for DURATION seconds, and slow requests started at planned
offsets. Writes truth.jsonl: one line per request with the status the
client got and the cause fivexx should give. Loops are bounded."""
import json, sys, threading, time, http.client, random

addr, truth_path = sys.argv[1], sys.argv[2]
host, port = addr.split(":")
RATE, DURATION = 5.0, 150.0
rng = random.Random(25)
# offset (s), path, expected cause
SLOW = [
    (10, "/slow?s=25&st=500", "app_error"),
    (12, "/slow?s=27&st=500", "app_error"),
    (20, "/hang?s=40", "upstream_timeout"),
    (30, "/slow?s=28&st=502", "app_error"),
    (40, "/drop?s=22", "upstream_reset"),
    (50, "/slow?s=20&st=504", "app_error"),
    (60, "/slow?s=35&st=500", "upstream_timeout"),  # past the 30 s read timeout
    (70, "/slow?s=29&st=500", "app_error"),
    (85, "/hang?s=38", "upstream_timeout"),
    (95, "/slow?s=24&st=502", "app_error"),
    (105, "/drop?s=27", "upstream_reset"),
    (110, "/slow?s=26&st=504", "app_error"),
    (115, "/slow?s=21&st=500", "app_error"),
]
out = open(truth_path, "w")
lock = threading.Lock()
seq = [0]

def get(path, expected_slow=None):
    with lock:
        seq[0] += 1
        n = seq[0]
    sep = "&" if "?" in path else "?"
    full = "%s%sn=%d" % (path, sep, n)
    t0 = time.time()
    status = 0
    try:
        c = http.client.HTTPConnection(host, int(port), timeout=60)
        c.request("GET", full, headers={"User-Agent": "h-startapp-lab/1"})
        r = c.getresponse(); r.read(); status = r.status
        c.close()
    except Exception as e:
        status = 0
    dur = time.time() - t0
    if status < 500:
        cause = ""
    elif expected_slow is not None:
        cause = expected_slow
    else:
        cause = "app_error"  # /err: the app answered 500
    with lock:
        out.write(json.dumps({"n": n, "path": full, "fault": path.split("?")[0].strip("/"), "status": status, "expected_cause": cause,
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t0)) + ("%.6fZ" % (t0 % 1))[1:],
            "duration_ms": round(dur * 1000, 1)}) + "\n")
        out.flush()

start = time.time()
threads = []
for off, path, cause in SLOW:
    th = threading.Timer(off, get, args=(path, cause))
    th.start(); threads.append(th)
i = 0
while i < int(RATE * DURATION):
    target = start + i / RATE
    d = target - time.time()
    if d > 0:
        time.sleep(d)
    r = rng.random()
    path = "/err" if r < 0.03 else "/slow?s=0.3&st=200" if r < 0.10 else "/ok"
    threading.Thread(target=get, args=(path,)).start()
    i += 1
for th in threads:
    th.join()
time.sleep(1)
for th in threading.enumerate():
    if th is not threading.current_thread():
        th.join(timeout=60)
