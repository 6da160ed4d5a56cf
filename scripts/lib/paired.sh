# shellcheck shell=bash
# The paired mode of scripts/run.sh (issue 20): each latency workload as one block of the model's JMH class
# and realgo's same workload, with host fingerprints in the JVM and in Go at the block's start and end.
# Sourced by run.sh after lib/common.sh; uses run.sh's STAGE, SESSION, RG_RUNS and its -p arguments.

# The model's forks per workload in a paired session.
PAIRED_FORKS=4
# The realgo runs per cell by workload, sized by power (issue 22): ReportMain --power-plan writes this file.
PAIRED_PLAN="$(dirname "${BASH_SOURCE[0]}")/power-plan.tsv"

# paired_runs W: realgo's runs per cell for W: --realgo-runs, else the plan's, else 10.
paired_runs() {
  if [[ -n "$RG_RUNS" ]]; then echo "$RG_RUNS"; return; fi
  local n
  n="$(awk -F'\t' -v w="$1" '!/^#/ && $1 == w { print $2 }' "$PAIRED_PLAN" 2>/dev/null)"
  echo "${n:-10}"
}

# Builds realgo and its trace analyzer into a temporary folder (removed at exit).
paired_setup() {
  PAIRED_GO="$(find_go)"
  PAIRED_GOVER="$(go_version "$PAIRED_GO")"
  PAIRED_TMP="$(mktemp -d)"
  CLEANUP_DIR="$PAIRED_TMP"
  trap 'rm -rf "$PAIRED_TMP"' EXIT
  PAIRED_BIN="$PAIRED_TMP/realgo"
  run bash -c 'cd "$1" && "$2" build -o "$3" .' build "$ROOT/realgo" "$PAIRED_GO" "$PAIRED_BIN" >&2 \
    || die "building realgo/ failed (see above)"
  PAIRED_TRACE=()
  if build_tracewait "$PAIRED_TMP/tracewait" "$PAIRED_GO" >&2; then PAIRED_TRACE=(-trace-analyzer "$PAIRED_TMP/tracewait"); fi
  PAIRED_BLOCKS=()
  PAIRED_COMMANDS=()
  # realgo gets the -p values it has (the JMH args' -p name=v1[,v2...]: the first value)
  PAIRED_P=()
  local i a
  for ((i = 0; i < ${#EXTRA[@]}; i++)); do
    a="${EXTRA[i]}"
    if [[ "$a" == "-p" && $((i + 1)) -lt ${#EXTRA[@]} ]]; then
      PAIRED_P+=("${EXTRA[i+1]%%,*}")
    fi
  done
  note "paired session $SESSION: the model ($PAIRED_FORKS forks) and $PAIRED_GOVER ($PAIRED_GO), realgo runs per cell ${RG_RUNS:-from $(basename "$PAIRED_PLAN") (sized by power)}"
}

# One number of a fingerprint's JSON line, with two decimals.
fp_figure() { sed -nE 's/.*"'"$2"'":([0-9.]+).*/\1/p' <<<"$1" | awk '{ printf "%.2f", $1 }'; }

# paired_fingerprints W start|end: the JVM's and Go's fingerprints, one JSON line each, into fingerprints.jsonl.
paired_fingerprints() {
  local w="$1" when="$2" jvm go
  jvm="$(java -cp "$JAR" dev.gmpdefer.bench.Fingerprint --when "$when" --block "$w")" || die "the JVM fingerprint failed"
  go="$("$PAIRED_BIN" -fingerprint -when "$when" -block "$w")" || die "the Go fingerprint failed"
  printf '%s\n%s\n' "$jvm" "$go" >>"$STAGE/fingerprints.jsonl"
  note "fingerprint $w $when: memory $(fp_figure "$jvm" memNsPerLoad) (JVM) $(fp_figure "$go" memNsPerLoad) (Go) ns per load; xorshift $(fp_figure "$jvm" xorshiftNsPerStep) (JVM) $(fp_figure "$go" xorshiftNsPerStep) (Go) ns per step"
}

# paired_realgo W TAG: realgo's W, into the stage's .blocks/ (merged into realgo.json at the end).
paired_realgo() {
  local w="$1" tag="$2" p out runs
  runs="$(paired_runs "$w")"
  mkdir -p "$STAGE/.blocks"
  out="$STAGE/.blocks/realgo-$w.json"
  # only the -p names this workload has: realgo -check says which it lacks
  local keep=()
  for p in "${PAIRED_P[@]}"; do
    if "$PAIRED_BIN" -check -workloads "$w" -p "$p" 2>/dev/null; then keep+=(-p "$p"); fi
  done
  local cmd=("$PAIRED_BIN" -go "$PAIRED_GO" -workloads "$w" -runs "$runs" -costs=false -profile=false
    -fingerprints=false -session "$SESSION" -block "$w" "${PAIRED_TRACE[@]}" "${keep[@]}" -out "$out")
  PAIRED_COMMANDS+=("$(quote_cmd realgo -workloads "$w" -runs "$runs" -costs=false -profile=false -fingerprints=false \
    -session "$SESSION" -block "$w" ${PAIRED_TRACE[@]:+-trace-analyzer tracewait} "${keep[@]}") ($PAIRED_GOVER)")
  note "$tag realgo $w ($PAIRED_GOVER, $runs runs per cell)"
  if run "${cmd[@]}" 2> >(grep -E "left|error|panic" --line-buffered | sed -u "s|^|$SCRIPT: $tag |" >&2); then
    PAIRED_BLOCKS+=("$out")
  else
    note "$tag realgo $w FAILED"; return 1
  fi
}

# Merges the blocks' realgo documents and the fingerprints into the stage's realgo.json.
paired_merge() {
  [[ ${#PAIRED_BLOCKS[@]} -gt 0 ]] || { note "no realgo block finished"; return 1; }
  local list; list="$(IFS=,; echo "${PAIRED_BLOCKS[*]}")"
  run "$PAIRED_BIN" -merge "$list" -fingerprint-file "$STAGE/fingerprints.jsonl" -out "$STAGE/realgo.json" || return 1
  rm -rf "$STAGE/.blocks"
}
