package main

import (
	"fmt"
	"testing"
)

// BenchmarkDefer is Go's cost per defer kind in Go's benchmark format, for benchstat
// (scripts/benchstat.sh: go test -bench BenchmarkDefer -count 10): the same bodies as measureCosts,
// named kind=<open|stack|heap|plain>/defers=<n>. Compare kinds within one Go (benchstat -col /kind),
// never absolute ns across runtimes.
func BenchmarkDefer(b *testing.B) {
	for _, c := range costCases {
		b.Run(fmt.Sprintf("kind=%s/defers=%d", c.slug, c.defers), c.run)
	}
}
