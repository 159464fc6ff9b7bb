#!/usr/bin/env bash
# Installs what linerate needs on a Debian 12 machine, only what is missing.
#   ops/setup.sh          to build and run: a JDK (17+), Maven, libpcap
#   ops/setup.sh --test   also what the tests use: tshark, tcpdump, iproute2, iptables, procps (sysctl),
#                         python3, curl, openssl, and the compressors whose files linerate reads (gzip,
#                         zstd, lz4, xz-utils, bzip2); util-linux's setpriv drops root's file capabilities;
#                         chromium opens the --report page headless (ReportPageTest); script gives
#                         linerate a pseudo-terminal (ProgressLineTest); systemd-analyze checks the unit;
#                         tmux runs linerate top and reads its screen (TopCommandTest);
#                         man renders the manual page and the installed package (ManPageTest,
#                         DebianPackageTest, which also uses dpkg and util-linux's unshare)
#   ops/setup.sh --bench  also what perf/bench.sh and perf/bench-capture.sh compare with and use:
#                         tshark, tcpdump, tcptrace, tcpreplay, iproute2, python3, bc
set -euo pipefail

want=()
need() { dpkg -s "$1" >/dev/null 2>&1 || want+=("$1"); }

command -v javac >/dev/null 2>&1 || need openjdk-17-jdk-headless
command -v mvn >/dev/null 2>&1 || need maven
need libpcap0.8
# A command and the Debian package that brings it.
tool() { command -v "$1" >/dev/null 2>&1 || need "$2"; }
case "${1:-}" in
  --test|--bench)
    tool tshark tshark; tool tcpdump tcpdump; tool ip iproute2; tool python3 python3 ;;
esac
if [ "${1:-}" = "--test" ]; then
  tool iptables iptables; tool sysctl procps; tool curl curl; tool openssl openssl
  tool gzip gzip; tool zstd zstd; tool lz4 lz4; tool xz xz-utils; tool bzip2 bzip2; tool setpriv util-linux
  tool chromium chromium; tool script bsdutils; tool systemd-analyze systemd; tool tmux tmux; tool man man-db
  tool unshare util-linux
fi
if [ "${1:-}" = "--bench" ]; then
  tool tcptrace tcptrace; tool tcpreplay tcpreplay; tool bc bc
fi

if [ ${#want[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "linerate setup: missing packages: ${want[*]} (run as root, or install them)" >&2
    exit 1
  fi
  echo "linerate setup: installing ${want[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
fi
