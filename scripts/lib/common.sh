# shellcheck shell=bash
# Shared helpers for the gmpdefer scripts; sourced, never run. Every script that sources it sets SCRIPT.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
RESULTS="$ROOT/results"
PROFILER_CLASS="dev.gmpdefer.bench.latency.SchedMetricsProfiler"
LATENCY_BENCHES=(ArticleGoschedBench FanoutBench PingPongHogBench StealLatencyBench PreemptLatencyBench DeferStarvationBench)

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
  "jmh": {"args": $(json_str "$args"), "commands": [$cmds]}
}
JSON
}

# Creates a staging folder results/tmp/<date>-<label>[-N] for a new run and prints its final name.
# The report never reads results/tmp/; the folder moves to results/<name> only when the run completes.
new_run_name() {
  local label="$1" day name n=1
  [[ "$label" =~ ^[A-Za-z0-9._-]+$ ]] || die "bad label '$label': use letters, digits, '.', '_' or '-'"
  day="$(date -u +%F)"
  name="$day-$label"
  while [[ -e "$RESULTS/$name" || -e "$RESULTS/tmp/$name" ]]; do n=$((n + 1)); name="$day-$label-$n"; done
  echo "$name"
}

# Regenerates results/REPORT.md and results/plots/.
regenerate_report() {
  run java -Djava.awt.headless=true -cp "$JAR" dev.gmpdefer.report.ReportMain --results "$RESULTS" \
    --out "$RESULTS/REPORT.md"
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
  mkdir -p "$STAGE"; echo "INCOMPLETE" >"$STAGE/INCOMPLETE"
}
stage_cleanup() {
  if [[ ${STAGE_DONE:-1} -eq 0 && -d "$STAGE" ]]; then
    echo "INCOMPLETE" >"$STAGE/INCOMPLETE"
    echo "$SCRIPT: INCOMPLETE: the run stopped early; partial results are in results/tmp/$STAGE_NAME/ (marked INCOMPLETE, not read by the report)" >&2
  fi
}
# Discards the staged folder (nothing worth keeping was run).
stage_discard() { rm -rf "$STAGE"; rmdir "$RESULTS/tmp" 2>/dev/null || true; STAGE_DONE=1; }
stage_finish() {
  rm -f "$STAGE/INCOMPLETE"
  run mv "$STAGE" "$RESULTS/$STAGE_NAME"
  rmdir "$RESULTS/tmp" 2>/dev/null || true
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
