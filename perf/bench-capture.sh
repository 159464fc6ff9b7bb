#!/usr/bin/env bash
# Live capture measured: a sender in one network namespace replays a capture as fast as this machine
# allows (tcpreplay --topspeed) over a veth pair into a second namespace, where `linerate capture`
# and then, on the same traffic, `tcpdump -w /dev/null` listen. Prints what each took and what the
# kernel and linerate's ring dropped. Both namespaces and the veth pair are made here and removed at
# the end; no frame leaves them. Needs root.
#
#   perf/bench-capture.sh [--frames N] [--file PCAP] [-- LINERATE-ARGS...]
#
#   --frames N   frames sent each time (default 2000000)
#   --file PCAP  what is sent (default: the 64-byte capture perf/bench.sh generates, in
#                $TMPDIR/linerate-bench/64b.pcap, made here when missing)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
frames=2000000
file="${TMPDIR:-/tmp}/linerate-bench/64b.pcap"
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --frames) frames="$2"; shift 2 ;;
    --file) file="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-capture: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "bench-capture: needs root (network namespaces)" >&2; exit 2; }
"$here/ops/setup.sh" --bench >&2
"$here/linerate" --help >/dev/null
if [ ! -s "$file" ]; then
  (cd "$here" && mvn -B -q -ntp -pl perf -am package -DskipTests) >&2
  mkdir -p "$(dirname "$file")"
  java -cp "$here/perf/target/linerate-perf.jar" io.linerate.perf.generate.TrafficGenerator 64b \
    --frames "$frames" --flows 65536 --out "$file" >&2
fi

send=lr-bench-send
recv=lr-bench-recv
cleanup() { ip netns del "$send" 2>/dev/null || true; ip netns del "$recv" 2>/dev/null || true; }
trap cleanup EXIT
cleanup
ip netns add "$send"
ip netns add "$recv"
ip link add lrb0 netns "$send" type veth peer name lrb1 netns "$recv"
ip -n "$send" link set lrb0 up
ip -n "$recv" link set lrb1 up

# Sends the frames and prints tcpreplay's rate line.
send_frames() {
  ip netns exec "$send" tcpreplay --topspeed -L "$frames" -i lrb0 "$file" 2>&1 | grep -E "Rated:|Actual:" | tr -s ' '
}

# Starts a capturer in the receiving namespace, waits for it to be listening, sends, stops it.
measure() {
  local name="$1"; shift
  local log
  log=$(mktemp)
  ip netns exec "$recv" "$@" > "$log" 2>&1 &
  local pid=$!
  # Listening once it has said so (tcpdump: "listening on"; linerate: "capturing on" or its metrics line).
  for _ in $(seq 200); do
    grep -qiE "listening on|capturing|capture" "$log" && break
    sleep 0.05
  done
  sleep 1
  local rate
  rate=$(send_frames)
  sleep 1
  # SIGTERM: a background job of a non-interactive shell has SIGINT ignored.
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "== $name: sender $rate"
  grep -iE "captured|dropped|drops|received|frames" "$log" | head -8
  rm -f "$log"
}

echo "live capture, $(date -u +%Y-%m-%d), $(nproc) cores: $frames frames of $file sent with tcpreplay --topspeed over a veth"
measure "linerate capture" "$here/linerate" capture -i lrb1 --out summary --summary-rows 0 "${extra[@]}"
measure "tcpdump -w /dev/null" tcpdump -n -i lrb1 -w /dev/null
