# fivexx — make test installs what the tests need (Debian packages, as root)
# and runs vet, the race-enabled test suite and short fuzz runs.
SHELL := /bin/bash
DEBS  := nginx haproxy caddy tmux pigz
GO    ?= go
FUZZTIME ?= 3s

.PHONY: test deps build vet fuzz bench bench-live record pgo

build:
	$(GO) build -o bin/fivexx ./cmd/fivexx

deps:
	@missing=""; for p in $(DEBS); do command -v $$p >/dev/null 2>&1 || [ -x /usr/sbin/$$p ] || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "make: installing$$missing"; \
		if [ "$$(id -u)" != 0 ]; then echo "fivexx: error: the tests need$$missing; run make test as root or install them"; exit 1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || { echo "fivexx: error: could not install$$missing"; exit 1; }; \
	fi

vet:
	$(GO) vet ./... ./testdata/lab/... ./testdata/biglog/... ./testdata/livebench/...

# FULLSIZE are the tests make test runs again without the race detector:
# the bursts (whose growth and memory are timed or counted only without
# it) and those that judge a smaller input under it (raceEnabled or
# RaceEnabled in their package's race_on_test.go), at full size.
FULLSIZE := Burst|^(TestTemplateMatchesWalker|TestParseAppSlotRestAgrees|TestWindowJoinIsTheFullScan|TestRecycledBatchesGiveTheSameVerdicts|TestTerseVerdictsJudgeAlike|TestFeedRunJudgesAsFeed|TestDecodeMatchesFlate|TestDecodeTruncatedAndCorrupt|TestFailuresComeWithinOnePass|TestCausesMatchTheScenario|TestLinesHaveTheRealLayouts)$$
FULLSIZE_PKGS := ./cmd/fivexx ./classify ./sources/applog ./sources/demo ./sources/inflate

test: deps vet
	$(GO) test -race -count=1 ./... ./testdata/lab/... ./testdata/biglog/... ./testdata/livebench/...
	$(GO) test -count=1 -run '$(FULLSIZE)' $(FULLSIZE_PKGS)
	$(MAKE) --no-print-directory fuzz

# Every parser's fuzz test runs for a short bounded time; crashers land in
# the package's testdata/fuzz/ and then run as regressions in every go test.
fuzz:
	GO=$(GO) FUZZTIME=$(FUZZTIME) bash .ci/fuzz

# make bench: every go benchmark (lines/s and allocations per line), then
# fivexx against GoAccess and lnav (when installed) on a generated log of
# BENCH_LINES access lines plus its error and app logs, and the memory
# check at 10x (six input combinations, each at N and 10x N, BENCH_RUNS
# runs each). Needs about 18 GB of free disk for the two sets and their
# gzipped access logs.
BENCH_LINES ?= 2000000
BENCH_RUNS  ?= 3
# The go benchmarks build with the profile the binary is built with
# (go test uses a default.pgo only for a main package's own tests).
bench: build
	$(GO) test -pgo=$(CURDIR)/cmd/fivexx/default.pgo -run '^$$' -bench . -benchmem ./...
	$(GO) run ./testdata/biglog/cmd/benchcmp -fivexx bin/fivexx -lines $(BENCH_LINES) -runs $(BENCH_RUNS)

# make bench-live: the real binary in tmux, 50,000 appended lines/s for 30 s,
# three runs: its CPU, key latency and line-to-screen latency (issue 8).
bench-live: build
	$(GO) run ./testdata/livebench -bin bin/fivexx -runs 3 -idle 20

# Regenerate the real-proxy recordings in testdata/recordings.
record: deps
	$(GO) run ./testdata/lab/cmd/record -out testdata/recordings

# make pgo: refresh cmd/fivexx/default.pgo, the CPU profile go build and go
# run use for profile-guided optimization, from reports and a replay over a
# generated log set (testdata/pgo/profile.sh).
pgo:
	GO=$(GO) bash testdata/pgo/profile.sh
