package sources

import "context"

// Feeder parses lines handed to it one at a time, for sources that live in
// memory (the demo's generator). The lines take the same path as a file's:
// the input's parser, counters and samples.
type Feeder struct{ d *decoder }

// NewFeeder makes a feeder that sends the input's records on out.
func NewFeeder(in *Input, out chan<- Item) *Feeder {
	in.SetState("following")
	return &Feeder{d: newDecoder(in, out)}
}

// Line parses one line (without its newline).
func (f *Feeder) Line(ctx context.Context, text string) error {
	f.d.in.bytes.Add(int64(len(text) + 1))
	return f.d.line(ctx, text)
}

// Flush decides the format from held lines, if it is not known yet.
func (f *Feeder) Flush(ctx context.Context) error { return f.d.finish(ctx) }
