#!/usr/bin/env bash
# Draws HTML flame graphs of one benchmark with async-profiler (the copy shaded into benchmarks.jar).
set -euo pipefail
SCRIPT="flamegraph.sh"
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'TXT'
Usage: scripts/flamegraph.sh [--event cpu|itimer|wall|alloc|lock] [--reference] <Benchmark> [JMH args...]

Profiles one benchmark class (simple name, e.g. ArticleGoschedBench) with async-profiler 4.2 through
JMH's async profiler and writes HTML flame graphs (forward and reverse) and the collapsed stacks (from
which the report computes claim C6's share of samples in the scheduler's find/steal path) into a new run
folder results/local/<YYYY-MM-DD>-flamegraph-<Benchmark>/flamegraphs/<Benchmark>-<params>/ (git-ignored;
params from the -p options, or "default"), one subfolder per parameter combination, with a REPORT.md
comparing its C6 shares with the reference's. It is staged in results/tmp/ (marked INCOMPLETE) until the
profile is complete, so an interrupted profile is never read.
  --reference   replace the committed results/flamegraphs/<Benchmark>-<params>/ instead and regenerate
                results/REPORT.md (tracked files change: commit them on purpose) The native library is the one the build unpacks from the Maven artifact
tools.profiler:async-profiler:4.2 into benchmarks/target/async-profiler/ (maven-dependency-plugin);
if it is missing, it is extracted from benchmarks.jar or ~/.m2. Nothing is downloaded.

Event: cpu by default (perf_events). If cpu sampling produces no flame graph (perf_event_paranoid or a
container may forbid perf events), the script reruns with event=itimer and says so.
JMH args are appended (defaults: -f 1 -wi 1 -w 1s -i 3 -r 1s), e.g.
  scripts/flamegraph.sh ArticleGoschedBench -p treatment=defer -p procs=4 -p density=10
Flame-graph widths are relative sample counts, not times: compare treatments by the shares in the report.
Needs Java 17+; Maven 3.8+ when benchmarks.jar must be built.
TXT
}

EVENT="cpu"
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --event) [[ $# -ge 2 ]] || die "--event needs a value"; EVENT="$2"; shift 2 ;;
    --reference) REFERENCE=1; shift ;;
    -*) die "the benchmark name comes before JMH args (see --help)" ;;
    *) break ;;
  esac
done
[[ $# -ge 1 ]] || { usage >&2; die "missing <Benchmark>"; }
BENCH="$1"; shift
[[ "$BENCH" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "bad benchmark name '$BENCH': give a class name such as ArticleGoschedBench"
case "$EVENT" in cpu|itimer|wall|alloc|lock|ctimer) ;; *) die "unknown event '$EVENT': use cpu, itimer, wall, alloc or lock" ;; esac
EXTRA=("$@")

ensure_jar
enter_root
has_bench "$BENCH" || die "$BENCH is not a benchmark class in benchmarks.jar (list them: java -jar $JAR -l)"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) LIBDIR="linux-x64" ;;
  Linux-aarch64|Linux-arm64) LIBDIR="linux-arm64" ;;
  *) die "async-profiler's library is bundled for Linux x64 and arm64 only, not $(uname -s)-$(uname -m)" ;;
esac
AP_DIR="benchmarks/target/async-profiler"
LIB="$AP_DIR/$LIBDIR/libasyncProfiler.so"
if [[ ! -s "$LIB" ]]; then
  mkdir -p "$AP_DIR"
  M2JAR="$HOME/.m2/repository/tools/profiler/async-profiler/4.2/async-profiler-4.2.jar"
  if command -v unzip >/dev/null 2>&1; then
    run unzip -o -q "$JAR" "$LIBDIR/libasyncProfiler.so" -d "$AP_DIR" || { [[ -f "$M2JAR" ]] && run unzip -o -q "$M2JAR" "$LIBDIR/libasyncProfiler.so" -d "$AP_DIR"; } || true
  else
    (cd "$AP_DIR" && run jar xf "$ROOT/$JAR" "$LIBDIR/libasyncProfiler.so") || true
  fi
  [[ -s "$LIB" ]] || die "could not extract $LIBDIR/libasyncProfiler.so from $JAR or $M2JAR"
fi
LIB_ABS="$ROOT/$LIB"

# Folder name: the benchmark and its -p values.
PARAMS=""; prev=""
for a in "${EXTRA[@]}"; do
  if [[ "$prev" == "-p" ]]; then PARAMS+="${PARAMS:+_}${a//[^A-Za-z0-9=,._-]/}"; fi
  prev="$a"
done
PROFILE="$BENCH-${PARAMS:-default}"
PROFILE="${PROFILE//,/+}"

mapfile -t args < <(merge_jmh_args "-f 1 -wi 1 -w 1s -i 3 -r 1s" "${EXTRA[@]}")
plan_check "\\.${BENCH}\\." "${args[@]}" "${EXTRA[@]}"   # bad -p names or values stop here, before staging
NAME="$(new_run_name "flamegraph-$BENCH")"
stage_path "$NAME"
stage_begin
OUT="$STAGE/flamegraphs/$PROFILE"
mkdir -p "$OUT"
LASTCMD=""
profile() {
  local ev="$1"
  local cmd=(java -jar "$JAR" "\\.${BENCH}\\." "${args[@]}"
    -prof "async:libPath=$LIB_ABS;output=flamegraph,collapsed;event=$ev;dir=$ROOT/$OUT" "${EXTRA[@]}")
  LASTCMD="$(quote_cmd "${cmd[@]}")"
  run_logged "$STAGE/$BENCH-$ev.log" "$BENCH ($ev)" "$PLAN_EST" "${cmd[@]}"
}
found() { find "$OUT" -name "flame-$1-*.html" -size +1k | grep . >/dev/null; }

profile "$EVENT" || true
if ! found "$EVENT"; then
  if [[ "$EVENT" == "cpu" ]]; then
    note "no cpu flame graph was produced (perf events unavailable? /proc/sys/kernel/perf_event_paranoid = $(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null || echo '?')): retrying with event=itimer"
    EVENT="itimer"
    profile itimer || true
  fi
  found "$EVENT" || die "async-profiler produced no flame graph in $OUT (see the JMH output above)"
fi
# Which machine, JDK, commit and command produced these files.
write_env "$OUT/env.json" flamegraph "$BENCH" "event=$EVENT ${args[*]} ${EXTRA[*]:-}" "$LASTCMD"
if [[ $REFERENCE -eq 1 ]]; then
  # the committed profile is replaced only now, whole
  mkdir -p "$RESULTS/flamegraphs"
  rm -rf "$RESULTS/flamegraphs/$PROFILE"
  run mv "$OUT" "$RESULTS/flamegraphs/$PROFILE"
  stage_discard
  note "flame graphs ($EVENT), committed reference replaced:"
  find "$RESULTS/flamegraphs/$PROFILE" -name "flame-$EVENT-*.html" | sort >&2
  regenerate_report
else
  stage_finish
  note "flame graphs ($EVENT):"
  find "$(run_home)/$NAME" -name "flame-$EVENT-*.html" | sort >&2
  finish_report
fi
