#!/usr/bin/env bash
# tests/tools/test_pfcount.sh - pfcount end to end: options, errors, and exact counts of
# fixtures replayed through simulated NICs (sim:). Run from the repository root by
# `make tools-test` (part of `make test`). Prints one closing line:
#   tools: N passed, N failed
# The sim-dependent cases are skipped, with the reason printed, only when pfring_open()
# itself says the sim: backend is not built yet.
set -euo pipefail

PFCOUNT=${PFCOUNT:-build/tools/pfcount}
FIX=tests/fixtures
. "$(dirname "$0")/harness.sh"

# The final summary's numbers (thousands separators removed).
final_block() { sed -n '/^Final Stats/,$p' "$1"; }
final_total() {
	final_block "$1" | sed -n 's/^Absolute Stats: \[\([0-9,]*\) pkts rcvd\].*/\1/p' | tr -d , | tail -n 1
}
final_threads() {
	final_block "$1" | sed -n 's/^Absolute Stats: \[thread [0-9]*\]\[\([0-9,]*\) pkts rcvd\].*/\1/p' | tr -d ,
}
final_counted() {
	final_block "$1" | sed -n 's/^\([0-9,]*\) pkts - .*/\1/p' | tr -d , | tail -n 1
}

# Frames in a capture, and the TCP ones, counted by scapy (independent of pfring).
pcap_count() {
	/usr/bin/python3 - "$1" "$2" <<'EOF'
import sys
from scapy.all import rdpcap, TCP
pkts = rdpcap(sys.argv[1])
print(len(pkts) if sys.argv[2] == "all" else sum(1 for p in pkts if p.haslayer(TCP)))
EOF
}

# ----------------------------------------------------------------- without a device
if [ ! -x "$PFCOUNT" ]; then
	echo "test_pfcount: $PFCOUNT is not built (make tools)" >&2
	echo "tools: 0 passed, 1 failed"
	exit 1
fi

run help "$PFCOUNT" -h
if [ "$rc" -eq 0 ] && grep -q '^Usage: pfcount' "$TMP/help.log" &&
   grep -q -- '-q <secs>' "$TMP/help.log"; then
	pass "help: -h exits 0 and prints the usage"
else
	fail "help: -h exits 0 and prints the usage" "exit $rc" "$TMP/help.log"
fi

expect_error "bad option -x" "unknown option -x" "$PFCOUNT" -x
expect_error "missing argument to -i" "option -i needs an argument" "$PFCOUNT" -i
expect_error "bad number -n 0" "-n: '0' is not a number in 1\.\.64" "$PFCOUNT" -n 0
expect_error "bad cluster type -b" "-b: unknown cluster type 'bogus'" "$PFCOUNT" -b bogus
expect_error "stray argument" "unexpected argument 'extra'" "$PFCOUNT" -i sim:x extra
expect_error "unknown device prefix" 'unknown module prefix "nosuch:"' "$PFCOUNT" -i nosuch:eth0 -q 1
expect_error "unknown device: pfcount's message" 'pfcount: pfring_open\(nosuch:eth0\) failed' \
	"$PFCOUNT" -i nosuch:eth0 -q 1

# ----------------------------------------------------------------- through sim:
run probe "$PFCOUNT" -i "sim:probe?pcap=$FIX/ipv4_tcp.pcap" -q 1
if grep -q 'sim:) is not built yet' "$TMP/probe.log"; then
	reason=$(grep -m1 'not built yet' "$TMP/probe.log")
	echo "SKIP  every sim: case below: pfring_open says: $reason"
	echo "tools: $passed passed, $failed failed"
	exit $((failed > 0))
fi

all=$(pcap_count "$FIX/many_flows.pcap" all)
tcp=$(pcap_count "$FIX/many_flows.pcap" tcp)

expect_error "unknown sim device (no source)" "pfring_open\(sim:nosuch\) failed" \
	"$PFCOUNT" -i sim:nosuch -q 1

# one thread: every frame of the capture, counted by pfring_stats and by the loop
run single "$PFCOUNT" -i "sim:one?pcap=$FIX/many_flows.pcap" -q 1
total=$(final_total "$TMP/single.log") counted=$(final_counted "$TMP/single.log")
if [ "$rc" -ne 0 ]; then
	fail "one thread: exit status" "$rc" "$TMP/single.log"
elif [ "$total" != "$all" ] || [ "$counted" != "$all" ]; then
	fail "one thread: many_flows.pcap" "rcvd '$total', counted '$counted', expected $all" \
		"$TMP/single.log"
else
	pass "one thread: final summary has all $all frames of many_flows.pcap"
fi
if grep -q '^Final Stats (idle for 1 s' "$TMP/single.log"; then
	pass "one thread: -q 1 stops after the link went idle"
else
	fail "one thread: -q 1 stops after the link went idle" "" "$TMP/single.log"
fi

# two threads in a cluster over a NIC with two queues: per-thread counts sum to the total
run cluster "$PFCOUNT" -i "sim:two?pcap=$FIX/many_flows.pcap&queues=2" -n 2 -c 5 -q 1
total=$(final_total "$TMP/cluster.log")
mapfile -t per < <(final_threads "$TMP/cluster.log")
sum=0
for n in "${per[@]}"; do sum=$((sum + n)); done
if [ "$rc" -ne 0 ] || [ "${#per[@]}" -ne 2 ]; then
	fail "-n 2 -c 5: two per-thread lines" "exit $rc, ${#per[@]} lines" "$TMP/cluster.log"
elif [ "$sum" != "$total" ] || [ "$total" != "$all" ]; then
	fail "-n 2 -c 5: per-thread sum" "${per[*]} sum $sum, total '$total', expected $all" \
		"$TMP/cluster.log"
elif [ "${per[0]}" -eq 0 ] || [ "${per[1]}" -eq 0 ]; then
	fail "-n 2 -c 5: both threads receive" "${per[*]}" "$TMP/cluster.log"
else
	pass "-n 2 -c 5: threads ${per[0]} + ${per[1]} = total $total"
fi

# a BPF filter: only the TCP frames
run bpf "$PFCOUNT" -i "sim:bpf?pcap=$FIX/many_flows.pcap" -f tcp -q 1
total=$(final_total "$TMP/bpf.log")
if [ "$rc" -eq 0 ] && [ "$total" = "$tcp" ]; then
	pass "-f tcp: $tcp TCP frames of $all"
else
	fail "-f tcp" "exit $rc, rcvd '$total', expected $tcp" "$TMP/bpf.log"
fi

expect_error "bad BPF filter" "pfring_set_bpf_filter\('not a filter'\) returned" \
	"$PFCOUNT" -i "sim:badbpf?pcap=$FIX/many_flows.pcap" -f 'not a filter' -q 1

# the loop replays the capture N times
run loop "$PFCOUNT" -i "sim:loop?pcap=$FIX/many_flows.pcap&loop=3" -q 1
total=$(final_total "$TMP/loop.log")
if [ "$rc" -eq 0 ] && [ "$total" = "$((3 * all))" ]; then
	pass "loop=3: $((3 * all)) frames"
else
	fail "loop=3" "exit $rc, rcvd '$total', expected $((3 * all))" "$TMP/loop.log"
fi

# a capture corrupt after its good frames (24 bytes of 0xa5: a record of caplen 0xa5a5a5a5):
# every good frame is counted, then the error, and pfcount exits 1 (two threads, both fail)
cp "$FIX/many_flows.pcap" "$TMP/corrupt.pcap"
printf '\245%.0s' $(seq 24) >>"$TMP/corrupt.pcap"
expect_error corrupt \
	"record $((all + 1)): invalid packet capture length 2779096485" \
	"$PFCOUNT" -i "sim:corrupt?pcap=$TMP/corrupt.pcap" -n 2 -c 6 -q 5
total=$(final_total "$TMP/corrupt.log")
if grep -q 'pfring_recv returned -1 (Input/output error)' "$TMP/corrupt.log" &&
   grep -q '^Final Stats (receive error' "$TMP/corrupt.log" &&
   [ "$total" = "$all" ]; then
	pass "corrupt capture: the $all good frames, then EIO (not an idle end)"
else
	fail "corrupt capture: good frames then EIO" "rcvd '$total', expected $all" \
		"$TMP/corrupt.log"
fi

# -e 2 (TX only): nothing is sent on this NIC, so nothing is counted
run txonly "$PFCOUNT" -i "sim:txonly?pcap=$FIX/many_flows.pcap" -e 2 -q 1
total=$(final_total "$TMP/txonly.log")
if [ "$rc" -eq 0 ] && [ "$total" = "0" ]; then
	pass "-e 2: no transmitted packet, 0 counted"
else
	fail "-e 2" "exit $rc, rcvd '$total', expected 0" "$TMP/txonly.log"
fi

# -r: whether or not the device rehashes (sim: refuses it today: a warning), the count is exact
run rehash "$PFCOUNT" -i "sim:rehash?pcap=$FIX/many_flows.pcap" -r -q 1
total=$(final_total "$TMP/rehash.log")
if [ "$rc" -eq 0 ] && [ "$total" = "$all" ]; then
	pass "-r: exit 0, $all frames counted"
else
	fail "-r" "exit $rc, rcvd '$total'" "$TMP/rehash.log"
fi

# -v prints one parsed line per packet
run verbose "$PFCOUNT" -i "sim:verbose?pcap=$FIX/ipv4_tcp.pcap" -v -q 1
lines=$(grep -c 'l3_proto=TCP' "$TMP/verbose.log" || true)
if [ "$rc" -eq 0 ] && [ "$lines" -eq 5 ]; then
	pass "-v: one parsed line for each of the 5 frames"
else
	fail "-v" "exit $rc, $lines parsed lines, expected 5" "$TMP/verbose.log"
fi

# SIGINT stops it with a final summary and exit status 0
set +e
"$PFCOUNT" -i "sim:sig?pcap=$FIX/many_flows.pcap&loop=0&rate=1000" >"$TMP/sigint.log" 2>&1 &
pid=$!
sleep 1.5
kill -INT "$pid"
wait "$pid"
rc=$?
set -e
if [ "$rc" -eq 0 ] && grep -q '^Final Stats (signal 2' "$TMP/sigint.log" &&
   [ -n "$(final_total "$TMP/sigint.log")" ]; then
	pass "SIGINT: final summary and exit 0"
else
	fail "SIGINT: final summary and exit 0" "exit $rc" "$TMP/sigint.log"
fi

# every ring closed, nothing leaked, with two threads
if command -v valgrind >/dev/null; then
	run valgrind valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect,possible \
		"$PFCOUNT" -i "sim:vg?pcap=$FIX/many_flows.pcap&queues=2" -n 2 -q 1
	total=$(final_total "$TMP/valgrind.log")
	if [ "$rc" -eq 0 ] && [ "$total" = "$all" ]; then
		pass "valgrind: -n 2 clean, $all frames"
	else
		fail "valgrind: -n 2" "exit $rc, rcvd '$total'" "$TMP/valgrind.log"
	fi
else
	fail "valgrind" "valgrind is not installed (make deps)"
fi

harness_done tools
