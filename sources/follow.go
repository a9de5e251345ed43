package sources

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// FollowOptions says how to follow an input.
type FollowOptions struct {
	// FromStart reads the existing content first; otherwise following starts
	// at the end of a file that exists when following starts. A file that
	// appears later, or replaces a rotated one, is always read from its start.
	FromStart bool
	// Poll looks for changes by polling only, without inotify hints (network
	// file systems, or no inotify watches left).
	Poll bool
	// Stdin is what the input "-" reads; os.Stdin when nil.
	Stdin io.Reader
	// History, when set, is the input's history, read already (HistoryOf):
	// following starts where it ends, in the same file (a file replaced
	// meanwhile is read from its start); a compressed file is not read
	// again.
	History *History
	// Files, when set, is shared by the inputs followed together: a file
	// that appears under two of their names is read by one of them only
	// (OpenFiles).
	Files *OpenFiles
}

// Follow follows an input until ctx ends: files are followed across
// rotation, truncation, deletion and errors (see followFile), a named pipe
// across its writers (followFIFO); standard input, anonymous pipes and
// commands until they end. Standard input ending ends this
// input only: Follow returns nil and the state says "done". It does not
// close out.
func Follow(ctx context.Context, in *Input, out chan<- Item, opt FollowOptions, restartCmd bool) error {
	if in.Spec.NotRead != "" {
		return nil // its state says why
	}
	d := newDecoder(in, out)
	if in.Spec.Command {
		return runCommand(ctx, in, d, restartCmd, flushEvery)
	}
	if in.Spec.Path == "-" {
		r := opt.Stdin
		if r == nil {
			r = os.Stdin
		}
		return followStream(ctx, in, d, r, "standard input")
	}
	if st, err := os.Stat(in.Spec.Path); err == nil && !st.Mode().IsRegular() && !st.IsDir() {
		if st.Mode()&fs.ModeNamedPipe != 0 && isNamedFIFO(in.Spec.Path) {
			return followFIFO(ctx, in, d) // its writers come and go
		}
		// A pipe or a terminal (/dev/stdin, <(kubectl logs -f ...)): it
		// cannot be rotated, truncated or seeked, and its head cannot be
		// sampled without eating its lines. Read it as a stream.
		f, err := os.Open(in.Spec.Path)
		if err != nil {
			in.SetState("read error: " + err.Error())
			return err
		}
		defer f.Close()
		return followStream(ctx, in, d, f, in.Spec.Path)
	}
	if h := opt.History; h != nil && h.Gzip {
		in.SetState(stateGzipRead)
		return nil
	}
	if isGzipFile(in.Spec.Path) {
		return readCompressedOnce(ctx, in, d, opt.FromStart)
	}
	if !opt.FromStart {
		// Live mode starts at the end; sample the head so the format is known
		// before the first new line arrives.
		if hd, err := headDecoder(in, out); err == nil {
			d = hd
		}
	}
	return followFile(ctx, in, d, opt, os.Open)
}

// A compressed file is history: a rotated log (access.log.2.gz) that
// nothing appends to, and whose bytes cannot be followed line by line. Live
// mode reads it once, decompressed, when asked to read from the start, and
// otherwise says why it shows nothing: read raw, it was thousands of
// unparsed lines of gzip bytes.
const (
	stateGzipRead = "done: compressed, read once (not followed)"
	// StateGzipSkipped is the state of a compressed file live mode does
	// not read: the advisor tells it from one waiting for its lines.
	StateGzipSkipped = "not read: compressed file; use --from-start, replay or report"
)

func readCompressedOnce(ctx context.Context, in *Input, d *decoder, fromStart bool) error {
	if !fromStart {
		in.SetState(StateGzipSkipped)
		return nil
	}
	if err := readToEnd(ctx, in, d, false); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	in.SetState(stateGzipRead)
	return nil
}

// isGzipFile says whether path is a regular file that starts with the gzip
// magic bytes (content, not the name, decides: as report and replay do).
func isGzipFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return false
	}
	var magic [2]byte
	n, _ := io.ReadFull(f, magic[:])
	return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b
}

// followStream reads a stream to its end, parsing lines as they come.
func followStream(ctx context.Context, in *Input, d *decoder, r io.Reader, name string) error {
	in.SetState("following")
	err := pumpStream(ctx, in, d, countingReader{r: r, n: &in.bytes}, flushEvery)
	if ctx.Err() != nil {
		return nil
	}
	if err != nil {
		in.SetState("read error: " + err.Error())
		return fmt.Errorf("read %s: %w", name, err)
	}
	in.SetState("done")
	return nil
}

// headDecoder is the decoder of a file whose format is detected from its
// head (detectFromHead): an app format decided on too few lines is watched.
// A head that tells nothing yet (a proxy's startup lines only, or one
// request line) is held as the lines before the start (decoder.holdHead):
// detection weighs it with the lines to come, and a lone request line in
// a quiet file is decided on after loneTicks, as one appended would be
// (it stayed undecided until more lines came: a quiet nginx error log
// with one line of history showed "unknown" for good).
func headDecoder(in *Input, out chan<- Item) (*decoder, error) {
	det, head, err := detectFromHead(in)
	if errors.Is(err, errHeadTooShort) {
		d := newDecoder(in, out)
		d.holdHead(head)
		return d, nil
	}
	if err != nil {
		return nil, err
	}
	d := newDecoder(in, out)
	if !d.watchUnsure(det) {
		d.roleSettled()
	}
	return d, nil
}

// errHeadTooShort: the head of a file is a proxy's startup lines only, or
// one request line: no evidence yet.
var errHeadTooShort = errors.New("too few lines to tell")

// detectFromHead picks the format from the first lines of an existing
// file, and returns the detection (settled when given or forced). When
// they tell too little (errHeadTooShort), it returns them.
func detectFromHead(in *Input) (Detection, []string, error) {
	if in.Format().Name != "" {
		return Detection{settled: true}, nil, nil
	}
	f, err := os.Open(in.Spec.Path)
	if err != nil {
		return Detection{}, nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(io.LimitReader(f, 256<<10))
	sc.Buffer(make([]byte, 64<<10), MaxLineBytes)
	var lines []string
	for sc.Scan() && len(lines) < detectLines {
		if strings.TrimSpace(sc.Text()) != "" {
			lines = append(lines, sc.Text())
		}
	}
	if len(lines) == 0 {
		return Detection{}, nil, fmt.Errorf("detect format of %s: no lines", in.Spec.Path)
	}
	det := newDetector(in.Spec.Role)
	for _, l := range lines {
		det.add(l)
	}
	if det.startupOnly() || det.loneRequest() && det.first == 0 {
		// A proxy's startup lines, or one request line: the decoder
		// decides with the lines to come, or on the head alone once
		// quiet.
		return Detection{}, lines, fmt.Errorf("detect format of %s: %w", in.Spec.Path, errHeadTooShort)
	}
	format, how, res, err := det.resolve(in.Spec)
	if err != nil {
		return res, nil, err
	}
	return res, nil, in.SetFormat(format, how)
}
