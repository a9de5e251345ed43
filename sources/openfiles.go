package sources

import (
	"os"
	"sync"
)

// OpenFiles is what the followed inputs of one run have open, so that one
// file under two names is read once. givenTwice (cmd/fivexx) compares the
// inputs when following starts, but a file that is not there yet has no
// identity to compare: "fivexx real/late.log alias/late.log" with alias a
// link to real, or a dangling link to a file still to come, read every
// line of late.log twice once it appeared. A follower that opens a file
// another input already reads does not read it, and says so in its state.
// The zero value is not used: a nil *OpenFiles checks nothing.
type OpenFiles struct {
	mu    sync.Mutex
	files []openFile
}

// StateSameFile starts the state of an input whose file another input
// reads: "same file as access.log: not read twice".
const StateSameFile = "same file as "

type openFile struct {
	id os.FileInfo // from the open file's Stat: dev and inode
	in *Input
}

// StateTakenOver starts the event of an input that reads a file another
// input read before and has let go (rotated away under its name): "taken
// over from access.log: not read again". It said "rotated", then
// "following +rotated", of the file it had said was access.log's.
const StateTakenOver = "taken over from "

// NewOpenFiles returns the register the followers of one run share
// (FollowOptions.Files).
func NewOpenFiles() *OpenFiles { return &OpenFiles{} }

// claim records that in reads the file id, unless another input already
// does: then it returns that input and records nothing. A handful of files
// are open per input (the current one and at most maxDraining rotated
// away), so a list does.
func (o *OpenFiles) claim(id os.FileInfo, in *Input) *Input {
	if o == nil {
		return nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, f := range o.files {
		if os.SameFile(f.id, id) {
			if f.in == in {
				return nil
			}
			return f.in
		}
	}
	o.files = append(o.files, openFile{id, in})
	return nil
}

// release records that in no longer reads the file id.
func (o *OpenFiles) release(id os.FileInfo, in *Input) {
	if o == nil || id == nil {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for i, f := range o.files {
		if f.in == in && os.SameFile(f.id, id) {
			o.files = append(o.files[:i], o.files[i+1:]...)
			return
		}
	}
}
