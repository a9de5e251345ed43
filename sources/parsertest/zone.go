package parsertest

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// zoneChildEnv names, in a child's environment, the test it runs in its
// zone.
const zoneChildEnv = "FIVEXX_TEST_ZONE_CHILD"

// InZone runs the calling test with the local zone name, as TZ=name would,
// and says whether to go on here. time.Local is read from TZ once per
// process, and writing it in a test races every goroutine calling
// time.Now (the race detector saw it, and the binary crashed reporting
// it). So unless this process is the child that runs the test in name,
// InZone runs the test again in a child process whose TZ is name, fails
// this test with the child's output when the child fails, and returns
// false: the caller returns. In the child it returns true.
func InZone(t *testing.T, name string) (here bool) {
	t.Helper()
	if os.Getenv(zoneChildEnv) == t.Name() {
		if tz := os.Getenv("TZ"); tz != name {
			t.Fatalf("the child of %s has TZ=%q, want %q", t.Name(), tz, name)
		}
		return true
	}
	if _, err := time.LoadLocation(name); err != nil {
		t.Fatalf("time zone %s: %v (the tests need the system time zone data, Debian tzdata)", name, err)
	}
	// -test.run matches a subtest's name part by part.
	var run []string
	for _, part := range strings.Split(t.Name(), "/") {
		run = append(run, "^"+regexp.QuoteMeta(part)+"$")
	}
	cmd := exec.Command(os.Args[0], "-test.run", strings.Join(run, "/"), "-test.count", "1", "-test.v")
	cmd.Env = append(os.Environ(), "TZ="+name, zoneChildEnv+"="+t.Name())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s in TZ=%s: %v\n%s", t.Name(), name, err, out)
	}
	if !strings.Contains(string(out), "--- PASS: "+t.Name()+" ") {
		t.Fatalf("%s in TZ=%s: the child did not pass it:\n%s", t.Name(), name, out)
	}
	return false
}
