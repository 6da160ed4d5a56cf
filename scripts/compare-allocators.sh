#!/usr/bin/env bash
# Runs DeferAllocBench with the GC profiler and prints the allocator comparison next to Go's published figures.
set -euo pipefail
SCRIPT="compare-allocators.sh"
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'TXT'
Usage: scripts/compare-allocators.sh [--label NAME] [--reference] [JMH args...]

Runs DeferAllocBench with -prof gc into a new folder results/local/<YYYY-MM-DD>-<label>/ (git-ignored;
default label: allocators; staged in results/tmp/ until it completes), then prints a table: strategy, ns
per defer, bytes per defer (gc.alloc.rate.norm), ratio to the plain call (the benchmark's baseline
method), and Go's published figures (Go 1.12 heap ~50 ns; Go 1.13 stack record ~35 ns; Go 1.14 open-coded
5.6 ns vs 35.4 ns stack vs 4.4 ns plain call), and writes the folder's REPORT.md comparing it with the
committed reference. --reference makes it part of the reference instead (results/<name>/, listed in
results/reference.txt, results/REPORT.md and README regenerated). The table comes from:

  java -cp benchmarks/target/benchmarks.jar dev.gmpdefer.report.ReportMain --allocators FILE.json

JMH args are appended (and replace the script's defaults -f 1 -wi 2 -w 1s -i 5 -r 1s), e.g.
  scripts/compare-allocators.sh -p defersPerCall=1,8 -p layout=GO122_48
Needs Java 17+; Maven 3.8+ when benchmarks.jar must be built.
TXT
}

LABEL="allocators"
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --label) [[ $# -ge 2 ]] || die "--label needs a value"; LABEL="$2"; shift 2 ;;
    --reference) REFERENCE=1; shift ;;
    *) break ;;
  esac
done
EXTRA=("$@")
ensure_jar
enter_root
has_bench DeferAllocBench || die "DeferAllocBench is not in benchmarks.jar yet (issue 3); nothing to compare"

mapfile -t args < <(merge_jmh_args "-f 1 -wi 2 -w 1s -i 5 -r 1s" "${EXTRA[@]}")
plan_check '\.DeferAllocBench\.' "${args[@]}" "${EXTRA[@]}"   # bad -p names or values stop here, before staging
NAME="$(new_run_name "$LABEL")"
stage_path "$NAME"
note "DeferAllocBench, about $(fmt_dur "$PLAN_EST") (estimated for the 2-core reference machine); results into $(run_home)/$NAME/"
stage_begin

cmd=(java -jar "$JAR" '\.DeferAllocBench\.' "${args[@]}" -prof gc -rf json -rff "$STAGE/DeferAllocBench.json" "${EXTRA[@]}")
ETA_NEXT=0
run_logged "$STAGE/DeferAllocBench.log" "DeferAllocBench" "$PLAN_EST" "${cmd[@]}" \
  || die "DeferAllocBench failed (the last lines of $STAGE/DeferAllocBench.log say why)"
write_env "$STAGE/env.json" "allocators" "$LABEL" "${args[*]} -prof gc ${EXTRA[*]:-}" "$(quote_cmd "${cmd[@]}")"
stage_finish
echo
run java -cp "$JAR" dev.gmpdefer.report.ReportMain --allocators "$(run_home)/$NAME/DeferAllocBench.json"
echo
finish_report
