# fivexx — make test installs what the tests need (Debian packages, as root)
# and runs vet, the race-enabled test suite and short fuzz runs.
SHELL := /bin/bash
DEBS  := nginx haproxy caddy tmux
GO    ?= go
FUZZTIME ?= 3s

.PHONY: test deps build vet fuzz bench record

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
	$(GO) vet ./...

test: deps vet
	$(GO) test -race -count=1 ./... ./testdata/lab/...
	$(GO) test -count=1 -run 'Burst' ./cmd/fivexx
	$(MAKE) --no-print-directory fuzz

# Every parser's fuzz test runs for a short bounded time; crashers land in
# the package's testdata/fuzz/ and then run as regressions in every go test.
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz' || true); do \
			echo "fuzz $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg >/dev/null || { echo "fuzz failed: $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime 1x $$pkg; exit 1; }; \
		done; \
	done

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Regenerate the real-proxy recordings in testdata/recordings.
record: deps
	$(GO) run ./testdata/lab/cmd/record -out testdata/recordings
