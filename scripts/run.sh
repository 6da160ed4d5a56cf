#!/usr/bin/env bash
# Runs the JMH suite into a new results folder results/<YYYY-MM-DD>-<label>/ and regenerates the report.
set -euo pipefail
SCRIPT="run.sh"
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/paired.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/paired.sh"

usage() {
  cat <<'TXT'
Usage: scripts/run.sh [--label NAME] [--reference] [--dry-run] [quick|full|latency|runq|defer|paired|footprints] [JMH args...]

Runs the gmpdefer JMH suite and writes one JSON file per benchmark class, plus env.json (machine, JDK,
JMH options, git commit, date, seconds per class) and JMH's full output (<Class>.log), into a new folder
results/local/<YYYY-MM-DD>-<label>/ (git-ignored), then writes that folder's REPORT.md: this machine vs
the committed reference, each figure side by side with the ratio, and whether each conclusion is the same.
It changes no tracked file. The console shows progress, an overall ETA and warnings; the path of your
report comes last.

Modes:
  quick   a small subset (latency benchmarks at procs=4, density=10, strategy=GO_COMPILER; DeferAllocBench
          at defersPerCall=1,8, layout=GO122_48; DeferChainBench at chainLength=10,1000), 1 fork, 1 warmup + 3 measurement
          iterations of 1 s: about 5 minutes on 2 cores. One fork per cell: its comparisons are indicative
          only (the report says "too few runs" where a verdict needs 10).
  full    every benchmark class with its own default parameters; latency benchmarks with their own
          annotations (10 forks of 2 warmup + 3 measured single-shot runs, each fork running the CPU control's
          calibration whatever its treatment, -prof gc, GOGC=100, treatments none,
          defer, cpu_control, alloc_control), the others 1 fork, 2 warmup + 5 measurement iterations of
          1 s: about 40 minutes on 2 cores. (default)

  latency the six latency benchmarks only, as in full (about 22 minutes on 2 cores).
  runq    the run-queue benchmarks only (RunQueueBench, StealBench, CoreToCoreBench, StealPauseBench,
          MetricsRecordBench) with -prof gc, as in full (about 5 minutes).
  defer   the defer-record benchmarks as the reference measures them: DeferAllocBench at 1 and 8 defers
          per call with 5 forks and -prof gc, its OFFHEAP rows again without Agrona bounds checks
          (DeferAllocUncheckedBench), DeferChainBench at 10..10,000 nodes with 5 forks, DeferContentionBench
          with 3 forks (about 40 minutes on 2 cores).
  paired  one paired session: the model and real Go in one session, interleaved by workload block
          (issue 20). For each latency workload W, in the suite's order: the host fingerprint in the JVM
          and in Go (dev.gmpdefer.bench.Fingerprint, realgo -fingerprint), the model's WBench (4 forks
          unless the JMH args say otherwise: three sessions pool 12 runs per cell), realgo's W (the runs
          per cell of scripts/lib/power-plan.tsv, or --realgo-runs; one traced run per cell and treatment
          with waitByCause), the two fingerprints again. Every run carries the
          session id (--session, default the folder's name): env.json and realgo.json record it, and
          fingerprints.jsonl (also inside realgo.json) every fingerprint by block. Needs Go (as
          scripts/realgo.sh). About 25 minutes on 2 cores. The report compares model and real Go only
          within one session; repeat it (separate invocations, spread in time) for the session spread.
  footprints  the model's side of the in-situ decomposition (issue 19): ArticleGoschedBench at procs 4,
          density 10, with 100, 1,000 and 10,000 goroutines, GOGC 100 and off, treatments none and defer,
          3 forks. env.json records "experiment": "footprints": the report shows it in "Where defer's CPU
          goes in situ" beside scripts/realgo.sh --footprints and never uses it for a claim or a table
          that decides (about 15 minutes on 2 cores).

Options:
  --session ID   paired: the session id (default: the run folder's name)
  --realgo-runs N  paired: realgo's measured runs per cell and treatment for every workload (default: each
                 workload's runs in scripts/lib/power-plan.tsv, sized by power from the reference's noise;
                 ReportMain --power-plan rewrites that file)
  --label NAME   folder label (default: the mode); the folder gets -2, -3... if the name is taken
  --only A[,B]   run only these benchmark classes of the mode (e.g. --only DeferContentionBench)
  --reference    make the run part of the committed reference instead: results/<YYYY-MM-DD>-<label>/,
                 listed in results/reference.txt, then results/REPORT.md, plots and README tables are
                 regenerated from the reference (tracked files change: commit them on purpose)
  --dry-run      print the commands without running them
  -h, --help     this text

JMH args after the mode are appended to every JMH command (they override the script's), e.g.
  scripts/run.sh quick -p procs=2
Latency benchmarks run with -prof dev.gmpdefer.bench.latency.SchedMetricsProfiler:hist=<run>/histograms when
the jar has it: scheduler metrics as JMH secondary results, and each measured run's latency histogram.
Every class's arguments are checked before anything runs (an unknown -p name or a bad value stops the
script with one line). Benchmark classes not yet in the jar are skipped with a note. The run is staged in
results/tmp/ and moved into place only when every benchmark finished; an interrupted or failed run stays
in results/tmp/<name>/ marked INCOMPLETE, the script exits non-zero, and no report reads it.
Needs Java 17+; Maven 3.8+ when benchmarks.jar is missing or older than the sources (MVN_FLAGS=-o for offline).
TXT
}

MODE=""; LABEL=""; DRY=0; EXTRA=(); ONLY=""; SESSION=""; RG_RUNS=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --label) [[ $# -ge 2 ]] || die "--label needs a value"; LABEL="$2"; shift 2 ;;
    --reference) REFERENCE=1; shift ;;
    --only) [[ $# -ge 2 ]] || die "--only needs a class list"; ONLY="$2"; shift 2 ;;
    --session) [[ $# -ge 2 ]] || die "--session needs a value"; SESSION="$2"; shift 2
      [[ "$SESSION" =~ ^[A-Za-z0-9._-]+$ ]] || die "bad session id '$SESSION': use letters, digits, '.', '_' or '-'" ;;
    --realgo-runs) [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || die "--realgo-runs needs an integer >= 1"; RG_RUNS="$2"; shift 2 ;;
    --dry-run) DRY=1; shift ;;
    quick|full|latency|runq|defer|paired|footprints) [[ -z "$MODE" ]] || die "two modes given ('$MODE' and '$1')"; MODE="$1"; shift ;;
    -*) EXTRA=("$@"); break ;;  # the rest are JMH args
    *) die "unknown mode '$1': use quick, full, latency, runq, defer, paired or footprints (see --help)" ;;
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
      for b in $(suite_group runq); do echo "$b|-f 1 -wi 1 -w 1s -i 3 -r 1s -prof gc"; done
      ;;
    latency)
      local b
      for b in "${LATENCY_BENCHES[@]}"; do echo "$b|-prof gc"; done
      ;;
    paired)
      local b
      for b in "${LATENCY_BENCHES[@]}"; do echo "$b|-f $PAIRED_FORKS -prof gc"; done
      ;;
    footprints)
      echo "ArticleGoschedBench|-f 3 -prof gc -p procs=4 -p density=10 -p goroutines=100,1000,10000 -p gogc=100,off -p treatment=none,defer"
      ;;
    defer)
      echo "DeferAllocBench|-f 5 -wi 2 -w 1s -i 5 -r 1s -p defersPerCall=1,8 -prof gc"
      echo "DeferAllocUncheckedBench|-f 5 -wi 2 -w 1s -i 5 -r 1s -p defersPerCall=1,8 -p strategy=OFFHEAP -prof gc"
      echo "DeferChainBench|-f 5 -wi 2 -w 1s -i 5 -r 1s -p chainLength=10,100,1000,10000"
      echo "DeferContentionBench|-f 3 -wi 2 -w 1s -i 5 -r 1s -prof gc"
      ;;
    full)
      local b
      # latency benchmarks: their own annotations (10 forks, single-shot runs of the whole workload), with
      # JMH's allocation profiler (gc.alloc.rate.norm: Java bytes per run, issue 19)
      for b in "${LATENCY_BENCHES[@]}"; do echo "$b|-prof gc"; done
      echo "DeferAllocBench|$FULL_COMMON -prof gc"
      echo "DeferChainBench|$FULL_COMMON"
      echo "DeferContentionBench|$FULL_COMMON -prof gc"
      for b in $(suite_group runq); do echo "$b|-f 1 -wi 1 -w 1s -i 3 -r 1s -prof gc"; done
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
# hist=: each measured run's scheduling-latency histogram goes to <run>/histograms/<Class>.jsonl (the report's
# distribution plots read it)
if [[ -f "$JAR" ]] && has_profiler; then PROF=(-prof "$PROFILER_CLASS:hist=$STAGE/histograms"); else note "$PROFILER_CLASS not in the jar: latency benchmarks run without scheduler metrics"; fi

mapfile -t PLAN < <(suite)
if [[ -n "$ONLY" ]]; then
  KEPT=()
  for line in "${PLAN[@]}"; do [[ ",$ONLY," == *",${line%%|*},"* ]] && KEPT+=("$line"); done
  for c in ${ONLY//,/ }; do
    printf '%s\n' "${PLAN[@]}" | grep "^$c|" >/dev/null || die "--only: $c is not a class of the $MODE suite ($(printf '%s\n' "${PLAN[@]}" | cut -d'|' -f1 | paste -sd, | sed 's/,/, /g'))"
  done
  PLAN=("${KEPT[@]}")
fi
TOTAL=${#PLAN[@]}

# Every class's command and estimate, checked before anything is staged or run. A -p the user gives goes
# to the classes that have that parameter; one that no class of the mode has is an error.
CLASSES=(); CMDS=(); ESTS=(); ARGSTR=(); ALLNAMES=","
i=0
for line in "${PLAN[@]}"; do
  i=$((i + 1))
  cls="${line%%|*}"
  if [[ -f "$JAR" ]] && ! has_bench "$cls"; then
    note "[$i/$TOTAL] $cls: not in benchmarks.jar yet, skipped"
    continue
  fi
  mine=("${EXTRA[@]}")
  est=0
  if [[ -f "$JAR" ]]; then
    read -r -a defaults <<<"${line#*|}"
    plan_check "\\.${cls}\\." "${defaults[@]}"
    ALLNAMES+="$PLAN_PARAMS,"
    mapfile -t mine < <(keep_params "$PLAN_PARAMS" "${EXTRA[@]}")
  fi
  mapfile -t args < <(merge_jmh_args "${line#*|}" "${mine[@]}")
  cmd=(java -jar "$JAR" "\\.${cls}\\." "${args[@]}")
  if is_latency "$cls"; then cmd+=("${PROF[@]}"); fi
  cmd+=("${mine[@]}")
  if [[ -f "$JAR" ]]; then plan_check "\\.${cls}\\." "${args[@]}" "${mine[@]}"; est="$PLAN_EST"; fi
  CLASSES+=("$cls"); CMDS+=("$(quote_cmd "${cmd[@]}" -rf json -rff "$STAGE/$cls.json")"); ESTS+=("${est:-0}")
  ARGSTR+=("$cls: ${args[*]} ${mine[*]:-}")
done
if [[ -f "$JAR" ]]; then
  while read -r p; do
    [[ -z "$p" || "$ALLNAMES" == *",$p,"* ]] || die "unknown parameter -p $p for the $MODE suite; valid names: $(tr ',' '\n' <<<"${ALLNAMES}" | sort -u | grep . | paste -sd, | sed 's/,/, /g')"
  done < <(param_names "${EXTRA[@]}")
fi
N=${#CLASSES[@]}
SUM=0; for e in "${ESTS[@]}"; do SUM=$((SUM + e)); done
if [[ "$MODE" == paired ]]; then
  SESSION="${SESSION:-$NAME}"
  paired_setup   # builds realgo and its trace analyzer (lib/paired.sh)
  SUM=$((SUM + N * 60))
fi
ALLARGS="$MODE: ${EXTRA[*]:-}"; for a in "${ARGSTR[@]}"; do ALLARGS+="; $a"; done
note "mode $MODE: $N benchmark classes, about $(fmt_dur "$SUM") in all (estimated for the 2-core reference machine)"
note "results into $(run_home)/$NAME/ (staged in results/tmp/$NAME/); JMH's full output in <Class>.log there"

if [[ $DRY -eq 1 ]]; then
  for ((k = 0; k < ${#CMDS[@]}; k++)); do
    echo "+ ${CMDS[k]}"
    if [[ "$MODE" == paired ]]; then
      echo "+ (block ${CLASSES[k]%Bench}: JVM and Go fingerprints before the class, then) realgo -workloads ${CLASSES[k]%Bench} -runs ${RG_RUNS:-<power-plan>} -session $SESSION -block ${CLASSES[k]%Bench} ... (then the fingerprints again)"
    fi
  done
  echo "+ mv results/tmp/$NAME $(run_home)/$NAME"
  if [[ $REFERENCE -eq 1 ]]; then
    echo "+ echo $NAME >> results/$MANIFEST_NAME"
    echo "+ $(quote_cmd java -Djava.awt.headless=true -cp "$JAR" dev.gmpdefer.report.ReportMain --results "$RESULTS" --out "$RESULTS/REPORT.md")"
  else
    echo "+ $(quote_cmd java -Djava.awt.headless=true -cp "$JAR" dev.gmpdefer.report.ReportMain --results "$RESULTS" --run "$(run_home)/$NAME")"
  fi
  exit 0
fi
if [[ $N -eq 0 ]]; then
  die "no benchmark of the $MODE suite is in benchmarks.jar yet; nothing was run"
fi

stage_begin
COMMANDS=(); FAILED=(); ENV_DURATIONS=""
ETA_NEXT=$SUM
for ((k = 0; k < N; k++)); do
  cls="${CLASSES[k]}"; est="${ESTS[k]}"
  ETA_NEXT=$((ETA_NEXT - est))
  eval "cmd=(${CMDS[k]})"
  COMMANDS+=("${CMDS[k]}")
  note "[$((k + 1))/$N] $cls: starting (about $(fmt_dur "$est") for this class, $(fmt_dur "$(eta_left "$est")") in all)"
  t0=$(date +%s)
  if [[ "$MODE" == paired ]]; then paired_fingerprints "${cls%Bench}" start; fi
  if run_logged "$STAGE/$cls.log" "[$((k + 1))/$N] $cls" "$est" "${cmd[@]}"; then
    note "[$((k + 1))/$N] $cls: done in $(fmt_dur $(( $(date +%s) - t0 )))"
  else
    FAILED+=("$cls")
    note "[$((k + 1))/$N] $cls: FAILED (the last lines of $STAGE/$cls.log say why); going on with the rest"
  fi
  if [[ "$MODE" == paired ]]; then
    paired_realgo "${cls%Bench}" "[$((k + 1))/$N]" || FAILED+=("realgo:${cls%Bench}")
    paired_fingerprints "${cls%Bench}" end
  fi
  ENV_DURATIONS+="${ENV_DURATIONS:+, }\"$cls\": $(( $(date +%s) - t0 ))"
done

if [[ "$MODE" == paired ]]; then
  paired_merge || FAILED+=("realgo-merge")
  COMMANDS+=("${PAIRED_COMMANDS[@]}")
  ENV_EXTRA="\"session\": $(json_str "$SESSION"), \"goVersion\": $(json_str "$PAIRED_GOVER"), \"fingerprints\": \"fingerprints.jsonl\""
fi
if [[ "$MODE" == footprints ]]; then
  ENV_EXTRA="\"experiment\": \"footprints\""   # the report's ResultStore keeps it out of every verdict
fi
write_env "$STAGE/env.json" "$MODE" "$LABEL" "$ALLARGS" "${COMMANDS[@]}"
if [[ ${#FAILED[@]} -gt 0 ]]; then
  echo "INCOMPLETE: failed: ${FAILED[*]}" >"$STAGE/INCOMPLETE"
  die "${#FAILED[@]} benchmark class(es) failed: ${FAILED[*]}; the run stays in results/tmp/$NAME/ marked INCOMPLETE (no report reads it)"
fi
stage_finish
finish_report
