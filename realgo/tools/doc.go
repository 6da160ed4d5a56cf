// Package tools pins the Go tools the project runs (go.mod's tool lines): golang.org/x/perf's benchstat,
// which scripts/benchstat.sh runs as `go tool benchstat` to compare Go's defer kinds over -count runs.
package tools
