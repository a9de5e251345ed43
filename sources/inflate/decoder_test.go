package inflate

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
)

// inflateSeq decodes the raw deflate stream in one go, as chunk 0 is, fed
// step bytes of input at a time (0: all of it) and with an output buffer
// that starts small, so needInput and needOutput are both exercised.
func inflateSeq(t testing.TB, z []byte, step int) ([]byte, error) {
	var d decoder
	n := len(z)
	if step > 0 {
		n = min(step, len(z))
	}
	d.reset(z[:n], 0, 0, n == len(z))
	out := make([]byte, 1024)
	o := 0
	for {
		var st status
		var err error
		o, st, err = decode(&d, out, o, 1<<62)
		if err != nil {
			return out[:o], err
		}
		switch st {
		case atEnd:
			return out[:o], nil
		case needOutput:
			out = append(out, make([]byte, len(out))...)
		case needInput:
			bit := d.bitPos()
			start := int(bit >> 3)
			end := min(len(z), start+max(n, 64)+step)
			n = end - start
			d.setInput(z[start:end], int64(start), bit, end == len(z))
		default:
			t.Fatalf("status %d", st)
		}
	}
}

func deflateWith(level int, p []byte) []byte {
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, level)
	w.Write(p)
	w.Close()
	return b.Bytes()
}

// logText makes n bytes of access-log-like text.
func logText(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	paths := []string{"/api/v1/orders", "/static/js/app.js", "/health", "/login", "/cart/checkout"}
	var b bytes.Buffer
	for b.Len() < n {
		fmt.Fprintf(&b, "10.0.%d.%d - - [02/Jan/2026:03:%02d:%02d +0000] \"GET %s?id=%d HTTP/1.1\" %d %d rt=%.3f rid=%016x\n",
			r.IntN(256), r.IntN(256), r.IntN(60), r.IntN(60), paths[r.IntN(len(paths))], r.IntN(100000),
			[]int{200, 200, 200, 304, 502, 504}[r.IntN(6)], r.IntN(50000), r.Float64(), r.Uint64())
	}
	return b.Bytes()[:n]
}

func TestDecodeMatchesFlate(t *testing.T) {
	rnd := randomBytes(200000, 3)
	// Under the race detector, which makes the one goroutine's decoding
	// many times slower and has nothing to find in it, 1 MiB of log text;
	// make test decodes 3 MiB without it.
	logSize := 3 << 20
	if raceEnabled {
		logSize = 1 << 20
	}
	inputs := map[string][]byte{
		"empty":  nil,
		"log":    logText(logSize, 1),
		"random": rnd,
		"zeros":  make([]byte, 1<<20),
		"byte":   []byte("x"),
	}
	for name, p := range inputs {
		for _, level := range []int{0, 1, 6, 9, flate.HuffmanOnly} {
			z := deflateWith(level, p)
			for _, step := range []int{0, 1000, 7} {
				if step == 7 && len(p) > 300000 {
					continue
				}
				got, err := inflateSeq(t, z, step)
				if err != nil || !bytes.Equal(got, p) {
					t.Errorf("%s level %d step %d: %d bytes, err %v, want %d bytes", name, level, step, len(got), err, len(p))
				}
			}
		}
	}
}

func randomBytes(n int, seed uint64) []byte {
	r := rand.NewChaCha8([32]byte{byte(seed)})
	b := make([]byte, n)
	r.Read(b)
	return b
}

// A stream cut anywhere is an unexpected EOF, as compress/flate says, and
// corrupt bytes are an error or different output, never a panic. Under
// the race detector, which makes the one goroutine's decoding many times
// slower and has nothing to find in it, a third as many cuts and flips;
// make test tries them all without it.
func TestDecodeTruncatedAndCorrupt(t *testing.T) {
	p := logText(100000, 2)
	cuts, flips := 300, 200
	if raceEnabled {
		cuts, flips = 100, 67
	}
	for _, level := range []int{1, 6, 0} {
		z := deflateWith(level, p)
		for cut := 0; cut < len(z)-1; cut += 1 + len(z)/cuts {
			got, err := inflateSeq(t, z[:cut], 0)
			if err != io.ErrUnexpectedEOF {
				t.Fatalf("level %d cut at %d of %d: %d bytes, err %v, want unexpected EOF", level, cut, len(z), len(got), err)
			}
		}
		for i := 0; i < len(z); i += 1 + len(z)/flips {
			c := bytes.Clone(z)
			c[i] ^= 0x5a
			got, err := inflateSeq(t, c, 0)
			want, ferr := io.ReadAll(flate.NewReader(bytes.NewReader(c)))
			if (err == nil) != (ferr == nil) || err == nil && !bytes.Equal(got, want) {
				t.Errorf("level %d byte %d flipped: err %v, compress/flate %v", level, i, err, ferr)
			}
		}
	}
}
