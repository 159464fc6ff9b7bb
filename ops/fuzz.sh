#!/usr/bin/env bash
# Fuzzes linerate's readers, decoders and shards with Jazzer for as long as asked, one fuzz test at a
# time (Jazzer fuzzes one per JVM). The build itself fuzzes each for 10 s (docs/fuzzing.md); this is
# the long run.
#
#   ops/fuzz.sh [SECONDS] [TEST...]   SECONDS per test (default 600); TEST a *FuzzTest class name,
#                                     every one when none is given
#
# Each test starts from its committed inputs (src/test/resources/<package>/<Test>Inputs/<method>) and
# from what earlier runs found interesting (<module>/.cifuzz-corpus, not committed). A finding stops
# that test: the input is written next to the committed inputs as crash-<sha1>, the test fails, and
# the script goes on with the next test and exits 1 at the end. Commit the input with its fix.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
[ $# -gt 0 ] && shift
case "$seconds" in
  ''|*[!0-9]*) echo "usage: $0 [SECONDS] [TEST...]" >&2; exit 2 ;;
esac

mapfile -t all < <(find . -path '*/src/test/java/*' -name '*FuzzTest.java' -not -path './target/*' | sort)
if [ $# -gt 0 ]; then tests=("$@"); else tests=(); for f in "${all[@]}"; do tests+=("$(basename "$f" .java)"); done; fi

failed=()
for test in "${tests[@]}"; do
  file=""
  for f in "${all[@]}"; do [ "$(basename "$f" .java)" = "$test" ] && file="$f"; done
  if [ -z "$file" ]; then echo "no fuzz test $test" >&2; exit 2; fi
  module="${file#./}"
  module="${module%%/*}"
  echo "fuzzing $test ($module) for $seconds s" >&2
  # The regression run of the test comes first (default execution), then the fuzzing (fuzz execution).
  if ! mvn -B -q -ntp -pl "$module" -am test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
      -Dfuzz.seconds="$seconds" -Dfuzz.fork.timeout=$((seconds + 600)); then
    failed+=("$test")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found something in: ${failed[*]} (inputs written under src/test/resources)" >&2
  exit 1
fi
echo "fuzzing: ${#tests[@]} test(s), $seconds s each, nothing found" >&2
