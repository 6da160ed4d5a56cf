#!/usr/bin/env bash
# Runs the article's program and Go's cost-per-defer benchmarks on the real Go runtime (realgo/), into
# results/<YYYY-MM-DD>-realgo/realgo.json, then regenerates the report.
set -euo pipefail
SCRIPT="realgo.sh"
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'TXT'
Usage: scripts/realgo.sh [--label NAME] [--reference] [--dry-run] [realgo args...]

Cross-checks the model on the real Go runtime: builds realgo/ (the article's program: 10k goroutines x
100 x (10 defers + runtime.Gosched()), treatments none / defer / cpu_control, scheduling latency from the
runtime's /sched/latencies:seconds histogram; and Go's own cost per defer with testing.Benchmark), runs
it, and writes results/local/<YYYY-MM-DD>-<label>/realgo.json (git-ignored; default label: realgo; staged
in results/tmp/ until it completes) with env.json and a REPORT.md comparing it with the committed
reference. About 2 minutes on 2 cores.
  --reference   make it part of the reference instead: results/<name>/, listed in results/reference.txt,
                results/REPORT.md and README regenerated (tracked files change: commit them on purpose)

realgo args (defaults in brackets), passed through:
  -procs 2,4  -runs 5  -goroutines 10000  -loops 100  -density 10  -costs=true

Needs Go 1.17 or newer (for /sched/latencies): the Go on PATH, or Debian's golang-1.19-go
(apt-get install golang-1.19-go, which installs /usr/lib/go-1.19/bin/go). GO=/path/to/go overrides.
The article used Go 1.22.5; the JSON records the version that ran.
TXT
}

LABEL="realgo"; DRY=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --label) [[ $# -ge 2 ]] || die "--label needs a value"; LABEL="$2"; shift 2 ;;
    --reference) REFERENCE=1; shift ;;
    --dry-run) DRY=1; shift ;;
    -*) break ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
EXTRA=("$@")

GOBIN="$(find_go)"
GOVER="$(go_version "$GOBIN")"

ensure_jar   # the report is regenerated with it
enter_root
NAME="$(new_run_name "$LABEL")"
stage_path "$NAME"
BIN="$(mktemp -d)/realgo"
build=(bash -c 'cd "$1" && "$2" build -o "$3" .' build "$ROOT/realgo" "$GOBIN" "$BIN")
cmd=("$BIN" -out "$STAGE/realgo.json" "${EXTRA[@]}")
if [[ $DRY -eq 1 ]]; then
  echo "+ $(quote_cmd "${build[@]}")"; echo "+ $(quote_cmd "${cmd[@]}")"; exit 0
fi

stage_begin
note "$GOVER ($GOBIN): building realgo/"
run "${build[@]}" || die "building realgo/ failed (see above)"
run "${cmd[@]}" || die "realgo failed (see above)"
write_env "$STAGE/env.json" "realgo" "$LABEL" "$GOVER ${EXTRA[*]:-}" "$(quote_cmd "realgo/ built with $GOBIN") && $(quote_cmd realgo -out realgo.json "${EXTRA[@]}")"
stage_finish
finish_report
