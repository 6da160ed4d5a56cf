#!/usr/bin/env bash
# Runs the model's six latency workloads, CPU profiles and Go's cost-per-defer benchmarks on the real Go
# runtime (realgo/), into results/local/<YYYY-MM-DD>-realgo/ (or, with --reference, results/), renders the
# profiles as HTML flame graphs, then writes the comparison report (or regenerates the committed one).
set -euo pipefail
SCRIPT="realgo.sh"
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'TXT'
Usage: scripts/realgo.sh [--quick|--footprints] [--go PATH] [--label NAME] [--reference] [--dry-run] [realgo flags...]

Runs the model's latency workloads on the real Go runtime (realgo/, docs/realgo.md): ArticleGosched,
Fanout, PingPongHog, StealLatency, PreemptLatency and DeferStarvation, each with its JMH benchmark's shape
and parameter names, under none / defer / cpu_control / alloc_control / defer_gcoff (/ defer_primed where
the defers are heap records), interleaved, 10 runs per cell; scheduling latency from the runtime's
/sched/latencies:seconds and the workloads' own timestamps, GC cycles, GC CPU and live heap (gctrace);
one traced run per cell and treatment whose waits are split by cause (waitByCause: what the Ps did
during each wait, from a runtime/trace read by realgo/tracewait); host fingerprints at the start and end;
CPU profiles of ArticleGosched and DeferStarvation under defer and cpu_control, as collapsed stacks and
HTML flame graphs; and Go's own cost per defer. It writes results/local/<YYYY-MM-DD>-<label>/ (git-ignored;
default label: realgo, or realgo-quick; staged in results/tmp/ until it completes): realgo.json,
profiles/, env.json and a REPORT.md comparing it with the committed reference.
About 12 minutes on 2 cores; --quick about 2-3 minutes.
  --go PATH     the Go toolchain to build and run realgo with (default: $GO, else go on PATH); e.g.
                --go /usr/lib/go-1.19/bin/go for the "before Go 1.21" column. GOEXPERIMENT passes through:
                GOEXPERIMENT=nogreenteagc scripts/realgo.sh runs Go 1.26 with its previous GC
  --quick       an indicative run: 2 runs per cell, one calibration pair, no profiles (realgo -quick)
  --footprints  the in-situ decomposition of issue 19 instead: ArticleGosched at GOMAXPROCS 4 with 100,
                1,000 and 10,000 goroutines (100 k, 1 M and 10 M live defer records at the peak) under none,
                defer, defer_gcoff and defer_primed, 10 runs per cell, no profiles, no Go cost benchmarks,
                then go test -bench BenchmarkHeapCost -count 5 (heapcost.txt: mallocgc per record in fresh
                and swept memory, a pointer store with and without marking: the model's calibration);
                one document (realgo -experiment footprints, the three runs merged) that the report shows
                in "Where defer's CPU goes in situ" and never uses for a claim; default label
                realgo-footprints; about 5 minutes
  --reference   make it part of the reference instead: results/<name>/, listed in results/reference.txt,
                results/REPORT.md and README regenerated (tracked files change: commit them on purpose)
  --dry-run     print the commands and stop

realgo flags are passed through (realgo -h lists them), e.g.
  scripts/realgo.sh -workloads DeferStarvation -procs 1,2,4 -p density=100000
  scripts/realgo.sh -procs 2,4 -runs 20

Needs Go 1.17 or newer (for /sched/latencies): --go, else $GO, else go on PATH (the machines have Go
1.26.8), else Debian's golang-1.19-go (apt-get install golang-1.19-go: /usr/lib/go-1.19/bin/go). The trace
analyzer is built with a Go 1.26 or newer wherever one is installed (without one: no traced runs). The
article used Go 1.22.5; the JSON records the version that ran and its GOEXPERIMENT. Java 17+ (and Maven 3.8+ to build benchmarks.jar) for the report and
the flame graphs (async-profiler's converter, tools.profiler:jfr-converter, copied by the build).
TXT
}

LABEL=""; DRY=0; QUICK=0; FOOT=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --quick) QUICK=1; shift ;;
    --footprints) FOOT=1; shift ;;
    --label) [[ $# -ge 2 ]] || die "--label needs a value"; LABEL="$2"; shift 2 ;;
    --reference) REFERENCE=1; shift ;;
    --go) [[ $# -ge 2 ]] || die "--go needs a path"; GO="$2"; export GO; shift 2 ;;
    --dry-run) DRY=1; shift ;;
    --*) die "unknown option '$1' (see --help)" ;;
    -*) break ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
EXTRA=("$@")
if [[ $QUICK -eq 1 ]]; then EXTRA=(-quick "${EXTRA[@]}"); fi
[[ $QUICK -eq 1 && $FOOT -eq 1 ]] && die "--quick and --footprints are separate runs: give one"
[[ -n "$LABEL" ]] || { if [[ $QUICK -eq 1 ]]; then LABEL="realgo-quick"; elif [[ $FOOT -eq 1 ]]; then LABEL="realgo-footprints"; else LABEL="realgo"; fi; }
# the footprints: goroutines of ArticleGosched (x 100 loops x 10 defers = live records at the peak)
FOOTPRINTS=(100 1000 10000)
FOOT_ARGS=(-workloads ArticleGosched -procs 4 -treatments none,defer,defer_gcoff,defer_primed -costs=false -profile=false
  -experiment footprints)

GOBIN="$(find_go)"
GOVER="$(go_version "$GOBIN")"

ensure_jar   # the report is regenerated with it
enter_root
BIN="$(mktemp -d)/realgo"
trap 'rm -rf "$(dirname "$BIN")"' EXIT
build=(bash -c 'cd "$1" && "$2" build -o "$3" .' build "$ROOT/realgo" "$GOBIN" "$BIN")
run "${build[@]}" || die "building realgo/ failed (see above)"
TRACED=()
if build_tracewait "$(dirname "$BIN")/tracewait"; then TRACED=(-trace-analyzer "$(dirname "$BIN")/tracewait"); fi
# bad flags stop here, in one line, before anything is staged
check="$("$BIN" "${EXTRA[@]}" -check 2>&1 >/dev/null)" || die "$(sed -n 1p <<<"$check" | sed -E 's/^realgo: //')"
NAME="$(new_run_name "$LABEL")"
stage_path "$NAME"
cmd=("$BIN" -go "$GOBIN" -out "$STAGE/realgo.json" "${TRACED[@]}" "${EXTRA[@]}")
if [[ $FOOT -eq 1 ]]; then
  FOOT_CMDS=(); PARTS=()
  for g in "${FOOTPRINTS[@]}"; do
    FOOT_CMDS+=("$(quote_cmd "$BIN" -go "$GOBIN" -out "$STAGE/footprint-$g.json" "${FOOT_ARGS[@]}" -p "goroutines=$g" "${EXTRA[@]}")")
    PARTS+=("$STAGE/footprint-$g.json")
  done
  merge=("$BIN" -merge "$(IFS=,; echo "${PARTS[*]}")" -out "$STAGE/realgo.json")
  # Go's allocator and write-barrier costs (realgo/heapcost_test.go), the model's calibration (docs/gc.md)
  HEAPCOST=(test -run '^$' -bench BenchmarkHeapCost -count 5)
  heapcost=(bash -c 'cd "$1" && "$2" "${@:3}"' heapcost "$ROOT/realgo" "$GOBIN" "${HEAPCOST[@]}")
fi
if [[ $DRY -eq 1 ]]; then
  echo "+ $(quote_cmd "${build[@]}")"
  if [[ $FOOT -eq 1 ]]; then printf '+ %s\n' "${FOOT_CMDS[@]}"; echo "+ $(quote_cmd "${merge[@]}")"; echo "+ $(quote_cmd "${heapcost[@]}") > heapcost.txt"; else echo "+ $(quote_cmd "${cmd[@]}")"; fi
  exit 0
fi

stage_begin
trap 'rm -rf "$(dirname "$BIN")"; stage_cleanup' EXIT
if [[ $FOOT -eq 1 ]]; then
  i=0
  for g in "${FOOTPRINTS[@]}"; do
    i=$((i + 1))
    note "$GOVER ($GOBIN): footprint $i of ${#FOOTPRINTS[@]}: ArticleGosched with $g goroutines ($((g * 1000)) records at the peak)"
    run "$BIN" -go "$GOBIN" -out "$STAGE/footprint-$g.json" "${FOOT_ARGS[@]}" -p "goroutines=$g" "${EXTRA[@]}" \
      || die "realgo failed (see above)"
  done
  run "${merge[@]}" || die "merging the footprints failed (see above)"
  rm -f "${PARTS[@]}"
  note "$GOVER: the allocator and write-barrier costs the model charges: ${HEAPCOST[*]} (about 40 s)"
  run "${heapcost[@]}" >"$STAGE/heapcost.txt" || die "go test -bench BenchmarkHeapCost failed (see above)"
  write_env "$STAGE/env.json" "realgo" "$LABEL" "$GOVER footprints ${EXTRA[*]:-}" "$(quote_cmd "realgo/ built with $GOBIN") && for g in ${FOOTPRINTS[*]}: $(quote_cmd realgo -go "$GOBIN" -out 'footprint-$g.json' "${FOOT_ARGS[@]}" -p 'goroutines=$g' "${EXTRA[@]}") && $(quote_cmd realgo -merge 'footprint-*.json' -out realgo.json)" \
    "(cd realgo && $(quote_cmd go "${HEAPCOST[@]}")) > heapcost.txt"
  stage_finish
  finish_report
  exit 0
fi
note "$GOVER ($GOBIN): running realgo (progress and time left below)"
run "${cmd[@]}" || die "realgo failed (see above)"
# flame graphs of the collapsed stacks, with async-profiler's converter
CONV="benchmarks/target/jfr-converter/jfr-converter.jar"
[[ -f "$CONV" ]] || CONV="$HOME/.m2/repository/tools/profiler/jfr-converter/4.2/jfr-converter-4.2.jar"
shopt -s nullglob
for c in "$STAGE"/profiles/*.collapsed; do
  if [[ -f "$CONV" ]]; then
    run java -jar "$CONV" --title "real Go: $(basename "${c%.collapsed}") ($GOVER)" "$c" "${c%.collapsed}.html" >/dev/null \
      || note "flame graph of $c failed (the collapsed stacks stay)"
  else
    note "no jfr-converter.jar (build benchmarks.jar with mvn package): $c left as collapsed stacks"
  fi
done
shopt -u nullglob
write_env "$STAGE/env.json" "realgo" "$LABEL" "$GOVER ${EXTRA[*]:-}" "$(quote_cmd "realgo/ built with $GOBIN") && $(quote_cmd realgo -go "$GOBIN" -out realgo.json ${TRACED[@]:+-trace-analyzer tracewait} "${EXTRA[@]}")"
stage_finish
finish_report
