package sources

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// untimedParser is the test format with untimed lines too: "U <text>" is
// an app line without a time, as plain app logs have.
type untimedParser struct{ testParser }

func (p untimedParser) Parse(line string) (Record, error) {
	if text, ok := strings.CutPrefix(line, "U "); ok {
		return &AppEntry{Message: text, Raw: line}, nil
	}
	return p.testParser.Parse(line)
}

func init() {
	Register(Format{Name: "test-app-untimed", Role: RoleApp,
		New: func(ParserOptions) (Parser, error) { return untimedParser{testParser{RoleApp}}, nil }})
}

// mergedLines merges a (test-proxy) and b (test-app-untimed) with
// MergeEach, or MergeBatches when batches is set, and returns the lines in
// the order they went out.
func mergedLines(t *testing.T, a, b string, batches bool) []string {
	t.Helper()
	ins := []*Input{
		NewInput(0, Spec{Path: writeFile(t, "a.log", a), Format: "test-proxy"}),
		NewInput(1, Spec{Path: writeFile(t, "b.log", b), Format: "test-app-untimed"}),
	}
	var got []string
	var errs []error
	if batches {
		out := make(chan []Item, 4)
		done := make(chan []error)
		go func() { done <- MergeBatches(context.Background(), ins, out) }()
		for batch := range out {
			for _, it := range batch {
				got = append(got, it.Rec.RawLine())
			}
		}
		errs = <-done
	} else {
		errs = MergeEach(context.Background(), ins, func(it Item) { got = append(got, it.Rec.RawLine()) })
	}
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return got
}

// timedLines returns a test log with a line "T<sec> x" for each of secs
// (4102444800 is 2100-01-01).
func timedLines(secs ...int64) string {
	var b strings.Builder
	for _, s := range secs {
		fmt.Fprintf(&b, "T%d x\n", s)
	}
	return b.String()
}

// A record far ahead of the record after it in its input (a clock set to
// 2100) is merged at the time of that record, in file order: merged by its
// time, it held back every later line of its input until the other inputs
// reached 2100, their end. A record is judged by the one after it, so a
// sparse log, a log that leaps forward for real and an input's last record
// are merged by time, as before.
func TestMergeSendsAFarFutureLineInFileOrder(t *testing.T) {
	const y2100 = 4102444800
	for _, tc := range []struct {
		name string
		a, b string
		want string // the lines in the order they go out, by their first word
	}{
		{"far-future line in the middle", timedLines(1, 4, 6), timedLines(2, y2100, 3, 5, 7),
			"T1 T2 T4102444800 T3 T4 T5 T6 T7"},
		{"far-future first line", timedLines(1, 4, 6), timedLines(y2100, 2, 3, 5),
			"T1 T4102444800 T2 T3 T4 T5 T6"},
		{"far-future last line: by its time", timedLines(1, 4, 6), timedLines(2, y2100),
			"T1 T2 T4 T6 T4102444800"},
		{"far-future line before untimed lines", timedLines(1, 4, 6), "T2 x\nT4102444800 x\nU a\nU b\nT3 x\nT5 x\n",
			"T1 T2 T4102444800 U U T3 T4 T5 T6"},
		{"two far-future lines confirm each other: by time", timedLines(1, 4, 6), timedLines(2, y2100, y2100, 3, 5),
			"T1 T2 T4 T6 T4102444800 T4102444800 T3 T5"},
		{"sparse error log, lines 30 min apart", timedLines(0, 600, 1200, 1800, 2400, 3000, 3600), timedLines(1800, 3600),
			"T0 T600 T1200 T1800 T1800 T2400 T3000 T3600 T3600"},
		{"a log quiet for an hour, then on", timedLines(1, 2, 3602, 3603), timedLines(1, 3601, 3604),
			"T1 T1 T2 T3601 T3602 T3603 T3604"},
		{"out of order by less than mergeJump: by time", timedLines(1, 40, 60), timedLines(2, 50, 11),
			"T1 T2 T40 T50 T11 T60"},
	} {
		for _, batches := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/batches=%v", tc.name, batches), func(t *testing.T) {
				var got []string
				for _, l := range mergedLines(t, tc.a, tc.b, batches) {
					got = append(got, strings.Fields(l)[0])
				}
				if g := strings.Join(got, " "); g != tc.want {
					t.Errorf("merged %s\n          want %s", g, tc.want)
				}
			})
		}
	}
}

// Whether a record is merged in file order depends on the record after it
// in its input, which may be in the input's next batch: the merge takes
// that batch before it decides. The far-future line is put at every place
// around the first batch's end.
func TestMergeLooksIntoTheNextBatch(t *testing.T) {
	var odd, even []int64
	for i := int64(0); i < 2*batchSize; i++ {
		odd, even = append(odd, 2*i+1), append(even, 2*i+2)
	}
	for at := batchSize - 3; at <= batchSize+2; at++ {
		t.Run(fmt.Sprint(at), func(t *testing.T) {
			b := slices.Insert(slices.Clone(even), at, 4102444800)
			got := mergedLines(t, timedLines(odd...), timedLines(b...), false)
			// In time order, with the far-future line right before the
			// line after it (even[at], which follows odd[at]).
			var want []string
			for i := range odd {
				if i == at {
					want = append(want, "T4102444800 x")
				}
				want = append(want, fmt.Sprintf("T%d x", odd[i]), fmt.Sprintf("T%d x", even[i]))
			}
			i := slices.Index(want, "T4102444800 x")
			want[i], want[i+1] = want[i+1], want[i]
			if !slices.Equal(got, want) {
				i := 0
				for i < min(len(got), len(want)) && got[i] == want[i] {
					i++
				}
				t.Errorf("merged order differs at %d: got %q, want %q", i, got[i:min(i+4, len(got))], want[i:min(i+4, len(want))])
			}
		})
	}
}

// A run takes a record while its key is before until, the limit a
// nanosecond later when ties go to the run's input: that is, at most the
// limit, whatever the limit's nanosecond (the last one of a second too).
func TestUntilTakesKeysUpToTheLimit(t *testing.T) {
	sec := mergeKey(time.Second)
	for _, limit := range []mergeKey{5 * sec, 5*sec + 1, 5*sec + 500, 6*sec - 1, -2*sec - 1, 0, minKey, maxKey} {
		until := limit + 1
		for _, k := range []mergeKey{limit - sec, limit - 1, limit, limit + 1, limit + sec, minKey, maxKey} {
			if got, want := k < until, k <= limit; got != want {
				t.Errorf("limit %v: key %v before %v is %v, want %v", limit, k, until, got, want)
			}
		}
		if limit >= noLimit {
			t.Errorf("limit %v is not before noLimit", limit)
		}
	}
	if latest := keyOf(time.Unix(1<<63-1-62135596800, 999_999_999)); latest >= noLimit {
		t.Errorf("the latest time's key %v is not before noLimit", latest)
	}
}

// A time's key is its UnixNano where that is defined, and orders as the
// time does there; a time outside has the key of the range's nearest
// end; the zero time (a record without one) has untimedKey, which no
// other time has, and which an item carries as 0 (Item.at). Moved by a
// merge shift, a key stays in the range.
func TestMergeKeysOrderAsTheirTimes(t *testing.T) {
	times := []time.Time{
		time.Unix(0, 0), time.Unix(0, 1), time.Unix(-1, 999_999_999), time.Unix(1767322800, 123),
		time.Unix(4102444800, 0), // 2100
		time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2261, 12, 31, 23, 59, 59, 999_999_999, time.UTC),
		time.Date(2026, 1, 2, 3, 0, 0, 5, time.FixedZone("", 3600)),
	}
	for i, a := range times {
		k := keyOf(a)
		if k != mergeKey(a.UnixNano()) {
			t.Errorf("%v: key %d, want its UnixNano %d", a, k, a.UnixNano())
		}
		if got := keyOfBits(k.bits()); got != k || k.bits() == 0 {
			t.Errorf("%v: key %d carried as %d, back %d", a, k, k.bits(), got)
		}
		for _, b := range times[:i] {
			if (keyOf(a) < keyOf(b)) != a.Before(b) {
				t.Errorf("%v before %v is %v, their keys say %v", a, b, a.Before(b), keyOf(a) < keyOf(b))
			}
		}
	}
	if k := keyOf(time.Time{}); k != untimedKey || k.bits() != 0 {
		t.Errorf("the zero time's key is %d (carried as %d), want untimedKey", k, k.bits())
	}
	for _, c := range []struct {
		t    time.Time
		want mergeKey
	}{
		{time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC), minKey}, // the zero time's second, not the zero time
		{time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC), minKey},
		{time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC), maxKey},
		{time.Unix(1<<63-1-62135596800, 999_999_999), maxKey},
	} {
		if got := keyOf(c.t); got != c.want {
			t.Errorf("%v: key %d, want %d", c.t, got, c.want)
		}
	}
	for _, c := range []struct {
		k    mergeKey
		d    time.Duration
		want mergeKey
	}{
		{5 * mergeKey(time.Second), 2 * time.Second, 3 * mergeKey(time.Second)},
		{5 * mergeKey(time.Second), -2 * time.Second, 7 * mergeKey(time.Second)},
		{minKey + 1, time.Hour, minKey},
		{maxKey - 1, -time.Hour, maxKey},
		{minKey, 1<<63 - 1, minKey},
		{maxKey, -1 << 63, maxKey},
	} {
		if got := c.k.minus(c.d); got != c.want {
			t.Errorf("%d less %v: %d, want %d", c.k, c.d, got, c.want)
		}
	}
	if mergedAt(minKey, minKey) != minKey || mergedAt(maxKey, minKey) != minKey || mergedAt(minKey, maxKey) != minKey {
		t.Error("mergedAt at the keys' ends")
	}
}
