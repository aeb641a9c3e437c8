#!/usr/bin/env bash
# tests/pcap_shim/test_env.sh - the PCAP_PF_RING_* environment through Debian's tcpdump
# with libpfring-pcap.so preloaded (issue 15): two tcpdumps in one per-flow cluster on a
# pfsim NIC split the fixture disjointly and completely; bad values fail with a message.
# Run from the repository root by `make pcap-shim-test`. Prints one closing line:
#   pcap-shim-env: N passed, N failed
set -euo pipefail

SHIM=${SHIM:-$PWD/build/libpfring-pcap.so}
PFSIM=${PFSIM:-$PWD/build/tools/pfsim}
FIX=tests/fixtures/many_flows.pcap
. tests/tools/harness.sh

SHIM_TCPDUMP=(env LD_PRELOAD="$SHIM" tcpdump -Z root)
total=$(tcpdump -nn -r "$FIX" 2>/dev/null | wc -l)

# keys FILE: the 2-tuple of every frame ("lowIP highIP", either direction), one per line.
keys() {
	tcpdump -nn -r "$1" 2>/dev/null | awk '{
		a = $3; b = $5; sub(/:$/, "", b)
		sub(/\.[0-9]+$/, "", a); sub(/\.[0-9]+$/, "", b)
		print (a < b) ? a " " b : b " " a }'
}
. tests/pcap_shim/frames.sh # frames FILE, count FILE

# 1. Two tcpdumps, PCAP_PF_RING_CLUSTER_ID=7, per-flow 2-tuple, on pfsim's NIC "wire"
#    (pfsim holds the wire until both rings are enabled: -w 2).
export PFSIM_DIR=$TMP/pfsim
mkdir -p "$PFSIM_DIR" && chmod 700 "$PFSIM_DIR"
"$PFSIM" -n wire -o "pcap=$FIX" -w 2 >"$TMP/pfsim.log" 2>&1 &
pfsim_pid=$!
for _ in $(seq 1 100); do [ -S "$PFSIM_DIR/wire.sock" ] && break; sleep 0.1; done
pids=()
for m in a b; do
	env PCAP_PF_RING_CLUSTER_ID=7 PCAP_PF_RING_USE_CLUSTER_PER_FLOW_2_TUPLE=1 \
		PCAP_PF_RING_APPNAME="tcpdump-$m" \
		"${SHIM_TCPDUMP[@]}" -U -i sim:wire -w "$TMP/$m.pcap" >"$TMP/$m.log" 2>&1 &
	pids+=($!)
done
# the link goes quiet once the file is replayed: wait until both files hold every frame
# between them (or 60 s), then stop both tcpdumps as a user would, with SIGINT.
for _ in $(seq 1 600); do
	n=0
	for m in a b; do [ -s "$TMP/$m.pcap" ] && n=$((n + $(count "$TMP/$m.pcap"))); done
	[ "$n" -ge "$total" ] && break
	sleep 0.1
done
sleep 0.3 # a frame beyond the total would show up here
kill -INT "${pids[@]}" 2>/dev/null || true
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=$?; done
kill "$pfsim_pid" 2>/dev/null || true
wait "$pfsim_pid" 2>/dev/null || true
na=$(count "$TMP/a.pcap") nb=$(count "$TMP/b.pcap")
keys "$TMP/a.pcap" | sort -u >"$TMP/a.keys"
keys "$TMP/b.pcap" | sort -u >"$TMP/b.keys"
keys "$FIX" | sort -u >"$TMP/fix.keys"
both=$(comm -12 "$TMP/a.keys" "$TMP/b.keys" | wc -l)
sort -u "$TMP/a.keys" "$TMP/b.keys" >"$TMP/union.keys"
{ frames "$TMP/a.pcap"; frames "$TMP/b.pcap"; } | sort >"$TMP/got.frames"
frames "$FIX" | sort >"$TMP/fix.frames"
if [ "$rc" -ne 0 ]; then
	fail "cluster of two tcpdumps" "a tcpdump exited $rc" "$TMP/a.log"
elif [ $((na + nb)) -ne "$total" ] || [ "$na" -eq 0 ] || [ "$nb" -eq 0 ]; then
	fail "cluster of two tcpdumps" "$na + $nb frames, the fixture has $total" "$TMP/b.log"
elif [ "$both" -ne 0 ]; then
	fail "cluster of two tcpdumps" "$both flows at both members" "$TMP/a.keys"
elif ! cmp -s "$TMP/union.keys" "$TMP/fix.keys"; then
	fail "cluster of two tcpdumps" "the union of flows is not the fixture's" "$TMP/union.keys"
elif ! cmp -s "$TMP/got.frames" "$TMP/fix.frames"; then
	fail "cluster of two tcpdumps" "the frames differ from the fixture's" "$TMP/got.frames"
elif ! grep -q "^$na packets captured" "$TMP/a.log" || ! grep -q "^$nb packets captured" "$TMP/b.log"; then
	fail "cluster of two tcpdumps" "tcpdump's own counts differ from its files'" "$TMP/a.log"
else
	pass "cluster of two tcpdumps (PCAP_PF_RING_CLUSTER_ID, 2-tuple): $na + $nb = $total frames, byte-identical, $(wc -l <"$TMP/fix.keys") flows split disjointly"
fi

# 2. Bad values: tcpdump fails at once with the variable named, on stderr.
bad() { # VAR=VALUE what-the-message-says
	run "bad-$1" env "$1" "${SHIM_TCPDUMP[@]}" -i "sim:x?pcap=$FIX" -c 1 -w "$TMP/bad.pcap"
	if [ "$rc" -ne 0 ] && grep -q "${1%%=*}=\"${1#*=}\": $2" "$TMP/bad-$1.log"; then
		pass "$1: tcpdump refuses to start: \"$2\""
	else
		fail "$1" "exit $rc, or no message \"$2\"" "$TMP/bad-$1.log"
	fi
}
bad PCAP_PF_RING_CLUSTER_ID=0 "must be a cluster id 1..254"
bad PCAP_PF_RING_CLUSTER_ID=255 "must be a cluster id 1..254"
bad PCAP_PF_RING_CLUSTER_ID=7x "must be a cluster id 1..254"
bad PCAP_PF_RING_ACTIVE_POLL=yes "must be 0 or 1"
bad PCAP_PF_RING_APPNAME=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa "must be 1..32 characters"

# 3. PCAP_PF_RING_ACTIVE_POLL=1 (spins, never sleeps) and PCAP_NO_PF_RING (kernel names
#    only: a sim: name has no other way) capture the same 100 frames.
run active env PCAP_PF_RING_ACTIVE_POLL=1 PCAP_NO_PF_RING=1 \
	"${SHIM_TCPDUMP[@]}" -i "sim:x?pcap=$FIX" -c 100 -w "$TMP/active.pcap"
tcpdump -r "$FIX" -c 100 -w "$TMP/first100.pcap" 2>/dev/null
if [ "$rc" -eq 0 ] && cmp -s <(frames "$TMP/active.pcap" | sort) <(frames "$TMP/first100.pcap" | sort) &&
   [ "$(count "$TMP/active.pcap")" -eq 100 ]; then
	pass "PCAP_PF_RING_ACTIVE_POLL=1 PCAP_NO_PF_RING=1 on sim: 100 frames, identical"
else
	fail "PCAP_PF_RING_ACTIVE_POLL=1" "exit $rc or frames differ" "$TMP/active.log"
fi

harness_done pcap-shim-env
