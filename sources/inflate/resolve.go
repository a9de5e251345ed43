package inflate

import "encoding/binary"

// resolver turns a chunk's symbols into bytes once the 32 KiB before it are
// known: a literal is its own value, a marker 0x8000|i the window's byte i.
// One table of all 64 Ki symbol values makes it one load a symbol, without
// a branch.
type resolver struct {
	lut [1 << 16]byte
}

func newResolver() *resolver {
	r := new(resolver)
	for i := range 256 {
		r.lut[i] = byte(i)
	}
	return r
}

// setWindow makes window (32 KiB) the bytes markers stand for. have is how
// many of them the stream really had (less than 32 KiB only near its
// start): a marker for one before them in syms is an error, a distance too
// far back.
func (r *resolver) setWindow(window []byte, have int, syms []uint16) error {
	copy(r.lut[0x8000:], window[:windowSize])
	if have < windowSize {
		for _, v := range syms {
			if v >= 0x8000 && int(v-0x8000) < windowSize-have {
				return errDistance
			}
		}
	}
	return nil
}

// resolve writes syms as bytes to dst (as long).
func (r *resolver) resolve(dst []byte, syms []uint16) {
	// 8 symbols a step, read as two words and written as one: a store a
	// byte took twice as long.
	n := len(syms) &^ 7
	dst = dst[:len(syms)]
	for i := 0; i < n; i += 8 {
		s := syms[i : i+8 : i+8]
		binary.LittleEndian.PutUint64(dst[i:i+8], uint64(r.lut[s[0]])|uint64(r.lut[s[1]])<<8|uint64(r.lut[s[2]])<<16|uint64(r.lut[s[3]])<<24|
			uint64(r.lut[s[4]])<<32|uint64(r.lut[s[5]])<<40|uint64(r.lut[s[6]])<<48|uint64(r.lut[s[7]])<<56)
	}
	for i := n; i < len(syms); i++ {
		dst[i] = r.lut[syms[i]]
	}
}
