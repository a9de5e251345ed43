package sources

import "strings"

// Detection scores every sample line with every format, and a JSON
// format's Detect decoded the line to say no: about 30 k instructions for
// an app's 250-byte line, with five formats doing it. A format whose lines
// need a key says no to a line that cannot hold it in about a thousand
// instead, with the same answer (each format keeps its decoding Detect as
// the reference its tests hold the check to).
//
// encoding/json matches keys without regard to case (bytes.EqualFold:
// "TS" is "ts"), after unescaping ("t\u0073"), and folds two non-ASCII
// runes to ASCII letters (ſ to s, the Kelvin sign K to k). A line with a
// backslash or either rune may hold any key (PlainJSON); in the others a
// key is its bytes between quotes.

// JSONKeys are keys to look for in a line at once (In): one pass over the
// line's strings for all of them. Each is ASCII, without '"' or '\\'; at
// most 64.
type JSONKeys []string

// HeldKeys says which of some JSONKeys a line may hold.
type HeldKeys struct {
	keys JSONKeys
	held uint64 // bit i: keys[i]
}

// In returns which of keys line may hold as an object key that
// encoding/json matches to a field tagged with it, if line is valid JSON:
// a key it says is not held cannot be there. (A line that is not valid
// JSON decodes to nothing: every format that looks for keys before it
// decodes says no to it either way.) The strings of a PlainJSON line are
// its bytes between the first quote and the second, the third and the
// fourth, and so on: no quote is escaped.
func (keys JSONKeys) In(line string) HeldKeys {
	all := uint64(1)<<len(keys) - 1
	if !PlainJSON(line) {
		return HeldKeys{keys, all}
	}
	var lens uint64 // bit n: a key n bytes long
	for _, key := range keys {
		lens |= 1 << min(len(key), 63)
	}
	var held uint64
	for i := 0; held != all; {
		open := strings.IndexByte(line[i:], '"')
		if open < 0 {
			break
		}
		start := i + open + 1
		n := strings.IndexByte(line[start:], '"')
		if n < 0 {
			break
		}
		i = start + n + 1
		if lens&(1<<min(n, 63)) == 0 {
			continue // no key is this long
		}
		for k, key := range keys {
			if len(key) == n && strings.EqualFold(line[start:start+n], key) {
				held |= 1 << k
			}
		}
	}
	return HeldKeys{keys, held}
}

// Has says whether the line may hold key, one of the keys looked for.
func (h HeldKeys) Has(key string) bool {
	for k, looked := range h.keys {
		if looked == key {
			return h.held&(1<<k) != 0
		}
	}
	panic("sources: JSON key not looked for: " + key)
}

// MayHoldJSONKey reports whether line, if valid JSON, may hold key as an
// object key that encoding/json matches to a field tagged with it
// (JSONKeys.In).
func MayHoldJSONKey(line, key string) bool {
	return JSONKeys{key}.In(line).Has(key)
}

// PlainJSON reports whether a JSON line's keys and strings read as their
// bytes (no escape), with no rune encoding/json folds to an ASCII letter
// when it matches keys: an ASCII text a string value decoded from it
// holds is in the line as written (invalid UTF-8 decodes to U+FFFD, never
// to ASCII), and an ASCII value is there between quotes.
func PlainJSON(line string) bool {
	return strings.IndexByte(line, '\\') < 0 && !strings.Contains(line, "\u017f") && !strings.Contains(line, "\u212a")
}
