// Command backend runs the lab's fault-injecting HTTP backend on 127.0.0.1.
// See testdata/lab/README.md for the paths it serves.
package main

import (
	"os"

	"fivexx/testdata/lab"
)

func main() { os.Exit(lab.BackendMain(os.Args[1:], os.Stderr)) }
