package demo

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// This file writes lines byte for byte as nginx and the app write them.

const (
	accessTime = "02/Jan/2006:15:04:05 -0700" // $time_local
	errorTime  = "2006/01/02 15:04:05"        // error log: local time, no zone
	appTime    = "2006-01-02T15:04:05.000000Z07:00"
)

// appendSeconds appends d as nginx prints $request_time and the upstream
// times: seconds with milliseconds, truncated; a negative d is "-".
func appendSeconds(b []byte, d time.Duration) []byte {
	if d < 0 {
		return append(b, '-')
	}
	ms := d.Milliseconds()
	b = strconv.AppendInt(b, ms/1000, 10)
	f := ms % 1000
	return append(b, '.', byte('0'+f/100), byte('0'+f/10%10), byte('0'+f%10))
}

// appendHex appends the 32 hex digits of a $request_id.
func appendHex(b []byte, hi, lo uint64) []byte {
	const digits = "0123456789abcdef"
	for _, v := range [2]uint64{hi, lo} {
		for shift := 60; shift >= 0; shift -= 4 {
			b = append(b, digits[v>>uint(shift)&0xf])
		}
	}
	return b
}

// appendJSONString appends s as a JSON string.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
			i++
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			i++
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, s[i:i+n]...)
			}
			i += n
		}
	}
	return append(b, '"')
}

// appendList appends one value per attempt, joined by ", " as nginx joins
// the upstream variables of retried requests.
func appendList[T any](b []byte, items []T, each func([]byte, T) []byte) []byte {
	for i, it := range items {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = each(b, it)
	}
	return b
}
