#!/usr/bin/env bash
# Runs realgo's own tests (go test) with the Go toolchain scripts/realgo.sh would use; part of mvn -B verify.
set -euo pipefail
SCRIPT="test-realgo.sh"
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'TXT'
Usage: scripts/test-realgo.sh [go test flags...]

Runs `go test ./...` in realgo/: every workload under every treatment runs with tiny parameters,
interleaved, the JSON decodes with its documented fields, the percentiles are ordered, the gctrace and
pprof parsers work, the built binary runs end to end, traced runs split every wait by cause (and
realgo/tracewait's own tests check its decomposition on a synthetic trace whose answer is known, with
a Go 1.26 or newer), and bad flags give one line and exit 2 (no timing
assertions).
`mvn -B verify` runs it (root pom, test phase; skipped with -DskipTests). The Go toolchain is the one
scripts/realgo.sh uses: $GO, else go on PATH, else Debian's golang-1.19-go (/usr/lib/go-1.19/bin/go).
Without Go it says so and exits 0, so that a machine without Go can still build and test the Java parts;
with CI=true a missing Go is an error (.ci/run installs golang-1.19-go first).
TXT
}

for a in "$@"; do
  case "$a" in -h|--help) usage; exit 0 ;; esac
done
if [[ -z "${GO:-}" ]] && ! command -v go >/dev/null 2>&1 && ! compgen -G "/usr/lib/go-1.*/bin/go" >/dev/null \
   && [[ ! -x /usr/local/go/bin/go ]]; then
  if [[ "${CI:-}" == "true" ]]; then
    die "no Go toolchain found, and CI must run realgo's tests (.ci/run installs golang-1.19-go)"
  fi
  note "no Go toolchain found: realgo's tests skipped (apt-get install golang-1.19-go to run them)"
  exit 0
fi
GOBIN="$(find_go)"
cd "$ROOT/realgo"
note "$(go_version "$GOBIN") ($GOBIN): go test ./... in realgo/"
run "$GOBIN" test -count=1 "$@" ./...
# the trace analyzer is its own module (golang.org/x/exp/trace needs Go 1.26)
TW="$(find_go_min 26 "$GOBIN")"
if [[ -n "$TW" ]]; then
  cd "$ROOT/realgo/tracewait"
  note "$(go_version "$TW") ($TW): go test ./... in realgo/tracewait/"
  run "$TW" test -count=1 "$@" ./...
else
  note "no Go 1.26 or newer: realgo/tracewait's tests skipped"
fi
