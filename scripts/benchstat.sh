#!/usr/bin/env bash
# Go's defer costs with go test -bench -count N compared by benchstat, and the model's defer-record benchmark in
# the same format, each compared within its own implementation, into results/local/<date>-<label>/.
set -euo pipefail
SCRIPT="benchstat.sh"
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'TXT'
Usage: scripts/benchstat.sh [--count N] [--go PATH] [--model FILE] [--label NAME] [--reference] [--dry-run]

Go's cost per defer kind (realgo's BenchmarkDefer: the plain call, open-coded, stack and heap records, the
same bodies as realgo's costs) with `go test -bench BenchmarkDefer -count N` (default 10), and the
model's DeferAllocBench (default: the reference's 5-fork run, the last listed folder of mode defer; or
--model FILE) converted into Go's benchmark format (dev.gmpdefer.report.GoBenchFormat: one line per JMH
fork). benchstat (golang.org/x/perf, pinned in realgo/tools/go.mod, run as `go tool benchstat`) compares
Go's kinds (-col /kind) and the model's strategies (-col /strategy), each within its own implementation:
never absolute ns across the two runtimes. It writes go.txt, go-benchstat.txt, model.txt,
model-benchstat.txt and env.json into results/local/<YYYY-MM-DD>-<label>/ (default label benchstat;
--reference: results/, listed in results/reference.txt). About 2 minutes.
Needs Go 1.26 or newer for benchstat (--go may name an older Go for the benchmarks themselves), Java 17+.
TXT
}

COUNT=10; LABEL="benchstat"; DRY=0; MODEL=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --count) [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || die "--count needs an integer >= 1"; COUNT="$2"; shift 2 ;;
    --go) [[ $# -ge 2 ]] || die "--go needs a path"; GO="$2"; export GO; shift 2 ;;
    --model) [[ $# -ge 2 && -f "$2" ]] || die "--model needs a JMH JSON file"; MODEL="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
    --label) [[ $# -ge 2 ]] || die "--label needs a value"; LABEL="$2"; shift 2 ;;
    --reference) REFERENCE=1; shift ;;
    --dry-run) DRY=1; shift ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
GOBIN="$(find_go)"
GOVER="$(go_version "$GOBIN")"
STATGO="$(find_go_min 26 "$GOBIN")"
[[ -n "$STATGO" ]] || die "benchstat needs a Go 1.26 or newer (realgo/tools/go.mod); none found"
ensure_jar
enter_root
if [[ -z "$MODEL" ]]; then
  for d in $(grep -v '^#' "$RESULTS/$MANIFEST_NAME" | tac); do
    if [[ -f "$RESULTS/$d/DeferAllocBench.json" ]] && grep -q '"mode": "defer"' "$RESULTS/$d/env.json" 2>/dev/null; then
      MODEL="$RESULTS/$d/DeferAllocBench.json"; break
    fi
  done
  [[ -n "$MODEL" ]] || die "no reference folder of mode defer has DeferAllocBench.json: give --model FILE"
fi
NAME="$(new_run_name "$LABEL")"
stage_path "$NAME"
bench=(bash -c 'cd "$1" && "$2" test -run "^$" -bench BenchmarkDefer -benchmem -count "$3" .' bench realgo "$GOBIN" "$COUNT")
stat=(bash -c 'cd "$1" && "$2" tool benchstat "${@:3}"' stat realgo/tools "$STATGO")
if [[ $DRY -eq 1 ]]; then
  echo "+ $(quote_cmd "${bench[@]}") > go.txt"
  echo "+ $(quote_cmd java -cp "$JAR" dev.gmpdefer.report.GoBenchFormat "${MODEL#"$ROOT"/}") > model.txt"
  echo "+ $(quote_cmd "${stat[@]}" -col /kind go.txt) > go-benchstat.txt"
  echo "+ $(quote_cmd "${stat[@]}" -col /strategy model.txt) > model-benchstat.txt"
  exit 0
fi
stage_begin
note "$GOVER: go test -bench BenchmarkDefer -count $COUNT (about $((COUNT * 8)) s)"
run "${bench[@]}" >"$STAGE/go.txt" || die "go test -bench failed (see above)"
run java -cp "$JAR" dev.gmpdefer.report.GoBenchFormat "$MODEL" >"$STAGE/model.txt" || die "converting $MODEL failed"
ABS="$(cd "$STAGE" && pwd)"   # benchstat runs in realgo/tools (its go.mod pins it)
run "${stat[@]}" -col /kind "$ABS/go.txt" >"$STAGE/go-benchstat.txt" || die "benchstat failed"
run "${stat[@]}" -col /strategy "$ABS/model.txt" >"$STAGE/model-benchstat.txt" || die "benchstat failed"
grep -q "ns/op\|sec/op" "$STAGE/go-benchstat.txt" || die "benchstat wrote no table (see $STAGE/go-benchstat.txt)"
write_env "$STAGE/env.json" "benchstat" "$LABEL" "$GOVER -count $COUNT; model: ${MODEL#"$ROOT"/}" \
  "$(quote_cmd "${bench[@]}") > go.txt" "$(quote_cmd java -cp benchmarks.jar dev.gmpdefer.report.GoBenchFormat "${MODEL#"$ROOT"/}") > model.txt" \
  "$(quote_cmd go tool benchstat -col /kind go.txt) > go-benchstat.txt" "$(quote_cmd go tool benchstat -col /strategy model.txt) > model-benchstat.txt"
stage_finish
cat "$(run_home)/$NAME/go-benchstat.txt"
note "done: $(run_home)/$NAME/ (go-benchstat.txt: Go's kinds; model-benchstat.txt: the model's strategies)"
