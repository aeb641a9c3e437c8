#!/usr/bin/env bash
# tests/pcap_shim/test_tcpdump.sh - Debian's own tcpdump with libpfring-pcap.so preloaded
# (issue 15): it captures from a sim: NIC, and it still reads files as without the shim.
# (and a small libpcap program of ours, tests/pcap_shim/shim_api.c, under valgrind).
# Captures are compared with the plain system tcpdump (the real libpcap, no shim) printing
# every frame in hex with its timestamp and lengths. Run from the repository root by
# `make pcap-shim-test`. Prints one closing line:
#   pcap-shim: N passed, N failed
set -euo pipefail

SHIM=${SHIM:-$PWD/build/libpfring-pcap.so}
FIX=tests/fixtures/many_flows.pcap
. tests/tools/harness.sh

# tcpdump drops root for user tcpdump before it opens -w's file: -Z root keeps it
# (harmless when not root), so the file can be written in $TMP.
SHIM_TCPDUMP=(env LD_PRELOAD="$SHIM" tcpdump -Z root)

# dump FILE [ARGS...]: every frame of FILE, hex and header, by the plain tcpdump.
dump() { local f=$1; shift; tcpdump -r "$f" -nn -tt -xx "$@" 2>/dev/null; }

# 1. tcpdump -i sim: -c 100 -w: the fixture's first 100 frames, byte for byte.
run live-w "${SHIM_TCPDUMP[@]}" -i "sim:x?pcap=$FIX" -c 100 -w "$TMP/out.pcap"
if [ "$rc" -ne 0 ]; then
	fail "tcpdump -i sim: -c 100 -w" "exit $rc" "$TMP/live-w.log"
elif ! grep -q "^100 packets captured" "$TMP/live-w.log"; then
	fail "tcpdump -i sim: -c 100 -w" "no '100 packets captured'" "$TMP/live-w.log"
else
	dump "$FIX" -c 100 >"$TMP/ref.txt"
	dump "$TMP/out.pcap" >"$TMP/got.txt"
	if [ "$(grep -c '^[0-9]' "$TMP/got.txt")" -eq 100 ] && cmp -s "$TMP/ref.txt" "$TMP/got.txt"; then
		pass "tcpdump -i sim: -c 100 -w: 100 frames identical to the fixture's first 100"
	else
		diff "$TMP/ref.txt" "$TMP/got.txt" >"$TMP/diff.txt" || true
		fail "tcpdump -i sim: -c 100 -w" "frames differ from the fixture's" "$TMP/diff.txt"
	fi
fi

# 2. tcpdump -r with the shim loaded: the same output, streams and status as without.
set +e
tcpdump -r "$FIX" -c 3 >"$TMP/r-plain.out" 2>"$TMP/r-plain.err"; rc_plain=$?
LD_PRELOAD=$SHIM tcpdump -r "$FIX" -c 3 >"$TMP/r-shim.out" 2>"$TMP/r-shim.err"; rc_shim=$?
set -e
if [ "$rc_plain" -eq 0 ] && [ "$rc_shim" -eq 0 ] && [ -s "$TMP/r-shim.out" ] &&
   cmp -s "$TMP/r-plain.out" "$TMP/r-shim.out" && cmp -s "$TMP/r-plain.err" "$TMP/r-shim.err"; then
	pass "tcpdump -r FILE -c 3 with the shim: same output as without"
else
	fail "tcpdump -r FILE -c 3 with the shim" "exit $rc_shim (plain $rc_plain) or output differs" \
		"$TMP/r-shim.err"
fi

# 3. a filter: tcpdump -i sim: 'tcp port 80' prints what tcpdump -r 'tcp port 80' prints.
set +e
timeout 60 "${SHIM_TCPDUMP[@]}" -nn -tt -i "sim:x?pcap=$FIX" -c 20 'tcp port 80' \
	>"$TMP/f-got.txt" 2>"$TMP/live-f.log"
rc=$?
set -e
tcpdump -nn -tt -r "$FIX" -c 20 'tcp port 80' 2>/dev/null >"$TMP/f-ref.txt"
if [ "$rc" -eq 0 ] && [ "$(wc -l <"$TMP/f-got.txt")" -eq 20 ] && cmp -s "$TMP/f-ref.txt" "$TMP/f-got.txt"; then
	pass "tcpdump -i sim: 'tcp port 80' -c 20: the same 20 packets as tcpdump -r"
else
	fail "tcpdump -i sim: 'tcp port 80'" "exit $rc or packets differ" "$TMP/live-f.log"
fi

# 3b. tcpdump -i lo with the shim: the system libpcap's device, untouched (needs root).
if [ "$(id -u)" -eq 0 ]; then
	port=$((20000 + RANDOM % 20000))
	timeout 20 env LD_PRELOAD="$SHIM" tcpdump -Z root -nn -i lo -c 2 "udp port $port" \
		>"$TMP/lo.out" 2>"$TMP/lo.err" &
	lo_pid=$!
	for _ in $(seq 1 50); do # until tcpdump listens, then 2 datagrams
		grep -q "listening on lo" "$TMP/lo.err" 2>/dev/null && break
		sleep 0.1
	done
	for _ in 1 2 3 4 5; do echo hi >/dev/udp/127.0.0.1/$port; sleep 0.05; done
	set +e; wait "$lo_pid"; rc=$?; set -e
	if [ "$rc" -eq 0 ] && [ "$(grep -c "127.0.0.1.$port: UDP" "$TMP/lo.out")" -eq 2 ]; then
		pass "tcpdump -i lo with the shim: 2 UDP datagrams captured"
	else
		fail "tcpdump -i lo with the shim" "exit $rc" "$TMP/lo.err"
	fi
else
	echo "skip  tcpdump -i lo with the shim (needs root)"
fi

# 4. a program of our own (pcap_open_live, pcap_next_ex, pcap_dispatch, pcap_sendpacket,
#    pcap_stats, a failing open; snaplen and nanoseconds through pcap_snapshot,
#    pcap_get_tstamp_precision, pcap_compile, pcap_dump_fopen/open_append) under valgrind: its checks hold, no error, no leak.
API=${API:-build/pcap_shim/shim_api}
run api env LD_PRELOAD="$SHIM" valgrind -q --leak-check=full --error-exitcode=9 \
	"$API" "$FIX" "$TMP/tx.pcap"
if [ "$rc" -eq 0 ] && grep -q "^shim_api: ok" "$TMP/api.log" &&
   [ "$(tcpdump -r "$TMP/tx.pcap" 2>/dev/null | wc -l)" -eq 1 ]; then
	pass "shim_api under valgrind: checks hold, one frame sent to txpcap="
else
	fail "shim_api under valgrind" "exit $rc" "$TMP/api.log"
fi

# 5. include/pcap-pfring.h's calls (PF_RING libpcap's additions) in a program linked with
#    the shim before libpcap, as 5.4.6's pcount is, under valgrind.
CALLS=${CALLS:-build/pcap_shim/pfring_calls}
run calls valgrind -q --leak-check=full --error-exitcode=9 "$CALLS" "$FIX"
if [ "$rc" -eq 0 ] && grep -q "^pfring_calls: ok" "$TMP/calls.log"; then
	pass "pcap-pfring.h calls, tstamp type, rfmon, the engine's filter: $(sed -n 's/^pfring_calls: ok (\(.*\))/\1/p' "$TMP/calls.log")"
else
	fail "pfring_calls under valgrind" "exit $rc" "$TMP/calls.log"
fi

# 6. races (tests/pcap_shim/shim_stress.c): breakloop from a thread and from a signal
#    handler at random instants, handles opened and closed beside a reader; every frame
#    exactly once; under valgrind.
STRESS=${STRESS:-build/pcap_shim/shim_stress}
run stress env LD_PRELOAD="$SHIM" valgrind -q --leak-check=full --error-exitcode=9 \
	"$STRESS" "$FIX" 30
if [ "$rc" -eq 0 ] && grep -q "^shim_stress: ok" "$TMP/stress.log"; then
	pass "shim_stress under valgrind: 30 rounds of breakloop from a thread, from a signal, handles churning"
else
	fail "shim_stress under valgrind" "exit $rc" "$TMP/stress.log"
fi

harness_done pcap-shim
