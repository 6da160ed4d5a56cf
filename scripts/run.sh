#!/usr/bin/env bash
# Runs the JMH suite into a new results folder results/<YYYY-MM-DD>-<label>/ and regenerates the report.
set -euo pipefail
SCRIPT="run.sh"
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'TXT'
Usage: scripts/run.sh [--label NAME] [--dry-run] [quick|full|latency|runq] [JMH args...]

Runs the gmpdefer JMH suite and writes one JSON file per benchmark class, plus env.json (machine, JDK,
JMH options, git commit, date), into a new folder results/<YYYY-MM-DD>-<label>/, then regenerates
results/REPORT.md and results/plots/ (scripts/report.sh).

Modes:
  quick   a small subset (latency benchmarks at procs=4, density=10, strategy=GO_COMPILER; DeferAllocBench
          at defersPerCall=1,8, layout=GO122_48; DeferChainBench at chainLength=10,1000), 1 fork, 1 warmup + 3 measurement
          iterations of 1 s: about 5 minutes on 2 cores.
  full    every benchmark class with its own default parameters; latency benchmarks with their own
          annotations (2 forks, 2-3 warmup + 5-8 measured single-shot runs), the others 1 fork, 2 warmup +
          5 measurement iterations of 1 s: about 30 minutes on 2 cores. (default)

  latency the six latency benchmarks only, as in full (about 15 minutes on 2 cores).
  runq    the run-queue benchmarks only (RunQueueBench, StealBench, CoreToCoreBench, StealPauseBench,
          MetricsRecordBench) with -prof gc, as in full (about 5 minutes).

Options:
  --label NAME   folder label (default: the mode); the folder gets -2, -3... if the name is taken
  --dry-run      print the commands without running them
  -h, --help     this text

JMH args after the mode are appended to every JMH command (they override the script's), e.g.
  scripts/run.sh quick -p procs=2
Latency benchmarks run with -prof dev.gmpdefer.bench.latency.SchedMetricsProfiler when the jar has it.
Benchmark classes not yet in the jar are skipped with a note. The run is staged in results/tmp/ and moved
into results/ only when every benchmark finished; an interrupted run stays in results/tmp/<name>/ marked
INCOMPLETE and the report ignores it.
Needs Java 17+; Maven 3.8+ when benchmarks.jar is missing or older than the sources (MVN_FLAGS=-o for offline).
TXT
}

MODE=""; LABEL=""; DRY=0; EXTRA=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --label) [[ $# -ge 2 ]] || die "--label needs a value"; LABEL="$2"; shift 2 ;;
    --dry-run) DRY=1; shift ;;
    quick|full|latency|runq) [[ -z "$MODE" ]] || die "two modes given ('$MODE' and '$1')"; MODE="$1"; shift ;;
    -*) EXTRA=("$@"); break ;;  # the rest are JMH args
    *) die "unknown mode '$1': use quick, full, latency or runq (see --help)" ;;
  esac
done
MODE="${MODE:-full}"
enter_root
LABEL="${LABEL:-$MODE}"

# The suite: "Class|JMH args" per line, per mode. Edit here to change what a mode runs.
QUICK_COMMON="-f 1 -wi 1 -w 1s -i 3 -r 1s"
FULL_COMMON="-f 1 -wi 2 -w 1s -i 5 -r 1s"
suite() {
  case "$MODE" in
    quick)
      local b
      for b in ArticleGoschedBench FanoutBench PingPongHogBench StealLatencyBench PreemptLatencyBench; do
        echo "$b|$QUICK_COMMON -p procs=4 -p density=10 -p strategy=GO_COMPILER"
      done
      echo "DeferStarvationBench|$QUICK_COMMON -p procs=4 -p strategy=GO_COMPILER"
      echo "DeferAllocBench|$QUICK_COMMON -p defersPerCall=1,8 -p layout=GO122_48 -prof gc"
      echo "DeferChainBench|$QUICK_COMMON -p chainLength=10,1000"
      ;;
    runq)
      local b
      for b in RunQueueBench StealBench CoreToCoreBench StealPauseBench MetricsRecordBench; do echo "$b|-f 1 -wi 1 -w 1s -i 3 -r 1s -prof gc"; done
      ;;
    latency)
      local b
      for b in "${LATENCY_BENCHES[@]}"; do echo "$b|"; done
      ;;
    full)
      local b
      # latency benchmarks: their own annotations (2 forks, single-shot runs of the whole workload)
      for b in "${LATENCY_BENCHES[@]}"; do echo "$b|"; done
      echo "DeferAllocBench|$FULL_COMMON -prof gc"
      echo "DeferChainBench|$FULL_COMMON"
      echo "DeferContentionBench|$FULL_COMMON -prof gc"
      for b in RunQueueBench StealBench CoreToCoreBench StealPauseBench MetricsRecordBench; do echo "$b|-f 1 -wi 1 -w 1s -i 3 -r 1s -prof gc"; done
      ;;
  esac
}

if [[ $DRY -eq 1 ]]; then
  need_java
  [[ -f "$JAR" ]] || note "(dry run) benchmarks.jar is missing; a real run would build it first"
else
  ensure_jar
fi

NAME="$(new_run_name "$LABEL")"
stage_path "$NAME"
PROF=()
if [[ -f "$JAR" ]] && has_profiler; then PROF=(-prof "$PROFILER_CLASS"); else note "$PROFILER_CLASS not in the jar: latency benchmarks run without scheduler metrics"; fi

mapfile -t PLAN < <(suite)
TOTAL=${#PLAN[@]}
COMMANDS=()
ALLARGS="$MODE: ${EXTRA[*]:-}"
note "mode $MODE, $TOTAL benchmark classes, results into results/$NAME/ (staged in results/tmp/$NAME/)"

[[ $DRY -eq 1 ]] || stage_begin

i=0; RAN=0
for line in "${PLAN[@]}"; do
  i=$((i + 1))
  cls="${line%%|*}"; mapfile -t args < <(merge_jmh_args "${line#*|}" "${EXTRA[@]}")
  if [[ -f "$JAR" ]] && ! has_bench "$cls"; then
    note "[$i/$TOTAL] $cls: not in benchmarks.jar yet, skipped"
    continue
  fi
  cmd=(java -jar "$JAR" "\\.${cls}\\." "${args[@]}")
  if is_latency "$cls"; then cmd+=("${PROF[@]}"); fi
  cmd+=(-rf json -rff "$STAGE/$cls.json" "${EXTRA[@]}")
  note "[$i/$TOTAL] $cls"
  COMMANDS+=("$(quote_cmd "${cmd[@]}")")
  ALLARGS+="; $cls: ${args[*]} ${EXTRA[*]:-}"
  if [[ $DRY -eq 1 ]]; then
    echo "+ $(quote_cmd "${cmd[@]}")"
  else
    run "${cmd[@]}"
    RAN=$((RAN + 1))
  fi
done

if [[ $DRY -eq 1 ]]; then
  echo "+ mv results/tmp/$NAME results/$NAME"
  echo "+ $(quote_cmd java -Djava.awt.headless=true -cp "$JAR" dev.gmpdefer.report.ReportMain --results "$RESULTS" --out "$RESULTS/REPORT.md")"
  exit 0
fi
if [[ $RAN -eq 0 ]]; then
  stage_discard
  die "no benchmark of the $MODE suite is in benchmarks.jar yet; nothing was run"
fi

write_env "$STAGE/env.json" "$MODE" "$LABEL" "$ALLARGS" "${COMMANDS[@]}"
stage_finish
note "results in results/$NAME/"
regenerate_report
