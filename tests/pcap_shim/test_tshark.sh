#!/usr/bin/env bash
# tests/pcap_shim/test_tshark.sh - Debian's tshark with libpfring-pcap.so preloaded (issue 15).
# tshark does not open devices itself: it runs dumpcap (the sibling of its own binary) and
# reads dumpcap's pipe. LD_PRELOAD is inherited by dumpcap; the dynamic loader ignores it
# only for a setuid/file-capability dumpcap run by a non-root user (secure execution), which
# is what Debian installs when wireshark-common/install-setuid is true. In that case the test
# runs copies of tshark and dumpcap (a copy carries neither setuid nor capabilities; tshark
# runs the dumpcap beside it). Captures are compared with the plain system tcpdump/tshark
# reading the fixture (the real libpcap, no shim). Run from the repository root by
# `make pcap-shim-apps-test`. Prints one closing line:
#   pcap-shim-tshark: N passed, N failed
set -euo pipefail

SHIM=${SHIM:-$PWD/build/libpfring-pcap.so}
TOOLS=${TOOLS:-$PWD/build/tools}
FIX=tests/fixtures/many_flows.pcap # 2000 frames
DEV="sim:x?pcap=$FIX"

# Its Debian packages (ci/packages.sh): installed when root, else a skip.
. tests/pcap_shim/need_packages.sh
need_packages pcap_tshark pcap-shim-tshark
. tests/tools/harness.sh
export TMPDIR=$TMP # tshark's own temporary capture file (no -w) goes to the scratch folder

TSHARK=tshark
dumpcap=$(dirname "$(command -v tshark)")/dumpcap
if [ "$(id -u)" -ne 0 ] &&
   { [ -u "$dumpcap" ] || python3 -c 'import os, sys; os.getxattr(sys.argv[1], "security.capability")' \
		"$dumpcap" 2>/dev/null; }; then
	mkdir "$TMP/bin"
	cp "$(command -v tshark)" "$dumpcap" "$TMP/bin/"
	TSHARK=$TMP/bin/tshark
	echo "note  $dumpcap is setuid or has capabilities: LD_PRELOAD would not reach it; using copies"
fi
SHIM_TSHARK=(env LD_PRELOAD="$SHIM" "$TSHARK")

# dump FILE [ARGS...]: every frame of FILE, hex and header, by the plain tcpdump (it reads
# pcapng too).
dump() { local f=$1; shift; tcpdump -r "$f" --time-stamp-precision=nano -nn -tt -xx "$@" 2>/dev/null; }
# isb FILE: the capture statistics dumpcap recorded in FILE (pcap_stats at the end).
isb() { python3 tests/pcap_shim/pcapng_isb.py "$1"; }

# captured NAME N: tshark's NAME run exited 0 and said "N packets captured".
captured() { [ "$rc" -eq 0 ] && grep -q "^$2 packets captured" "$TMP/$1.log"; }
# no_drop NAME: tshark printed no "N packet(s) dropped from DEV" line (it prints one when
# pcap_stats' ps_drop, as dumpcap reports it, is not 0).
no_drop() { ! grep -q " dropped from " "$TMP/$1.log"; }

# 1. tshark -i sim: -c 100 -w: the fixture's first 100 frames byte for byte (time stamps to
#    the nanosecond: dumpcap asks for nanoseconds); the statistics tshark printed and dumpcap
#    recorded in the file (its own received count, pcap_stats' drops): 100 received, 0 dropped.
run live-w "${SHIM_TSHARK[@]}" -i "$DEV" -c 100 -w "$TMP/out.pcapng"
dump "$FIX" -c 100 >"$TMP/ref.txt"
dump "$TMP/out.pcapng" >"$TMP/got.txt" || true
if ! captured live-w 100; then
	fail "tshark -i sim: -c 100 -w" "exit $rc, or not '100 packets captured'" "$TMP/live-w.log"
elif [ "$(grep -c '^[0-9]' "$TMP/got.txt")" -eq 100 ] && cmp -s "$TMP/ref.txt" "$TMP/got.txt"; then
	pass "tshark -i sim: -c 100 -w: 100 frames identical to the fixture's first 100"
else
	diff "$TMP/ref.txt" "$TMP/got.txt" >"$TMP/diff.txt" || true
	fail "tshark -i sim: -c 100 -w" "frames differ from the fixture's" "$TMP/diff.txt"
fi
isb "$TMP/out.pcapng" >"$TMP/isb.txt" 2>&1 || true
if [ "$rc" -eq 0 ] && no_drop live-w && [ "$(cat "$TMP/isb.txt")" = "if=0 ifrecv=100 ifdrop=0" ]; then
	pass "tshark -i sim: -c 100 -w: no drop printed; the file's statistics: 100 received, 0 dropped"
else
	cat "$TMP/live-w.log" >>"$TMP/isb.txt"
	fail "tshark -i sim: -c 100 -w: statistics" "a drop printed, or not ifrecv=100 ifdrop=0" "$TMP/isb.txt"
fi

# 2. the whole fixture live (-c 2000): tshark's I/O statistics are those of tshark -r.
set +e # the statistics (stdout) apart from tshark's messages (stderr)
timeout 60 "${SHIM_TSHARK[@]}" -i "$DEV" -c 2000 -q -z io,stat,0 >"$TMP/io-got.txt" 2>"$TMP/live-io.log"
rc=$?
set -e
tshark -r "$FIX" -q -z io,stat,0 >"$TMP/io-ref.txt" 2>/dev/null
if captured live-io 2000 && no_drop live-io && grep -q "| *2000 | *108000 |" "$TMP/io-ref.txt" &&
   cmp -s "$TMP/io-ref.txt" "$TMP/io-got.txt"; then
	pass "tshark -i sim: -c 2000 -z io,stat,0: 2000 frames, 108000 bytes, as tshark -r; no drop"
else
	diff "$TMP/io-ref.txt" "$TMP/io-got.txt" >"$TMP/io-diff.txt" || cat "$TMP/live-io.log" >>"$TMP/io-diff.txt"
	fail "tshark -i sim: -c 2000 -z io,stat,0" "exit $rc, or statistics differ from tshark -r" \
		"$TMP/io-diff.txt"
fi

# 3. a capture filter: -f 'tcp port 80' -c 20 captures what tcpdump -r 'tcp port 80' reads,
#    and the statistics count what the filter accepted (as libpcap on Linux does).
run live-f "${SHIM_TSHARK[@]}" -i "$DEV" -c 20 -f 'tcp port 80' -w "$TMP/f.pcapng"
dump "$FIX" -c 20 'tcp port 80' >"$TMP/f-ref.txt"
dump "$TMP/f.pcapng" >"$TMP/f-got.txt"
if captured live-f 20 && no_drop live-f && [ "$(grep -c '^[0-9]' "$TMP/f-got.txt")" -eq 20 ] &&
   cmp -s "$TMP/f-ref.txt" "$TMP/f-got.txt" && [ "$(isb "$TMP/f.pcapng")" = "if=0 ifrecv=20 ifdrop=0" ]; then
	pass "tshark -i sim: -f 'tcp port 80' -c 20: the same 20 frames as tcpdump -r; 20 received, 0 dropped"
else
	{ diff "$TMP/f-ref.txt" "$TMP/f-got.txt"; isb "$TMP/f.pcapng"; cat "$TMP/live-f.log"; } \
		>"$TMP/f-diff.txt" 2>&1 || true
	fail "tshark -i sim: -f 'tcp port 80' -c 20" "exit $rc, frames or statistics differ" "$TMP/f-diff.txt"
fi

# 4. the same capture without the shim fails: the captures above went through the shim in
#    dumpcap, not through the real libpcap.
expect_error tshark-without-the-shim-fails 'no device named "sim:' "$TSHARK" -i "$DEV" -c 1 -w "$TMP/none.pcapng"

# 5. a NIC that exists (pfsim's sim:wire7): tshark -D (dumpcap's pcap_findalldevs, then
#    extcap's interfaces) lists it beside the system's interfaces, and tshark captures the
#    fixture from it: all 2000 frames. dumpcap select()s on pcap_get_selectable_fd and
#    reads one frame per wake-up: the fd must stay readable while frames wait.
export PFSIM_DIR=$TMP/pfsim
mkdir -p "$PFSIM_DIR" && chmod 700 "$PFSIM_DIR"
"$TOOLS/pfsim" -n wire7 -o "pcap=$FIX" >"$TMP/pfsim.log" 2>&1 &
pfsim_pid=$!
for _ in $(seq 1 50); do
	"${SHIM_TSHARK[@]}" -D 2>/dev/null | grep -q " sim:wire7$" && break
	sleep 0.1
done
"$TSHARK" -D 2>/dev/null >"$TMP/plain-D.txt" || true
"${SHIM_TSHARK[@]}" -D 2>/dev/null >"$TMP/shim-D.txt" || true
run wire7 "${SHIM_TSHARK[@]}" -i sim:wire7 -c 2000 -w "$TMP/wire7.pcapng"
kill "$pfsim_pid"; wait "$pfsim_pid" 2>/dev/null || true
"${SHIM_TSHARK[@]}" -D 2>/dev/null >"$TMP/after-D.txt" || true
names() { sed 's/^[0-9]*\. //' "$1"; } # tshark -D numbers the lines: compare names
n_plain=$(wc -l <"$TMP/plain-D.txt")
# Other tests on this machine may add or remove interfaces meanwhile: the lists are
# compared by their first entry (the default device) and sim:wire7 alone.
if [ "$n_plain" -gt 0 ] && [ "$(names "$TMP/shim-D.txt" | head -n 1)" = "$(names "$TMP/plain-D.txt" | head -n 1)" ] &&
   [ "$(names "$TMP/shim-D.txt" | grep -cx 'sim:wire7')" -eq 1 ] &&
   [ "$(names "$TMP/after-D.txt" | grep -cx 'sim:wire7')" -eq 0 ]; then
	pass "tshark -D: the system's default device first, and sim:wire7 while pfsim serves it (not after)"
else
	{ cat "$TMP/plain-D.txt"; echo ---; cat "$TMP/shim-D.txt"; echo ---; cat "$TMP/after-D.txt"; } >"$TMP/D.txt"
	fail "tshark -D with pfsim" "list differs" "$TMP/D.txt"
fi
dump "$FIX" >"$TMP/all-ref.txt"
dump "$TMP/wire7.pcapng" >"$TMP/wire7.txt" || true
if captured wire7 2000 && cmp -s "$TMP/all-ref.txt" "$TMP/wire7.txt" && no_drop wire7 &&
   [ "$(isb "$TMP/wire7.pcapng")" = "if=0 ifrecv=2000 ifdrop=0" ]; then
	pass "tshark -i sim:wire7 (pfsim) -c 2000 -w: the fixture's 2000 frames; 2000 received, 0 dropped"
else
	{ isb "$TMP/wire7.pcapng"; cat "$TMP/wire7.log"; } >"$TMP/wire7-diff.txt" 2>&1 || true
	fail "tshark -i sim:wire7 (pfsim) -c 2000" "exit $rc, frames or statistics differ" "$TMP/wire7-diff.txt"
fi

harness_done pcap-shim-tshark
