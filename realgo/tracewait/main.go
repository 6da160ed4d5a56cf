// Command tracewait decomposes each goroutine's runnable -> running wait in a runtime/trace file by
// what the Ps were doing meanwhile (decompose.go) and writes the result as one JSON object. realgo runs
// it on the trace of each traced run (realgo -trace-analyzer). It reads traces of Go 1.11 and later
// (golang.org/x/exp/trace converts the old format); it needs Go 1.26 to build.
//
//	tracewait FILE   (FILE "-" reads standard input)
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) != 1 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stderr, "usage: tracewait FILE (a runtime/trace file; - for standard input)")
		if len(args) == 1 {
			return 0
		}
		return 2
	}
	in := stdin
	if args[0] != "-" {
		f, err := os.Open(args[0])
		if err != nil {
			fmt.Fprintln(stderr, "tracewait:", err)
			return 2
		}
		defer f.Close()
		in = f
	}
	r, err := Decompose(bufio.NewReaderSize(in, 1<<20))
	if err != nil {
		fmt.Fprintln(stderr, "tracewait: reading the trace:", err)
		return 1
	}
	b, _ := json.Marshal(r)
	fmt.Fprintln(stdout, string(b))
	return 0
}
