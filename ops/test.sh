#!/usr/bin/env bash
# Runs every test of linerate (unit, golden, corpus conformance against tshark, real-traffic tests),
# after installing what they need. This is the README's test command and what CI runs.
#
# Every need of a test (the corpus, tshark, tcpdump, root, network namespaces) is a JUnit assumption,
# and Surefire counts a failed assumption as a skip, which passes the build. A suite that can go green
# by skipping proves nothing, so with CI=true any skipped test (failed assumption or @Disabled) fails
# the run, named with its reason. On a developer's machine (CI unset) skips stay skips and are listed.
set -euo pipefail
cd "$(dirname "$0")/.."
ops/setup.sh --test

# Only this run's reports count: Surefire leaves the reports of earlier runs (and of renamed tests) in
# target/, and a stale skip must neither fail this run nor hide behind it.
started=$(mktemp)
trap 'rm -f "$started"' EXIT

status=0
mvn -B -ntp verify "$@" || status=$?

# surefire-reports-fuzz: the bounded fuzzing run of each fuzz test (docs/fuzzing.md).
mapfile -t reports < <(find . -path '*/target/surefire-reports*/TEST-*.xml' -newer "$started" 2>/dev/null | sort)
skipped=""
if [ ${#reports[@]} -gt 0 ]; then
  skipped=$(python3 - "${reports[@]}" <<'EOF'
import sys
import xml.etree.ElementTree as ET

for report in sys.argv[1:]:
    for case in ET.parse(report).getroot().iter("testcase"):
        skip = case.find("skipped")
        if skip is not None:
            # The message when there is one, else the first line of the exception (no stack trace).
            reason = (skip.get("message") or skip.text or "").strip().split("\n")[0]
            reason = reason.removeprefix("org.opentest4j.TestAbortedException: ") or "no reason given"
            print(f"  {case.get('classname')}.{case.get('name')}: {reason}")
EOF
)
fi

if [ -n "$skipped" ]; then
  count=$(printf '%s\n' "$skipped" | wc -l)
  if [ "${CI:-}" = "true" ]; then
    echo "linerate tests: FAILED: $count test(s) skipped, and CI=true does not accept a skip:" >&2
    printf '%s\n' "$skipped" >&2
    echo "(install what they need with ops/setup.sh --test, or run as root)" >&2
    [ "$status" -ne 0 ] || status=1
  else
    echo "linerate tests: $count test(s) skipped (a failure when CI=true):" >&2
    printf '%s\n' "$skipped" >&2
  fi
fi
exit "$status"
