#!/usr/bin/env bash
# tests/tools/test_pfdnabounce.sh - pfdnabounce (the DNA Bouncer's tool) end to end on
# simulated NICs: options and errors, exact forwarded counts, the frames out byte for byte
# (compared with scapy, independent of pfring), two-way, SIGINT, valgrind. Run from the
# repository root by `make tools-test` (part of `make test`). Prints one closing line:
#   tools-pfdnabounce: N passed, N failed
set -euo pipefail

BIN=${BIN:-build/tools}
FIX=tests/fixtures
. "$(dirname "$0")/harness.sh"

if [ ! -x "$BIN/pfdnabounce" ]; then
	echo "test_pfdnabounce: $BIN/pfdnabounce is not built (make tools)" >&2
	echo "tools-pfdnabounce: 0 passed, 1 failed"
	exit 1
fi

# same REF OUT: "same" when OUT holds exactly REF's frames, in order, byte for byte.
same() {
	/usr/bin/python3 - "$1" "$2" <<'EOF'
import sys
from scapy.utils import RawPcapReader
ref, out = ([bytes(d) for d, _ in RawPcapReader(p)] for p in sys.argv[1:3])
if len(out) != len(ref):
	print("count %d, expected %d" % (len(out), len(ref)))
else:
	bad = [i for i in range(len(ref)) if out[i] != ref[i]]
	print("same" if not bad else "frame %d differs (%d differ)" % (bad[0], len(bad)))
EOF
}

# ----------------------------------------------------------------- options and errors
run help "$BIN/pfdnabounce" -h
if [ "$rc" -eq 0 ] && grep -q "^Usage: pfdnabounce" "$TMP/help.log" &&
   grep -q -- "-b  *Bridge mode" "$TMP/help.log"; then
	pass "pfdnabounce -h: exit 0 and the usage"
else
	fail "pfdnabounce -h" "exit $rc" "$TMP/help.log"
fi
expect_error "pfdnabounce: bad option" "pfdnabounce: unknown option -c" "$BIN/pfdnabounce" -c 1
expect_error "pfdnabounce: no -o" "both -i and -o are required" "$BIN/pfdnabounce" -i sim:a
expect_error "pfdnabounce: same device" "-i and -o name the same device" \
	"$BIN/pfdnabounce" -i sim:a -o sim:a
expect_error "pfdnabounce: bad -q" "-q: '0' is not a number" "$BIN/pfdnabounce" -q 0
expect_error "pfdnabounce: unknown device" 'pfring_open\(sim:nosrc\) failed' \
	"$BIN/pfdnabounce" -i "sim:in?pcap=$FIX/ipv4_tcp.pcap" -o sim:nosrc -q 1

# ----------------------------------------------------------------- one way
run one "$BIN/pfdnabounce" -i "sim:in?pcap=$FIX/many_flows.pcap" \
	-o "sim:out?pcap=$FIX/ipv4_icmp.pcap&txpcap=$TMP/one.pcap" -q 1
cmp=$(same "$FIX/many_flows.pcap" "$TMP/one.pcap")
if [ "$rc" -eq 0 ] && [ "$cmp" = same ] &&
   grep -q '^\[in->out\] 2000 pkts rcvd, 2000 forwarded, 0 dropped, 0 tx failed, 156000 bytes' \
	"$TMP/one.log" && grep -q '^Stopped (idle)' "$TMP/one.log" &&
   ! grep -q '^\[out->in\]' "$TMP/one.log"; then
	pass "pfdnabounce one-way: 2000 frames forwarded, byte-identical, idle stop"
else
	fail "pfdnabounce one-way" "exit $rc, $cmp" "$TMP/one.log"
fi

# active wait: the same frames
run active "$BIN/pfdnabounce" -a -i "sim:in?pcap=$FIX/mix64.pcap" \
	-o "sim:out?pcap=$FIX/ipv4_icmp.pcap&txpcap=$TMP/active.pcap" -q 1
cmp=$(same "$FIX/mix64.pcap" "$TMP/active.pcap")
if [ "$rc" -eq 0 ] && [ "$cmp" = same ] &&
   grep -q '^\[in->out\] 3000 pkts rcvd, 3000 forwarded' "$TMP/active.log"; then
	pass "pfdnabounce -a: 3000 frames forwarded, byte-identical"
else
	fail "pfdnabounce -a" "exit $rc, $cmp" "$TMP/active.log"
fi

# ----------------------------------------------------------------- two way
run two "$BIN/pfdnabounce" -b -i "sim:a?pcap=$FIX/many_flows.pcap&txpcap=$TMP/two-a.pcap" \
	-o "sim:b?pcap=$FIX/mix64.pcap&txpcap=$TMP/two-b.pcap" -q 1
cmp_b=$(same "$FIX/many_flows.pcap" "$TMP/two-b.pcap")
cmp_a=$(same "$FIX/mix64.pcap" "$TMP/two-a.pcap")
if [ "$rc" -eq 0 ] && [ "$cmp_a" = same ] && [ "$cmp_b" = same ] &&
   grep -q '^\[in->out\] 2000 pkts rcvd, 2000 forwarded' "$TMP/two.log" &&
   grep -q '^\[out->in\] 3000 pkts rcvd, 3000 forwarded' "$TMP/two.log"; then
	pass "pfdnabounce -b: 2000 frames a->b and 3000 b->a, byte-identical"
else
	fail "pfdnabounce -b" "exit $rc, a: $cmp_a, b: $cmp_b" "$TMP/two.log"
fi

# ----------------------------------------------------------------- SIGINT, stats every second
set +e
"$BIN/pfdnabounce" -i "sim:in?pcap=$FIX/ipv4_tcp.pcap" \
	-o "sim:out?pcap=$FIX/ipv4_icmp.pcap&txpcap=$TMP/int.pcap" >"$TMP/int.log" 2>&1 &
pid=$!
sleep 2.5
kill -INT "$pid"
timeout 10 tail --pid="$pid" -f /dev/null
kill -KILL "$pid" 2>/dev/null     # still there: the signal did not end it (exit 137)
wait "$pid"
rc=$?
set -e
ticks=$(grep -c '^Absolute Stats:' "$TMP/int.log" || true)
if [ "$rc" -eq 0 ] && grep -q '^Leaving' "$TMP/int.log" && grep -q '^Stopped (signal)' "$TMP/int.log" &&
   grep -q '^\[in->out\] 5 pkts rcvd, 5 forwarded' "$TMP/int.log" && [ "$ticks" -ge 2 ] &&
   [ "$(same "$FIX/ipv4_tcp.pcap" "$TMP/int.pcap")" = same ]; then
	pass "pfdnabounce: SIGINT ends the loop, stats every second ($ticks), final stats"
else
	fail "pfdnabounce: SIGINT" "exit $rc, $ticks stats lines" "$TMP/int.log"
fi

# ----------------------------------------------------------------- no leak, no error
if command -v valgrind >/dev/null; then
	run vg valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect,possible \
		"$BIN/pfdnabounce" -b -i "sim:a?pcap=$FIX/ipv4_tcp.pcap" \
		-o "sim:b?pcap=$FIX/ipv4_udp.pcap&txpcap=$TMP/vg.pcap" -q 1
	if [ "$rc" -eq 0 ] && [ "$(same "$FIX/ipv4_tcp.pcap" "$TMP/vg.pcap")" = same ]; then
		pass "valgrind: pfdnabounce -b clean"
	else
		fail "valgrind: pfdnabounce" "exit $rc" "$TMP/vg.log"
	fi
fi

harness_done tools-pfdnabounce
