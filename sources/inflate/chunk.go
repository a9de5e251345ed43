package inflate

import "io"

// A chunk is a piece of the compressed member, decoded on a worker with
// the 32 KiB before it unknown.
type chunk struct {
	index int
	from  int64 // first file byte of the chunk
	stop  int64 // file bit: the chunk ends at the first block boundary at or past it
	done  chan chunkResult
}

// chunkResult is a worker's decode of a chunk: the symbols from the block
// at file bit start to the block boundary at file bit end (or the end of
// the final block), or !ok.
type chunkResult struct {
	ok         bool
	start, end int64
	final      bool
	// syms holds windowSize markers (0x8000|i for byte i of the unknown
	// window) and then the chunk's symbols: bytes below 256, or markers
	// copied on from the window.
	syms []uint16
}

// maxTries bounds the candidates a worker decodes from in one chunk: a
// corrupt chunk would otherwise be decoded again from every block start in
// it. The chunk is then decoded in order, which reports the corruption.
const maxTries = 8

// decodeChunk decodes chunk c speculatively: from the first block in it
// that decodes without error up to c.stop. syms is a buffer to decode into
// (grown if short) that starts with the window's markers (newSyms); in is
// scratch for the compressed bytes.
//
// skip, for tests, passes over that many candidates that decode, as if the
// finder had missed their blocks. A chunk whose symbols would take more
// than maxOut bytes is left to the ordered decode (Config.MaxChunkOut).
func decodeChunk(src io.ReaderAt, size int64, c *chunk, chunkSize, maxOut int, syms []uint16, in []byte, skip int) (chunkResult, []byte) {
	// The chunk, and as much again for the block that crosses its end.
	n := int(min(int64(2*chunkSize), size-c.from))
	if cap(in) < n {
		in = make([]byte, n)
	}
	in = in[:n]
	m, err := src.ReadAt(in, c.from)
	if m < n && err != nil {
		return chunkResult{syms: syms}, in
	}
	eof := c.from+int64(n) == size
	var d decoder
	to := c.stop - c.from*8 // relative to in
	for from, tries := int64(0), 0; tries < maxTries; tries++ {
		s := findBlock(in, from, to)
		if s < 0 {
			break
		}
		from = s + 1
		d.reset(in, c.from, c.from*8+s, eof)
		o := windowSize
		for {
			var st status
			o, st, err = decode(&d, syms, o, c.stop)
			if err != nil {
				break
			}
			switch st {
			case needOutput:
				if 2*len(syms) >= maxOut {
					return chunkResult{syms: syms}, in
				}
				syms = append(syms[:o], make([]uint16, len(syms)/2)...)
				syms = syms[:cap(syms)]
				continue
			case needInput:
				// A block longer than the chunk: leave it to the ordered decode.
				return chunkResult{syms: syms}, in
			}
			if skip > 0 {
				skip--
				break
			}
			return chunkResult{ok: true, start: c.from*8 + s, end: d.bitPos(), final: st == atEnd, syms: syms[:o]}, in
		}
	}
	return chunkResult{syms: syms}, in
}

// newSyms makes a buffer for a chunk's symbols of n, window included. The
// window's markers are written once: decoding writes after them, so a
// buffer used again still has them.
func newSyms(n int) []uint16 {
	syms := make([]uint16, n)
	for i := range windowSize {
		syms[i] = 0x8000 | uint16(i)
	}
	return syms
}
