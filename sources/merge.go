package sources

import (
	"container/heap"
	"context"
)

// Merge reads every input to its end concurrently and sends their records
// on out merged by log time, so the correlator sees them in the order they
// happened. Each input is read by its own goroutine into a small buffer;
// the merge always takes the oldest head. Records without a time go out at
// once. Merge closes out when every input has ended, and returns the
// first read error per input in errs (indexed like inputs).
func Merge(ctx context.Context, inputs []*Input, out chan<- Item) (errs []error) {
	defer close(out)
	errs = make([]error, len(inputs))
	chans := make([]chan Item, len(inputs))
	for i, in := range inputs {
		chans[i] = make(chan Item, 1024)
		go func(i int, in *Input) {
			defer close(chans[i])
			errs[i] = ReadToEnd(ctx, in, chans[i])
		}(i, in)
	}
	h := &itemHeap{}
	pull := func(i int) {
		for it := range chans[i] {
			if it.Rec.RecordTime().IsZero() {
				select {
				case out <- it:
				case <-ctx.Done():
				}
				continue
			}
			heap.Push(h, headItem{it: it, src: i})
			return
		}
	}
	for i := range chans {
		pull(i)
	}
	for h.Len() > 0 {
		top := heap.Pop(h).(headItem)
		select {
		case out <- top.it:
		case <-ctx.Done():
			for i := range chans {
				for range chans[i] {
				}
			}
			return errs
		}
		pull(top.src)
	}
	return errs
}

type headItem struct {
	it  Item
	src int
}

type itemHeap []headItem

func (h itemHeap) Len() int { return len(h) }
func (h itemHeap) Less(i, j int) bool {
	ti, tj := h[i].it.Rec.RecordTime(), h[j].it.Rec.RecordTime()
	if !ti.Equal(tj) {
		return ti.Before(tj)
	}
	return h[i].src < h[j].src
}
func (h itemHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *itemHeap) Push(x any)   { *h = append(*h, x.(headItem)) }
func (h *itemHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
