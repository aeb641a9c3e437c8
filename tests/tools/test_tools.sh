#!/usr/bin/env bash
# tests/tools/test_tools.sh - pfsend, pfwrite, pfbridge and alldevs end to end: options,
# errors, and exact frames through simulated NICs (sim:), compared byte for byte with
# scapy (independent of pfring). Run from the repository root by `make tools-test`
# (part of `make test`). Prints one closing line:
#   tools-extra: N passed, N failed
set -euo pipefail

BIN=${BIN:-build/tools}
FIX=tests/fixtures
. "$(dirname "$0")/harness.sh"

# expect_help TOOL PATTERN: -h exits 0 and prints the usage with PATTERN in it.
expect_help() {
	run "help-$1" "$BIN/$1" -h
	if [ "$rc" -eq 0 ] && grep -q "^Usage: $1" "$TMP/help-$1.log" &&
	   grep -Eq -- "$2" "$TMP/help-$1.log"; then
		pass "$1 -h: exit 0 and the usage"
	else
		fail "$1 -h: exit 0 and the usage" "exit $rc" "$TMP/help-$1.log"
	fi
}

# pcap_compare REF OUT [N]: "same" when OUT holds exactly the first N (default all) frames
# of REF, byte for byte, repeating REF as often as N needs; else what differs.
pcap_compare() {
	/usr/bin/python3 - "$@" <<'EOF'
import sys
from scapy.utils import RawPcapReader
def frames(path):
	return [bytes(d) for d, _ in RawPcapReader(path)]
ref, out = frames(sys.argv[1]), frames(sys.argv[2])
n = int(sys.argv[3]) if len(sys.argv) > 3 else len(ref)
want = [ref[i % len(ref)] for i in range(n)]
if len(out) != n:
	print("count %d, expected %d" % (len(out), n))
else:
	bad = [i for i in range(n) if out[i] != want[i]]
	print("same" if not bad else "frame %d differs (%d differ)" % (bad[0], len(bad)))
EOF
}

pcap_count() {
	/usr/bin/python3 -c 'import sys; from scapy.utils import RawPcapReader
print(sum(1 for _ in RawPcapReader(sys.argv[1])))' "$1"
}

for t in pfsend pfwrite pfbridge alldevs; do
	if [ ! -x "$BIN/$t" ]; then
		echo "test_tools: $BIN/$t is not built (make tools)" >&2
		echo "tools-extra: 0 passed, 1 failed"
		exit 1
	fi
done

# ----------------------------------------------------------------- options and errors
expect_help pfsend '-x <ifindex>'
expect_help pfwrite '-w <file>'
expect_help pfbridge '-1 '
expect_help alldevs 'alldevs \[-h\]'

expect_error "pfsend: bad option" "pfsend: unknown option -y" "$BIN/pfsend" -y
expect_error "pfsend: missing argument" "option -i needs an argument" "$BIN/pfsend" -i
expect_error "pfsend: -l too short" "-l: '59' is not a number in 60\.\.16384" "$BIN/pfsend" -l 59
expect_error "pfsend: bad rate" "-r: 'fast' is not a rate" "$BIN/pfsend" -r fast
expect_error "pfsend: -r and -p" "-r and -p are exclusive" "$BIN/pfsend" -r 1 -p 10
expect_error "pfsend: bad MAC" "-m: 'zz' is not a MAC address" "$BIN/pfsend" -m zz
expect_error "pfsend: missing pcap" "pfsend: cannot open $TMP/none.pcap" \
	"$BIN/pfsend" -i "sim:t?gen=flows:1&count=1" -f "$TMP/none.pcap"
expect_error "pfsend: unknown device" 'pfsend: pfring_open\(nosuch:x\) failed' \
	"$BIN/pfsend" -i nosuch:x -n 1
expect_error "pfwrite: bad option" "pfwrite: unknown option -z" "$BIN/pfwrite" -z
expect_error "pfwrite: no -w" "-w <file> is required" "$BIN/pfwrite" -i sim:x
expect_error "pfwrite: -c 0" "-c: '0' is not a number" "$BIN/pfwrite" -w x -c 0
expect_error "pfwrite: bad BPF" "pfring_set_bpf_filter\('not a filter'\) returned" \
	"$BIN/pfwrite" -i "sim:w?pcap=$FIX/ipv4_tcp.pcap" -w "$TMP/bpf.pcap" -f 'not a filter' -q 1
expect_error "pfwrite: unwritable file" "pfwrite: cannot write $TMP/no/such/dir.pcap" \
	"$BIN/pfwrite" -i "sim:w?pcap=$FIX/ipv4_tcp.pcap" -w "$TMP/no/such/dir.pcap" -q 1
expect_error "pfbridge: bad option" "pfbridge: unknown option -x" "$BIN/pfbridge" -x
expect_error "pfbridge: no -b" "both -a and -b are required" "$BIN/pfbridge" -a sim:a
expect_error "pfbridge: unknown device" 'pfbridge: pfring_open\(sim:nosrc\) failed' \
	"$BIN/pfbridge" -a "sim:in?pcap=$FIX/ipv4_tcp.pcap" -b sim:nosrc -q 1
expect_error "alldevs: bad option" "alldevs: unknown option -x" "$BIN/alldevs" -x

# ----------------------------------------------------------------- alldevs
run alldevs "$BIN/alldevs"
if [ "$rc" -eq 0 ] && grep -Eq '^  sim: .* built$' "$TMP/alldevs.log" &&
   grep -Eq '^  dna: .* built$' "$TMP/alldevs.log" &&
   grep -Eq '^  dnacluster: .* built$' "$TMP/alldevs.log" &&
   grep -q "^  lo$" "$TMP/alldevs.log" && grep -q 'sim:NAME' "$TMP/alldevs.log"; then
	pass "alldevs: sim:, dna: and dnacluster: built, lo listed, how to create a sim NIC"
else
	fail "alldevs: listing" "exit $rc" "$TMP/alldevs.log"
fi

# ----------------------------------------------------------------- frames through sim:
all=$(pcap_count "$FIX/many_flows.pcap")
# a NIC needs a source: one generated frame that nobody reads (pfsend only sends)
TXNIC="gen=flows:1&count=1"

run send "$BIN/pfsend" -i "sim:tx?$TXNIC&txpcap=$TMP/send.pcap" -f "$FIX/many_flows.pcap" -n "$all"
cmp=$(pcap_compare "$FIX/many_flows.pcap" "$TMP/send.pcap")
if [ "$rc" -eq 0 ] && [ "$cmp" = same ] && grep -q "^Sent $all packets" "$TMP/send.log" &&
   [ "$(sed -n 's/^Final: TX rate: .*\[total \([0-9,]*\) pkts\]$/\1/p' "$TMP/send.log" | tr -d ,)" = "$all" ]; then
	pass "pfsend -f: $all frames on the wire, byte-identical to the capture"
else
	fail "pfsend -f many_flows.pcap -n $all" "exit $rc, $cmp" "$TMP/send.log"
fi

n=$((2 * all + 17))
run loop "$BIN/pfsend" -i "sim:tx?$TXNIC&txpcap=$TMP/loop.pcap" -f "$FIX/many_flows.pcap" -n "$n"
cmp=$(pcap_compare "$FIX/many_flows.pcap" "$TMP/loop.pcap" "$n")
if [ "$rc" -eq 0 ] && [ "$cmp" = same ]; then
	pass "pfsend -n $n: the capture looped, $n frames in order"
else
	fail "pfsend -n $n (loop)" "exit $rc, $cmp" "$TMP/loop.log"
fi

run gen "$BIN/pfsend" -i "sim:tx?$TXNIC&txpcap=$TMP/gen.pcap" -n 50 -l 128 -b 5 -m 00:11:22:33:44:55
check=$(/usr/bin/python3 - "$TMP/gen.pcap" <<'EOF'
import sys
from scapy.all import rdpcap, IP, UDP, Ether
p = rdpcap(sys.argv[1])
def good_sum(x):
	ip = x[IP].copy()
	del ip.chksum
	return IP(bytes(ip)).chksum == x[IP].chksum
ok = (len(p) == 50 and all(len(x) == 128 and x[Ether].dst == "00:11:22:33:44:55" for x in p)
      and len({x[IP].src for x in p}) == 5 and all(x.haslayer(UDP) and good_sum(x) for x in p))
print("ok" if ok else "bad: %d frames" % len(p))
EOF
)
if [ "$rc" -eq 0 ] && [ "$check" = ok ]; then
	pass "pfsend generated: 50 frames of 128 bytes, 5 source IPs, -m dst MAC, valid IP checksums"
else
	fail "pfsend generated" "exit $rc, $check" "$TMP/gen.log"
fi

# -x: pfring_send_ifindex on the NIC's own ifindex (1000: the first NIC of the process)
run ifx "$BIN/pfsend" -i "sim:tx?$TXNIC&txpcap=$TMP/ifx.pcap" -f "$FIX/ipv4_tcp.pcap" -n 5 -x 1000
cmp=$(pcap_compare "$FIX/ipv4_tcp.pcap" "$TMP/ifx.pcap" 5)
if [ "$rc" -eq 0 ] && [ "$cmp" = same ]; then
	pass "pfsend -x 1000: the 5 frames sent by ifindex"
else
	fail "pfsend -x 1000" "exit $rc, $cmp" "$TMP/ifx.log"
fi
expect_error "pfsend -x: unknown ifindex" "pfring_send_ifindex returned" \
	"$BIN/pfsend" -i "sim:tx?$TXNIC" -n 1 -x 4242

# -p paces: 30 frames at 20 pps take about 1.5 s, and the TX rate line is printed
start=$(date +%s%N)
run paced "$BIN/pfsend" -i "sim:tx?$TXNIC&txpcap=$TMP/paced.pcap" -n 30 -p 20
ms=$((($(date +%s%N) - start) / 1000000))
if [ "$rc" -eq 0 ] && [ "$ms" -ge 1300 ] && [ "$(pcap_count "$TMP/paced.pcap")" = 30 ] &&
   grep -Eq '^TX rate: \[current [0-9.,]+ pps/[0-9.,]+ Gbps\]\[average [0-9.,]+ pps/[0-9.,]+ Gbps\]\[total [0-9,]+ pkts\]' \
	"$TMP/paced.log"; then
	pass "pfsend -p 20: 30 frames in $ms ms, TX rate lines"
else
	fail "pfsend -p 20" "exit $rc, $ms ms" "$TMP/paced.log"
fi

# SIGINT stops a send-forever with a summary and exit 0
set +e
"$BIN/pfsend" -i "sim:tx?$TXNIC" -p 1000 >"$TMP/sigint.log" 2>&1 &
pid=$!
sleep 1.2
kill -INT "$pid"
timeout 10 tail --pid="$pid" -f /dev/null
wait "$pid"
rc=$?
set -e
if [ "$rc" -eq 0 ] && grep -q '^Leaving' "$TMP/sigint.log" && grep -q '^Sent [0-9]* packets' "$TMP/sigint.log"; then
	pass "pfsend SIGINT: summary and exit 0"
else
	fail "pfsend SIGINT" "exit $rc" "$TMP/sigint.log"
fi

# pfwrite: every frame of the fixture, byte for byte
run write "$BIN/pfwrite" -i "sim:x?pcap=$FIX/many_flows.pcap" -w "$TMP/write.pcap" -q 1
cmp=$(pcap_compare "$FIX/many_flows.pcap" "$TMP/write.pcap")
if [ "$rc" -eq 0 ] && [ "$cmp" = same ] && grep -q "^Wrote $all packets .*(idle)" "$TMP/write.log"; then
	pass "pfwrite: $all frames written, byte-identical to the capture"
else
	fail "pfwrite many_flows.pcap" "exit $rc, $cmp" "$TMP/write.log"
fi

# a capture corrupt after its good frames: they are written, then pfwrite exits 1 saying why
cp "$FIX/many_flows.pcap" "$TMP/corrupt.pcap"
head -c 30 "$FIX/many_flows.pcap" | tail -c 6 >>"$TMP/corrupt.pcap"   # a record header cut short
expect_error writebad "record $((all + 1)): truncated dump file" \
	"$BIN/pfwrite" -i "sim:x?pcap=$TMP/corrupt.pcap" -w "$TMP/writebad.pcap" -q 5
cmp=$(pcap_compare "$FIX/many_flows.pcap" "$TMP/writebad.pcap")
if [ "$cmp" = same ] && grep -q 'pfwrite: pfring_recv returned -1 (Input/output error)' "$TMP/writebad.log" &&
   grep -q "^Wrote $all packets .*(error)" "$TMP/writebad.log"; then
	pass "pfwrite: corrupt capture: the $all good frames written, then EIO and exit 1"
else
	fail "pfwrite: corrupt capture: the good frames, then EIO" "$cmp" "$TMP/writebad.log"
fi

run writec "$BIN/pfwrite" -i "sim:x?pcap=$FIX/many_flows.pcap" -w "$TMP/writec.pcap" -c 7
cmp=$(pcap_compare "$FIX/many_flows.pcap" "$TMP/writec.pcap" 7)
if [ "$rc" -eq 0 ] && [ "$cmp" = same ]; then
	pass "pfwrite -c 7: the first 7 frames"
else
	fail "pfwrite -c 7" "exit $rc, $cmp" "$TMP/writec.log"
fi

run writel "$BIN/pfwrite" -i "sim:x?pcap=$FIX/many_flows.pcap" -w "$TMP/writel.pcap" -l 20 -c 3
lens=$(/usr/bin/python3 -c 'import sys; from scapy.utils import RawPcapReader
print(" ".join("%d/%d" % (len(d), m.wirelen) for d, m in RawPcapReader(sys.argv[1])))' "$TMP/writel.pcap")
want=$(/usr/bin/python3 -c 'import sys; from scapy.utils import RawPcapReader
r = [len(d) for d, m in RawPcapReader(sys.argv[1])][:3]
print(" ".join("%d/%d" % (min(20, n), n) for n in r))' "$FIX/many_flows.pcap")
if [ "$rc" -eq 0 ] && [ "$lens" = "$want" ]; then
	pass "pfwrite -l 20: caplen 20, original length kept ($lens)"
else
	fail "pfwrite -l 20" "exit $rc, got '$lens', expected '$want'" "$TMP/writel.log"
fi

tcp=$(/usr/bin/python3 -c 'import sys; from scapy.all import rdpcap, TCP
print(sum(1 for p in rdpcap(sys.argv[1]) if p.haslayer(TCP)))' "$FIX/many_flows.pcap")
run writef "$BIN/pfwrite" -i "sim:x?pcap=$FIX/many_flows.pcap" -w "$TMP/writef.pcap" -f tcp -q 1
got=$(pcap_count "$TMP/writef.pcap")
if [ "$rc" -eq 0 ] && [ "$got" = "$tcp" ]; then
	pass "pfwrite -f tcp: the $tcp TCP frames"
else
	fail "pfwrite -f tcp" "exit $rc, $got frames, expected $tcp" "$TMP/writef.log"
fi

# pfbridge: the frames replayed on one NIC are sent, identical, on the other
for mode in both one; do
	flag=""
	[ "$mode" = one ] && flag=-1
	run "bridge-$mode" "$BIN/pfbridge" $flag -a "sim:in?pcap=$FIX/many_flows.pcap" \
		-b "sim:out?$TXNIC&txpcap=$TMP/bridge-$mode.pcap" -q 1
	cmp=$(pcap_compare "$FIX/many_flows.pcap" "$TMP/bridge-$mode.pcap")
	if [ "$rc" -eq 0 ] && [ "$cmp" = same ] &&
	   grep -q "^\[a->b\] $all pkts forwarded" "$TMP/bridge-$mode.log"; then
		pass "pfbridge ($mode way): $all frames forwarded, byte-identical"
	else
		fail "pfbridge ($mode way)" "exit $rc, $cmp" "$TMP/bridge-$mode.log"
	fi
done
# both ways: out's one generated frame goes to in; one way: nothing goes back
if grep -q '^\[b->a\] 1 pkts forwarded' "$TMP/bridge-both.log" &&
   ! grep -q '^\[b->a\]' "$TMP/bridge-one.log"; then
	pass "pfbridge: b->a forwards out's frame by default, -1 does not"
else
	fail "pfbridge: b->a direction" "" "$TMP/bridge-both.log"
fi

# no leak, no error
if command -v valgrind >/dev/null; then
	run vg valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect,possible \
		"$BIN/pfsend" -i "sim:tx?$TXNIC&txpcap=$TMP/vg.pcap" -f "$FIX/ipv4_tcp.pcap" -n 12
	rc1=$rc
	run vg2 valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect,possible \
		"$BIN/pfbridge" -a "sim:in?pcap=$FIX/ipv4_tcp.pcap" -b "sim:out?$TXNIC" -q 1
	rc2=$rc
	run vg3 valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect,possible \
		"$BIN/pfwrite" -i "sim:x?pcap=$FIX/ipv4_tcp.pcap" -w "$TMP/vg3.pcap" -q 1
	if [ "$rc1" -eq 0 ] && [ "$rc" -eq 0 ] && [ "$rc2" -eq 0 ] &&
	   [ "$(pcap_count "$TMP/vg.pcap")" = 12 ]; then
		pass "valgrind: pfsend, pfbridge, pfwrite clean"
	else
		fail "valgrind" "exit pfsend $rc1, pfbridge $rc2, pfwrite $rc" "$TMP/vg.log"
	fi
fi

harness_done tools-extra
