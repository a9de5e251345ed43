//go:build !linux

package main

import (
	"context"
	"errors"
	"time"
)

// measurement is one timed run of a child process.
type measurement struct {
	wall   time.Duration
	cpu    time.Duration
	rssKiB int64
	stdout []byte
}

var errLinuxOnly = errors.New("benchcmp measures peak RSS with Linux's ru_maxrss: run it on Linux")

func measure(context.Context, []string, []string, string, time.Duration) (measurement, error) {
	return measurement{}, errLinuxOnly
}

func freeBytes(string) (int64, error) { return 0, errLinuxOnly }

func loadAverage() string { return "" }
