#!/usr/bin/env bash
# Regenerates results/REPORT.md and results/plots/ from the JMH JSON under results/.
set -euo pipefail
SCRIPT="report.sh"
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'TXT'
Usage: scripts/report.sh [ReportMain options...]

Regenerates the claims report results/REPORT.md, the plots in results/plots/ and the README tables from
the reference: the run folders results/reference.txt lists (JMH JSON + env.json). Users' runs under
results/local/ are never read for it (each has its own REPORT.md, written by the script that made it).
The Markdown is deterministic: the same JSON gives the same bytes. Every input it skips (a folder not in
the reference, an unreadable JSON file, an INCOMPLETE run) is printed as one line. Builds benchmarks.jar
first if it is missing or stale. Runs:

  java -Djava.awt.headless=true -cp benchmarks/target/benchmarks.jar dev.gmpdefer.report.ReportMain \
       --results results --out results/REPORT.md

ReportMain options (passed through, paths relative to the repository root; they replace the defaults):
  --results DIR         results folder (default: results)
  --out FILE            report file (default: <results>/REPORT.md)
  --plots DIR           plots folder (default: plots/ beside the report)
  --no-plots            Markdown only
  --check               exit 1 if the report differs from what the JSON gives (writes nothing)
  --strict              exit 4 when any input was skipped
  --run DIR             write DIR/REPORT.md comparing one run folder (e.g. results/local/<name>) with the
                        reference instead
  --allocators FILE...  print the DeferAllocBench allocator table of JMH JSON files
Needs Java 17+; Maven 3.8+ only when the jar must be built.
TXT
}

for a in "$@"; do
  case "$a" in -h|--help) usage; exit 0 ;; esac
done
ensure_jar
enter_root  # paths in options are relative to the repository root
if [[ $# -eq 0 ]]; then
  regenerate_report
else
  run java -Djava.awt.headless=true -cp "$JAR" dev.gmpdefer.report.ReportMain "$@"
fi
