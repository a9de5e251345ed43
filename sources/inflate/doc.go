// Package inflate inflates one large gzip member on several cores, in the
// way of pugz (Kerbiriou & Chikhi 2019) and rapidgzip (Knespel & Brunst
// 2023).
//
// A deflate stream cannot be cut anywhere: a block starts at any bit, and
// may copy from the 32 KiB of output before it. So the compressed member is
// cut into chunks of a fixed size; a worker looks for the first block that
// starts in its chunk (blockfinder.go), decodes from there with the 32 KiB
// before it unknown, writing a marker for every byte copied from that
// window (decode.go, uint16 output), and stops at the first block boundary
// past its chunk's end. Once the chunk before is done, its last 32 KiB
// replace the markers (resolve.go) and the chunk's bytes are handed on in
// order (reader.go). A chunk that did not start where the one before it
// stopped is thrown away and decoded again from the right place, with its
// window known: the output never depends on a guess.
//
// With Config.Workers below 0 there are no workers: every chunk is
// decoded in order, bytes and not symbols, which is what sources does on 2
// cores, where the parser needs one of them (sources/gzipparallel.go). The
// decoder alone is faster than klauspost/compress on log text (1.38
// against 2.35 CPU-s for a 118 MB access.log.gz).
//
// The decoder is ours rather than compress/flate's because it has to start
// at any bit, decode with an unknown window and stop at a given block
// boundary, which no stdlib or klauspost API offers.
package inflate
