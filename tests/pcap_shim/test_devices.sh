#!/usr/bin/env bash
# tests/pcap_shim/test_devices.sh - pfring devices that exist beside the system's, through
# Debian's tcpdump with libpfring-pcap.so preloaded (issue 15): `tcpdump -D`
# (pcap_findalldevs) lists a pfsim NIC and a DNA Cluster while they run, and not after;
# tcpdump captures a DNA Cluster's slave exactly.
# Run from the repository root by `make pcap-shim-test`. Prints one closing line:
#   pcap-shim-devices: N passed, N failed
set -euo pipefail

SHIM=${SHIM:-$PWD/build/libpfring-pcap.so}
TOOLS=${TOOLS:-$PWD/build/tools}
FIX=tests/fixtures/many_flows.pcap
. tests/tools/harness.sh

SHIM_TCPDUMP=(env LD_PRELOAD="$SHIM" tcpdump -Z root)
. tests/pcap_shim/frames.sh # frames FILE, count FILE
listed() { "${SHIM_TCPDUMP[@]}" -D 2>/dev/null | grep -c "^[0-9]*\.$1 " || true; }

export PFSIM_DIR=$TMP/pfsim
mkdir -p "$PFSIM_DIR" && chmod 700 "$PFSIM_DIR"

# 1. tcpdump -D: the system's list first, unchanged; then pfsim's NIC while pfsim runs.
tcpdump -D >"$TMP/plain.txt" 2>/dev/null
"$TOOLS/pfsim" -n wire7 -o "pcap=$FIX" >"$TMP/pfsim.log" 2>&1 &
pfsim_pid=$!
for _ in $(seq 1 100); do [ "$(listed sim:wire7)" -eq 1 ] && break; sleep 0.1; done
"${SHIM_TCPDUMP[@]}" -D >"$TMP/shim.txt" 2>/dev/null
kill "$pfsim_pid"; wait "$pfsim_pid" 2>/dev/null || true
n_plain=$(wc -l <"$TMP/plain.txt")
if [ "$(head -n "$n_plain" "$TMP/shim.txt")" = "$(cat "$TMP/plain.txt")" ] &&
   [ "$(wc -l <"$TMP/shim.txt")" -eq $((n_plain + 1)) ] &&
   grep -q "^$((n_plain + 1))\.sim:wire7 (simulated NIC served by pfsim" "$TMP/shim.txt" &&
   [ "$(listed sim:wire7)" -eq 0 ]; then
	pass "tcpdump -D: the system's $n_plain devices, then sim:wire7 while pfsim serves it (not after)"
else
	fail "tcpdump -D with pfsim" "list differs" "$TMP/shim.txt"
fi

# 2. A DNA Cluster (pfdnacluster_master, one slave, queues long enough for the whole
#    fixture): listed as dnacluster:41, and tcpdump on its slave 0 writes every frame of
#    the fixture, in order, byte for byte.
"$TOOLS/pfdnacluster_master" -i "sim:m41?pcap=$FIX" -c 41 -n 1 -Q 4096 >"$TMP/master.log" 2>&1 &
master_pid=$!
for _ in $(seq 1 100); do [ "$(listed dnacluster:41)" -eq 1 ] && break; sleep 0.1; done
n_listed=$(listed dnacluster:41)
run dc "${SHIM_TCPDUMP[@]}" -i dnacluster:41@0 -c 2000 -w "$TMP/dc.pcap"
kill -INT "$master_pid" 2>/dev/null || true
wait "$master_pid" 2>/dev/null || true
if [ "$n_listed" -ne 1 ]; then
	fail "tcpdump -D with a DNA Cluster" "dnacluster:41 not listed" "$TMP/master.log"
elif [ "$rc" -ne 0 ] || ! cmp -s <(frames "$TMP/dc.pcap") <(frames "$FIX"); then
	fail "tcpdump -i dnacluster:41@0 -c 2000" "exit $rc or frames differ" "$TMP/dc.log"
else
	pass "DNA Cluster 41 listed by tcpdump -D; tcpdump -i dnacluster:41@0: 2000 frames, the fixture's, in order"
fi
if [ "$(listed dnacluster:41)" -eq 0 ]; then
	pass "dnacluster:41 no longer listed once its master has exited"
else
	fail "dnacluster:41 after its master" "still listed"
fi

# 3. A filter on a ring whose backend has no BPF (dnacluster: slaves): the shim runs the
#    program itself (pcap_offline_filter). tcpdump 'tcp port 80' on a slave of cluster 42
#    writes exactly the frames tcpdump -r 'tcp port 80' gives, in order.
"$TOOLS/pfdnacluster_master" -i "sim:m42?pcap=$FIX" -c 42 -n 1 -Q 4096 >"$TMP/master42.log" 2>&1 &
master_pid=$!
for _ in $(seq 1 100); do [ "$(listed dnacluster:42)" -eq 1 ] && break; sleep 0.1; done
tcpdump -nn -r "$FIX" -w "$TMP/ref80.pcap" 'tcp port 80' 2>/dev/null
want=$(count "$TMP/ref80.pcap")
run dc80 "${SHIM_TCPDUMP[@]}" -i dnacluster:42@0 -c "$want" -w "$TMP/dc80.pcap" 'tcp port 80'
kill -INT "$master_pid" 2>/dev/null || true
wait "$master_pid" 2>/dev/null || true
if [ "$rc" -eq 0 ] && [ "$want" -gt 0 ] && cmp -s <(frames "$TMP/dc80.pcap") <(frames "$TMP/ref80.pcap"); then
	pass "tcpdump -i dnacluster:42@0 'tcp port 80' (filtered in the shim): the $want frames of tcpdump -r, in order"
else
	fail "tcpdump -i dnacluster:42@0 'tcp port 80'" "exit $rc or frames differ ($want wanted)" "$TMP/dc80.log"
fi

harness_done pcap-shim-devices
