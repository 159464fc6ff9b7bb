#!/usr/bin/env bash
# Runs every test of linerate (unit, golden, corpus conformance against tshark, real-traffic tests),
# after installing what they need. This is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
ops/setup.sh --test
exec mvn -B -ntp verify "$@"
