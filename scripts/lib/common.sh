# shellcheck shell=bash
# Shared helpers for the gmpdefer scripts; sourced, never run. Every script that sources it sets SCRIPT.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
RESULTS="$ROOT/results"
PROFILER_CLASS="dev.gmpdefer.bench.latency.SchedMetricsProfiler"
SUITE_FILE="$ROOT/benchmarks/src/main/resources/gmpdefer/suite.txt"
# The classes of one group of the suite (runq, defer, latency), from the one file that lists them.
suite_group() {
  awk -F'|' -v k="$1" '$0 !~ /^[[:space:]]*#/ && NF == 3 { g = $1; gsub(/[[:space:]]/, "", g); if (g == k) print $3 }' "$SUITE_FILE" \
    | tr -s ' ' '\n' | sed '/^$/d'
}
mapfile -t LATENCY_BENCHES < <(suite_group latency)
[[ ${#LATENCY_BENCHES[@]} -gt 0 ]] || { echo "gmpdefer scripts: no latency group in $SUITE_FILE" >&2; exit 2; }

die() { echo "$SCRIPT: error: $*" >&2; exit 2; }
note() { echo "$SCRIPT: $*" >&2; }

# Prints the exact command (shell-quoted), then runs it.
run() {
  local q; q="$(printf ' %q' "$@")"
  echo "+${q}" >&2
  "$@"
}

# Shell-quotes a command for the record (env.json, logs).
quote_cmd() { local q; q="$(printf ' %q' "$@")"; echo "${q# }"; }

need_java() {
  command -v java >/dev/null 2>&1 || die "java not found on PATH: install a JDK 17 or newer (e.g. apt-get install openjdk-17-jdk)"
  local line ver major
  line="$(java -version 2>&1 | sed -n 1p)"
  ver="$(sed -nE 's/.*version "([^"]+)".*/\1/p' <<<"$line")"
  [[ -n "$ver" ]] || die "cannot read the Java version from: $line"
  if [[ "$ver" == 1.* ]]; then major="$(cut -d. -f2 <<<"$ver")"; else major="${ver%%[.+-]*}"; fi
  [[ "$major" =~ ^[0-9]+$ && "$major" -ge 17 ]] || die "Java $ver is too old: need Java 17 or newer ($line)"
}

need_mvn() {
  command -v mvn >/dev/null 2>&1 || die "mvn not found on PATH: install Maven 3.8 or newer (needed to build benchmarks/target/benchmarks.jar)"
  local line ver maj min
  line="$(mvn -v 2>/dev/null | sed -n 1p | sed -E 's/\x1b\[[0-9;]*m//g')"
  ver="$(sed -nE 's/.*Apache Maven ([0-9]+\.[0-9]+)[^ ]*.*/\1/p' <<<"$line")"
  [[ -n "$ver" ]] || die "cannot read the Maven version from: $line"
  maj="${ver%%.*}"; min="${ver#*.}"
  if (( maj < 3 || (maj == 3 && min < 8) )); then die "Maven $ver is too old: need Maven 3.8 or newer"; fi
}

# Prints the Go toolchain to use: $GO, else go on PATH, else Debian's /usr/lib/go-1.*/bin/go or /usr/local/go;
# dies with how to install one when there is none, or when it is older than Go 1.17 (/sched/latencies).
find_go() {
  local g=""
  if [[ -n "${GO:-}" ]]; then
    [[ -x "$GO" ]] || die "GO=$GO is not an executable"
    g="$GO"
  elif command -v go >/dev/null 2>&1; then
    g="$(command -v go)"
  else
    local c
    for c in /usr/lib/go-1.*/bin/go /usr/local/go/bin/go; do [[ -x "$c" ]] && { g="$c"; break; }; done
  fi
  [[ -n "$g" ]] || die "Go not found: install it (e.g. apt-get install golang-1.19-go) or set GO=/path/to/go"
  local ver minor
  ver="$(go_version "$g")"
  minor="$(sed -nE 's/.*go1\.([0-9]+).*/\1/p' <<<"$ver")"
  [[ "$minor" =~ ^[0-9]+$ && "$minor" -ge 17 ]] || die "$ver is too old: need Go 1.17 or newer for /sched/latencies"
  echo "$g"
}

# Prints a Go toolchain of at least 1.<minor> (the one given first, else $GO, go on PATH, /usr/local/go,
# Debian's /usr/lib/go-1.*), or nothing when there is none: realgo/tracewait needs Go 1.26 to build.
find_go_min() {
  local want="$1" c m; shift
  for c in "$@" "${GO:-}" "$(command -v go 2>/dev/null || true)" /usr/local/go/bin/go /usr/lib/go-1.*/bin/go; do
    [[ -n "$c" && -x "$c" ]] || continue
    m="$(go_version "$c" | sed -nE 's/.*go1\.([0-9]+).*/\1/p')"
    [[ "$m" =~ ^[0-9]+$ && "$m" -ge "$want" ]] && { echo "$c"; return 0; }
  done
  return 0
}

# Builds realgo/tracewait (the trace analyzer) into $1 with a Go >= 1.26; prints a note and returns 1
# when there is none.
build_tracewait() {
  local out="$1" g; g="$(find_go_min 26 "${2:-}")"
  if [[ -z "$g" ]]; then
    note "no Go 1.26 or newer for realgo/tracewait: no traced runs (no waitByCause)"; return 1
  fi
  run bash -c 'cd "$1" && GOEXPERIMENT= "$2" build -o "$3" .' build "$ROOT/realgo/tracewait" "$g" "$out"
}

# The version of a Go toolchain ("go1.19.8").
go_version() { "$1" env GOVERSION 2>/dev/null || "$1" version; }

# True when the jar is missing or older than any pom or main source.
jar_stale() {
  [[ -f "$JAR" ]] || return 0
  local newer
  newer="$(find "$ROOT/pom.xml" "$ROOT/model/pom.xml" "$ROOT/benchmarks/pom.xml" "$ROOT/model/src/main" \
    "$ROOT/benchmarks/src/main" -type f -newer "$JAR" -print -quit 2>/dev/null || true)"
  [[ -n "$newer" ]]
}

# Builds benchmarks.jar when it is missing or stale. MVN_FLAGS (e.g. "-o") is passed to Maven.
ensure_jar() {
  need_java
  if jar_stale; then
    need_mvn
    note "benchmarks.jar is missing or older than the sources: building it"
    # shellcheck disable=SC2086
    (cd "$ROOT" && run mvn -B -q ${MVN_FLAGS:-} package -DskipTests) || die "the build failed (see above)"
  fi
  [[ -f "$JAR" ]] || die "$JAR was not built"
}

# Whether the jar holds a class (path form: dev/gmpdefer/.../X.class).
jar_has_entry() {
  if command -v unzip >/dev/null 2>&1; then
    # not grep -q: it would exit early, unzip would get SIGPIPE and pipefail would report a miss
    unzip -Z1 "$JAR" 2>/dev/null | grep -xF "$1" >/dev/null
  else
    jar tf "$JAR" | grep -xF "$1" >/dev/null
  fi
}

has_profiler() { jar_has_entry "${PROFILER_CLASS//.//}.class"; }

# The benchmark list of the jar (FQCN.method per line), cached.
BENCH_LIST=""
bench_list() {
  if [[ -z "$BENCH_LIST" ]]; then
    BENCH_LIST="$(java -jar "$JAR" -l 2>/dev/null | grep -E '^[a-zA-Z_$][a-zA-Z0-9_$.]*\.[a-zA-Z_$][a-zA-Z0-9_$]*$' || true)"
  fi
  printf '%s\n' "$BENCH_LIST"
}

# Whether a benchmark class (simple name) is in the jar.
has_bench() { bench_list | grep -E "\.$1\.[^.]+$" >/dev/null; }

is_latency() { local b; for b in "${LATENCY_BENCHES[@]}"; do [[ "$b" == "$1" ]] && return 0; done; return 1; }

json_str() {
  local s="$1"
  s="${s//\\/\\\\}"; s="${s//\"/\\\"}"; s="${s//$'\n'/\\n}"; s="${s//$'\r'/}"; s="${s//$'\t'/\\t}"
  printf '"%s"' "$s"
}

# Writes env.json describing this machine, the JDK, the git commit and the JMH commands to $1.
# Args: file mode label "jmh args" command...
write_env() {
  local file="$1" mode="$2" label="$3" args="$4"; shift 4
  local commit dirty cpu mem kernel cmds="" c
  # the tree the run started from (enter_root), not the one at its end: commits made during a long run
  # must not be credited with its results
  [[ -n "${GIT_COMMIT:-}" ]] || git_snapshot
  commit="$GIT_COMMIT"; dirty="$GIT_DIRTY"
  cpu="$(sed -nE 's/^model name[[:space:]]*:[[:space:]]*(.*)$/\1/p' /proc/cpuinfo 2>/dev/null | sed -n 1p)"
  mem="$(sed -nE 's/^MemTotal:[[:space:]]*([0-9]+).*/\1/p' /proc/meminfo 2>/dev/null)"
  kernel="$(uname -r)"
  for c in "$@"; do cmds+="${cmds:+, }$(json_str "$c")"; done
  # ENV_DURATIONS: '"Class": seconds, ...' when the script timed its classes
  local durations=""
  if [[ -n "${ENV_DURATIONS:-}" ]]; then durations=$',\n  "durationsS": {'"$ENV_DURATIONS"'}'; fi
  # ENV_EXTRA: more '"key": value' pairs (scripts/run.sh paired: the session id, Go, the fingerprints)
  if [[ -n "${ENV_EXTRA:-}" ]]; then durations+=$',\n  '"$ENV_EXTRA"; fi
  cat >"$file" <<JSON
{
  "schema": 1,
  "mode": $(json_str "$mode"),
  "label": $(json_str "$label"),
  "date": $(json_str "$(date -u +%Y-%m-%dT%H:%M:%SZ)"),
  "complete": true,
  "git": {"commit": $(json_str "$commit"), "dirty": $dirty},
  "machine": {"nproc": $(nproc), "cpuModel": $(json_str "${cpu:-unknown}"), "memTotalKiB": ${mem:-0}, "kernel": $(json_str "$kernel"), "arch": $(json_str "$(uname -m)")},
  "jdk": {"version": $(json_str "$(java -version 2>&1)"), "javaHome": $(json_str "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")},
  "jmh": {"args": $(json_str "$args"), "commands": [$cmds]}$durations
}
JSON
}

# Where a run goes. A user's run goes to results/local/<name>/ (git-ignored): it never changes a tracked
# file, and its own report compares it with the committed reference. With --reference (REFERENCE=1) it goes
# to results/<name>/, is added to results/reference.txt, and results/REPORT.md and the README tables are
# regenerated: the only way tracked files change.
REFERENCE=0
MANIFEST_NAME="reference.txt"
run_home() { if [[ $REFERENCE -eq 1 ]]; then echo "$RESULTS"; else echo "$RESULTS/local"; fi; }

# Prints a free name <date>-<label>[-N] for a new run (checked against the reference, local and staging).
new_run_name() {
  local label="$1" day name n=1
  [[ "$label" =~ ^[A-Za-z0-9._-]+$ ]] || die "bad label '$label': use letters, digits, '.', '_' or '-'"
  day="$(date -u +%F)"
  name="$day-$label"
  while [[ -e "$RESULTS/$name" || -e "$RESULTS/local/$name" || -e "$RESULTS/tmp/$name" ]]; do
    n=$((n + 1)); name="$day-$label-$n"
  done
  echo "$name"
}

# Regenerates results/REPORT.md, results/plots/ and the README tables from the reference.
regenerate_report() {
  run java -Djava.awt.headless=true -cp "$JAR" dev.gmpdefer.report.ReportMain --results "$RESULTS" \
    --out "$RESULTS/REPORT.md"
}

# After a run has moved into place: a reference run regenerates the committed report; a user's run gets its
# own report, results/local/<name>/REPORT.md, comparing it with the reference, and the path is printed last.
finish_report() {
  if [[ $REFERENCE -eq 1 ]]; then
    regenerate_report
    note "reference updated: results/$STAGE_NAME/ is listed in results/$MANIFEST_NAME; commit it with results/REPORT.md and README.md"
  else
    run java -Djava.awt.headless=true -cp "$JAR" dev.gmpdefer.report.ReportMain --results "$RESULTS" \
      --run "$(run_home)/$STAGE_NAME" || die "the comparison report failed (see above); the run is in $(run_home)/$STAGE_NAME/"
    local logs=""
    if compgen -G "$(run_home)/$STAGE_NAME/*.log" >/dev/null; then logs=" (JMH's full output in its *.log files)"; fi
    note "done: your run is in $(run_home)/$STAGE_NAME/$logs"
    note "your report, this machine vs the reference: $(run_home)/$STAGE_NAME/REPORT.md"
  fi
}

# Checks a benchmark's JMH arguments before anything is staged (unknown -p names, bad values, no match):
# one clear line and exit 2 on a problem. Sets PLAN_EST (estimated seconds) and PLAN_PARAMS (the -p
# names the selected benchmarks take, comma-separated), from benchmarks.jar --plan.
plan_check() {
  local out rc=0
  out="$(java -jar "$JAR" "$@" --plan 2>&1)" || rc=$?
  if [[ $rc -ne 0 ]]; then
    die "$(grep -m1 -E '^benchmarks.jar: ' <<<"$out" | sed -E 's/^benchmarks.jar: //' || echo "$out")"
  fi
  PLAN_EST="$(sed -nE 's/.*estimate_s=([0-9]+).*/\1/p' <<<"$out" | tail -n 1)"
  PLAN_PARAMS="$(sed -nE 's/.*params=([A-Za-z0-9_,]*)\).*/\1/p' <<<"$out" | tail -n 1)"
}

# The -p names among JMH args, one per line.
param_names() {
  local prev="" a
  for a in "$@"; do [[ "$prev" == "-p" ]] && echo "${a%%=*}"; prev="$a"; done
}

# Prints (one per line) the JMH args minus the "-p NAME=..." pairs whose NAME is not in the comma-separated
# list $1: a suite-wide -p goes only to the classes that have that parameter.
keep_params() {
  local names=",$1," prev="" a
  shift
  local -a out=()
  for a in "$@"; do
    if [[ "$a" == "-p" ]]; then prev="-p"; continue; fi
    if [[ "$prev" == "-p" ]]; then
      prev=""
      [[ "$names" == *",${a%%=*},"* ]] && out+=(-p "$a")
      continue
    fi
    out+=("$a")
  done
  [[ ${#out[@]} -eq 0 ]] || printf '%s\n' "${out[@]}"
}

# "1h02m", "3m20s", "45s".
fmt_dur() {
  local s=$1
  if (( s >= 3600 )); then printf '%dh%02dm' $((s / 3600)) $((s % 3600 / 60));
  elif (( s >= 60 )); then printf '%dm%02ds' $((s / 60)) $((s % 60));
  else printf '%ds' "$s"; fi
}

# Overall progress across the benchmark classes of one script run: ETA_TOTAL is the sum of the estimates,
# ETA_DONE_EST / ETA_DONE_S the estimates and the real seconds of the classes done, ETA_NEXT the estimates of
# the classes still to come (after the current one). The remaining time scales the estimates by how the
# finished classes compared with theirs.
ETA_DONE_EST=0; ETA_DONE_S=0; ETA_NEXT=0
eta_left() {
  local current_left="$1" scale_num=1 scale_den=1
  if (( ETA_DONE_EST > 0 && ETA_DONE_S > 0 )); then scale_num=$ETA_DONE_S; scale_den=$ETA_DONE_EST; fi
  echo $(( current_left + ETA_NEXT * scale_num / scale_den ))
}

# Runs one JMH command with its whole output appended to LOG; the console shows what matters: the
# parameters of each configuration as it starts, JMH's progress turned into an overall ETA, warnings and
# errors. Args: LOG TAG EST_S cmd... (TAG like "[3/8] PingPongHogBench"). Returns the command's status.
run_logged() {
  local log="$1" tag="$2" est="$3"; shift 3
  local start line pct jleft left params="" rc
  start=$(date +%s)
  echo "+$(printf ' %q' "$@")" >>"$log"
  echo "+$(printf ' %q' "$@")" >&2
  set +e
  "$@" 2>&1 | while IFS= read -r line; do
    printf '%s\n' "$line" >>"$log"
    case "$line" in
      "# Parameters: "*) params="${line#\# Parameters: }" ;;
      "# Run progress: "*)
        pct="$(sed -nE 's/^# Run progress: ([0-9.]+)% complete.*/\1/p' <<<"$line")"
        jleft="$(sed -nE 's/.*ETA ([0-9]+):([0-9]+):([0-9]+).*/\1 \2 \3/p' <<<"$line")"
        if [[ -n "$jleft" && "${pct%%.*}" != "0" ]]; then  # JMH's ETA means nothing before the first result
          read -r h m s <<<"$jleft"; jleft=$((10#$h * 3600 + 10#$m * 60 + 10#$s))
        else
          jleft=$(( est - ($(date +%s) - start) )); (( jleft < 0 )) && jleft=0
        fi
        left="$(eta_left "$jleft")"
        echo "$SCRIPT: $tag ${pct%.*}% of this class; about $(fmt_dur "$left") left in all${params:+ (now: $params)}" >&2
        ;;
      "benchmarks.jar: plan: "*) ;;
      *"<failure>"*|*"<forked VM failed"*|benchmarks.jar:*|*WARNING*|*"Exception"*|*"ERROR"*|*"Error:"*)
        echo "$SCRIPT: $tag | $line" >&2 ;;
    esac
  done
  rc=${PIPESTATUS[0]}
  set -e
  ETA_DONE_EST=$((ETA_DONE_EST + est)); ETA_DONE_S=$((ETA_DONE_S + $(date +%s) - start))
  return "$rc"
}

# Merges JMH options: prints (one per line) the script's defaults "$1" (a string of option/value pairs)
# minus the options the user gives in the remaining args, so that the user's value wins (JMH rejects a
# repeated option). -p overrides per parameter name; -prof never overrides (it may repeat).
merge_jmh_args() {
  local defaults="$1"; shift
  local -a d; read -r -a d <<<"$defaults"
  local -A user_opt=() user_param=()
  local a prev=""
  for a in "$@"; do
    if [[ "$prev" == "-p" ]]; then user_param["${a%%=*}"]=1; fi
    if [[ "$a" == -* && "$a" != "-prof" ]]; then user_opt["$a"]=1; fi
    prev="$a"
  done
  local i=0 n=${#d[@]}
  while (( i < n )); do
    local opt="${d[i]}" val="${d[i+1]:-}"
    if [[ "$opt" == "-p" ]]; then
      [[ -n "${user_param[${val%%=*}]:-}" ]] || printf '%s\n%s\n' "$opt" "$val"
    elif [[ "$opt" == "-prof" || -z "${user_opt[$opt]:-}" ]]; then
      printf '%s\n%s\n' "$opt" "$val"
    fi
    i=$((i + 2))
  done
}

# Works from the repository root with relative paths, so recorded commands do not name this machine's folders.
# A run folder is staged in results/tmp/<name>/ with an INCOMPLETE marker until stage_finish moves it to
# results/<name>/; a script that stops before that leaves it marked and says so (the report skips it).
# stage_path NAME sets STAGE and STAGE_NAME; stage_begin creates the folder and arms the exit trap.
stage_path() { STAGE_NAME="$1"; STAGE="$RESULTS/tmp/$1"; }
stage_begin() {
  STAGE_DONE=0
  trap stage_cleanup EXIT
  # Ctrl-C or a kill stops the whole script (not only the JMH process in the pipeline), leaving the stage
  # marked INCOMPLETE; without this, bash would go on with the next class after the pipeline ends.
  trap 'echo "$SCRIPT: interrupted" >&2; exit 130' INT TERM
  mkdir -p "$STAGE"; echo "INCOMPLETE" >"$STAGE/INCOMPLETE"
}
stage_cleanup() {
  if [[ -n "${CLEANUP_DIR:-}" ]]; then rm -rf "$CLEANUP_DIR"; fi
  if [[ ${STAGE_DONE:-1} -eq 0 && -d "$STAGE" ]]; then
    echo "INCOMPLETE" >"$STAGE/INCOMPLETE"
    echo "$SCRIPT: INCOMPLETE: the run stopped early; partial results are in results/tmp/$STAGE_NAME/ (marked INCOMPLETE, not read by the report)" >&2
  fi
}
# Discards the staged folder (nothing worth keeping was run).
stage_discard() { rm -rf "$STAGE"; rmdir "$RESULTS/tmp" 2>/dev/null || true; STAGE_DONE=1; }
# Moves the completed run into place: results/local/<name>/, or with --reference results/<name>/ and a line
# in results/reference.txt.
stage_finish() {
  rm -f "$STAGE/INCOMPLETE"
  mkdir -p "$(run_home)"
  run mv "$STAGE" "$(run_home)/$STAGE_NAME"
  rmdir "$RESULTS/tmp" 2>/dev/null || true
  if [[ $REFERENCE -eq 1 ]]; then echo "$STAGE_NAME" >>"$RESULTS/$MANIFEST_NAME"; fi
  STAGE_DONE=1
}

# Sets GIT_COMMIT and GIT_DIRTY (true when tracked files differ from the commit) for env.json.
git_snapshot() {
  GIT_COMMIT="$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)"
  GIT_DIRTY="false"
  if [[ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then GIT_DIRTY="true"; fi
}

enter_root() {
  cd "$ROOT"
  git_snapshot
  JAR="benchmarks/target/benchmarks.jar"
  RESULTS="results"
}
