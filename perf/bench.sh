#!/usr/bin/env bash
# The side-by-side benchmark: generates the captures, then on each one times whole processes, best of
# --runs with the page cache warm: `./linerate replay FILE --out jsonl:OUT` (records written to a
# file) and, in the same run on the same file, cat, tcpdump's filter-only pass, tcptrace and tshark.
# Prints packets/s, Gbit/s of frame bytes and the ratios (peer time / linerate time: > 1 means
# linerate is faster). Benchmarks print numbers; they never fail on them.
#
#   perf/bench.sh [--dir DIR] [--runs N] [--frames N] [--captures LIST] [--peer-frames N]
#                 [--java-opts "..."] [-- LINERATE-ARGS...]
#
#   --dir DIR          where captures and outputs go (default: $TMPDIR/linerate-bench); captures that
#                      are there already are reused
#   --runs N           timed runs of linerate, cat and tcpdump each (default 3); tcptrace and tshark once
#   --frames N         frames of the 64b and imix captures (default 10000000)
#   --captures LIST    comma-separated, of: 64b, churn, imix, realistic (default: all four)
#   --peer-frames N    tshark and tcptrace read only the first N frames when the capture is larger
#                      (default 1000000): their rate on that prefix is compared with linerate's on the
#                      whole file. 0 gives them the whole file.
#   --java-opts "..."  LINERATE_JAVA_OPTS for linerate's runs (default: the launcher's)
#   -- ARGS            more arguments for every `linerate replay` (e.g. -- --shards 2)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
dir="${TMPDIR:-/tmp}/linerate-bench"
runs=3
frames=10000000
captures="64b,churn,imix,realistic"
peer_frames=1000000
java_opts=""
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --frames) frames="$2"; shift 2 ;;
    --captures) captures="$2"; shift 2 ;;
    --peer-frames) peer_frames="$2"; shift 2 ;;
    --java-opts) java_opts="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

"$here/ops/setup.sh" --bench >&2
mkdir -p "$dir"
# The launcher builds its jar when a source is newer; the perf jar carries the generator.
"$here/linerate" --help >/dev/null
(cd "$here" && mvn -B -q -ntp -pl perf -am package -DskipTests) >&2
perf_jar="$here/perf/target/linerate-perf.jar"

generate() {
  local name="$1" file="$dir/$1.pcap"
  [ -s "$file" ] && return 0
  local args
  case "$name" in
    64b) args=(64b --frames "$frames" --flows 65536) ;;
    imix) args=(imix --frames "$frames" --flows 65536) ;;
    # 250,000 connections opened at 40,000 a second, 60-byte packets (small segments, delayed ACKs),
    # 1% retransmitted, 3% unanswered, 2% refused, FIN teardowns: connection churn.
    churn) args=(tcp --connections 250000 --rate 40000 --refused 5000 --unanswered 7500 --retransmitted 2500
                 --mss 6 --request-bytes 6-36 --response-bytes 6-200) ;;
    # perf/RESULTS.md's realistic TCP capture: 1.1 M flows.
    realistic) args=(tcp --connections 1000000 --refused 20000 --unanswered 20000 --rst-close 50000
                     --retransmitted 20000 --syn-retried 20000 --udp-flows 100000 --request-bytes 100-600
                     --response-bytes 200-2000 --rate 50000 --clients 200000) ;;
    *) echo "bench: unknown capture $name" >&2; exit 2 ;;
  esac
  echo "bench: generating $file" >&2
  java -cp "$perf_jar" io.linerate.perf.generate.TrafficGenerator "${args[@]}" --out "$file" >&2
}

# Frames and frame bytes (original lengths) of a classic little-endian pcap, read from its headers.
count() {
  python3 - "$1" <<'EOF'
import struct, sys
with open(sys.argv[1], 'rb') as f:
    f.read(24)
    frames = size = 0
    while True:
        h = f.read(16)
        if len(h) < 16:
            break
        _, _, incl, orig = struct.unpack('<IIII', h)
        f.seek(incl, 1)
        frames += 1
        size += orig
print(frames, size)
EOF
}

# Best wall time of N runs of a command, seconds (its output discarded).
best_of() {
  local n="$1"; shift
  local best="" t
  for _ in $(seq "$n"); do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best="$t"; fi
  done
  printf '%.3f' "$best"
}

linerate_run() { LINERATE_JAVA_OPTS="${java_opts:-${LINERATE_JAVA_OPTS:-}}" "$here/linerate" replay "$1" --out "jsonl:$dir/out.jsonl" "${extra[@]}"; }
cat_run() { cat "$1" > /dev/null; }
tcpdump_run() { tcpdump -r "$1" -w /dev/null 'tcp[tcpflags] & tcp-rst != 0'; }
tcptrace_run() { tcptrace -n -l "$1"; }
tshark_run() { tshark -n -q -r "$1" -z conv,tcp; }

printf '%s\n' "linerate bench, $(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1)" \
  "linerate replay ... --out jsonl:FILE ${extra[*]:-}; best of $runs (tcptrace, tshark: 1 run); page cache warm"
IFS=',' read -r -a names <<< "$captures"
for name in "${names[@]}"; do
  generate "$name"
  file="$dir/$name.pcap"
  read -r n bytes < <(count "$file")
  cat "$file" > /dev/null
  peer="$file"
  peer_n="$n"
  if [ "$peer_frames" -gt 0 ] && [ "$n" -gt "$peer_frames" ]; then
    peer="$dir/$name.prefix.pcap"
    [ -s "$peer" ] || tcpdump -r "$file" -w "$peer" -c "$peer_frames" 2>/dev/null
    peer_n="$peer_frames"
  fi
  linerate_s=$(best_of "$runs" linerate_run "$file")
  cat_s=$(best_of "$runs" cat_run "$file")
  tcpdump_s=$(best_of "$runs" tcpdump_run "$file")
  tcptrace_s=$(best_of 1 tcptrace_run "$peer")
  tshark_s=$(best_of 1 tshark_run "$peer")
  echo
  echo "$name: $n frames, $bytes bytes of frames ($(echo "scale=1; $bytes / $n" | bc -l) B avg)$( [ "$peer" != "$file" ] && echo "; tcptrace and tshark on the first $peer_n")"
  printf '%-10s %10s %10s %10s %14s\n' tool seconds Mpps Gbit/s "vs linerate"
  lr_rate=$(echo "$n / $linerate_s" | bc -l)
  for tool in linerate cat tcpdump tcptrace tshark; do
    s_var="${tool}_s"; s="${!s_var}"
    frames_here="$n"; bytes_here="$bytes"
    if [ "$tool" = tcptrace ] || [ "$tool" = tshark ]; then
      frames_here="$peer_n"; bytes_here=$(echo "$bytes * $peer_n / $n" | bc -l)
    fi
    rate=$(echo "$frames_here / $s" | bc -l)
    gbit=$(echo "$bytes_here * 8 / $s / 1000000000" | bc -l)
    # How many times faster linerate is: its packet rate over the peer's.
    ratio=$(echo "$lr_rate / $rate" | bc -l)
    printf '%-10s %10s %10.2f %10.2f %13.2fx\n' "$tool" "$s" "$(echo "$rate / 1000000" | bc -l)" "$gbit" "$ratio"
  done
done
