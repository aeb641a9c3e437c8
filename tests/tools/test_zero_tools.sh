#!/usr/bin/env bash
# tests/tools/test_zero_tools.sh - the DNA Cluster tools end to end on simulated NICs:
# pfdnacluster_master with pfcount slave processes on dnacluster:ID@0 and @1 (exact
# per-slave counts, disjoint flows, fan-out, direct forwarding byte for byte), and
# pfdnacluster_multithread (exact per-thread counts, forwarding through the master); slaves
# that attach after the master has read the whole wire (their frames waited in their queues).
# Run from the repository root by `make tools-test` (part of `make test`). Prints one
# closing line:
#   zero-tools: N passed, N failed
#
# A slave can attach only once its master is enabled, and the master takes frames from the
# wire from then on; frames for a slave not attached yet wait in its queue (zc_pool_fanout),
# up to the queue's length, beyond which that slave's drop counts them. The "before attach"
# cases below start the slaves after the master has read a whole file. The others run the
# wire while the slaves are attached: it is a FIFO whose writer holds the frames back until
# the slaves attach (so queues shorter than a slave's share, -Q, and a pfcount -v slave that
# falls behind are tested on a running wire). Opening a sim: NIC on a FIFO reads its first
# record, so the writer gives one frame first: a non-IP frame (ethertype 0x88b5) that the
# tools' -f 'ip or ip6' filters out on the master's ring, so it reaches no slave and is not
# counted.
set -euo pipefail

BIN=${BIN:-build/tools}
FIX=tests/fixtures
WIRE=$FIX/many_flows.pcap   # 2000 frames: 1000 IPv4 TCP, 800 IPv4 UDP, 200 IPv6 UDP
. "$(dirname "$0")/harness.sh"

for t in pfdnacluster_master pfdnacluster_multithread pfcount; do
	if [ ! -x "$BIN/$t" ]; then
		echo "test_zero_tools: $BIN/$t is not built (make tools)" >&2
		echo "zero-tools: 0 passed, 1 failed"
		exit 1
	fi
done

# cluster ids of this run: two runs at once (make -j) must not share one
CID=$((20000 + ($$ % 1000) * 20))
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
	rm -rf "$TMP"
}
trap cleanup EXIT

# wait_for PATTERN FILE SECS: 0 once PATTERN (grep -E) is in FILE, 1 after SECS.
wait_for() {
	local i
	for ((i = 0; i < $3 * 20; i++)); do
		grep -Eq -- "$1" "$2" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# fifo_wire NAME: $TMP/NAME.fifo carries the sacrificial frame at once and $WIRE once
# $TMP/NAME.go exists (the writer gives up after 60 s).
fifo_wire() {
	mkfifo "$TMP/$1.fifo"
	/usr/bin/python3 - "$WIRE" "$TMP/$1.fifo" "$TMP/$1.go" <<'EOF' &
import os, struct, sys, time
src, fifo, go = sys.argv[1:4]
data = open(src, "rb").read()
order = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
frame = bytes(6) + bytes.fromhex("020000000001") + b"\x88\xb5" + bytes(46)
ts = data[24:32]
out = open(fifo, "wb")
out.write(data[:24] + ts + struct.pack(order + "II", 60, 60) + frame)
out.flush()
t0 = time.time()
while not os.path.exists(go) and time.time() - t0 < 60:
	time.sleep(0.02)
out.write(data[24:])
out.close()
EOF
	pids+=($!)
}

# final_abs LOG: "rcvd dropped" of pfcount's last Absolute Stats line, commas removed.
final_abs() {
	sed -n 's/^Absolute Stats: \[\([0-9,]*\) pkts rcvd\]\[\([0-9,]*\) pkts dropped\]$/\1 \2/p' "$1" |
		tail -n 1 | tr -d ,
}

# flows LOG: the sorted unique IP pairs (either direction) of pfcount -v's packet lines.
flows() {
	sed -n 's/.*\] \[IPv[46]\]\[\([^ ]*\) -> \([^] ]*\)\].*/\1 \2/p' "$1" |
		sed 's/:[0-9]* / /; s/:[0-9]*$//' |
		awk '{ print ($1 < $2) ? $1 " " $2 : $2 " " $1 }' | sort -u
}

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

# ----------------------------------------------------------------- options and errors
expect_help pfdnacluster_master '-o <socket> +Direct forwarding'
expect_help pfdnacluster_multithread '-b +Bridge'
expect_error "master: no -c" "-c <cluster id> and -n <slaves> are required" \
	"$BIN/pfdnacluster_master" -n 2
expect_error "master: bad option" "pfdnacluster_master: unknown option -z" \
	"$BIN/pfdnacluster_master" -z
expect_error "master: -n 33" "-n: '33' is not a number in 1\.\.32" \
	"$BIN/pfdnacluster_master" -c 1 -n 33
expect_error "master: -Q 0" "-Q: '0' is not a number in 1\.\.1048576" \
	"$BIN/pfdnacluster_master" -c 1 -n 2 -Q 0
expect_error "master: -m 4" "-m: '4' is not a number in 0\.\.3" \
	"$BIN/pfdnacluster_master" -c 1 -n 2 -m 4
expect_error "master: unknown device" 'pfdnacluster_master: pfring_open\(nosuch:x\) failed' \
	"$BIN/pfdnacluster_master" -c "$CID" -n 2 -i nosuch:x
expect_error "master: -o beyond the devices" "-o 1: there are 1 devices" \
	"$BIN/pfdnacluster_master" -c "$CID" -n 1 -o 1 -i "sim:zo?pcap=$WIRE"
expect_error "multithread: no -c" "-c <cluster id> is required" "$BIN/pfdnacluster_multithread"
expect_error "multithread: -x and -b" "-x and -b are exclusive" \
	"$BIN/pfdnacluster_multithread" -c 1 -x 3 -b
expect_error "multithread: -b with one device" "-b needs an even number of devices" \
	"$BIN/pfdnacluster_multithread" -c "$CID" -b -i "sim:zb?pcap=$WIRE"

# ----------------------------------------------------------------- master + 2 pfcount
# master_run NAME CID MASTER_OPTS...: the master on a FIFO wire, pfcount -v on @0 and @1,
# the wire let go once both are attached; the slaves exit idle ($IDLE s, default 3: a
# loaded machine may pause the wire for a second or two), then SIGINT the master.
# $MASTER_PREFIX (e.g. valgrind ...) runs the master under it.
# Logs: $TMP/NAME.{master,s0,s1}.log, the slaves' packet lines in NAME.s0.out and .s1.out;
# $mrc, $src0 and $src1 their exit statuses.
master_run() {
	local name=$1 cid=$2 m s0 s1
	shift 2
	fifo_wire "$name"
	${MASTER_PREFIX:-} "$BIN/pfdnacluster_master" -c "$cid" -n 2 -f 'ip or ip6' \
		-i "sim:$name?pcap=$TMP/$name.fifo" "$@" >"$TMP/$name.master.log" 2>&1 &
	m=$!
	pids+=("$m")
	if ! wait_for "is now running" "$TMP/$name.master.log" 60; then
		touch "$TMP/$name.go"
		kill -KILL "$m" 2>/dev/null || true
		mrc=99 src0=99 src1=99
		return
	fi
	timeout 60 "$BIN/pfcount" -i "dnacluster:$cid@0" -q "${IDLE:-3}" -v >"$TMP/$name.s0.out" 2>"$TMP/$name.s0.log" &
	s0=$!
	timeout 60 "$BIN/pfcount" -i "dnacluster:$cid@1" -q "${IDLE:-3}" -v >"$TMP/$name.s1.out" 2>"$TMP/$name.s1.log" &
	s1=$!
	pids+=("$s0" "$s1")
	wait_for "^Capturing from" "$TMP/$name.s0.out" 20 || true
	wait_for "^Capturing from" "$TMP/$name.s1.out" 20 || true
	touch "$TMP/$name.go"
	set +e
	wait "$s0"; src0=$?
	wait "$s1"; src1=$?
	kill -INT "$m"
	timeout 20 tail --pid="$m" -f /dev/null
	wait "$m"; mrc=$?
	set -e
}

# -m 2, IP protocol hash: TCP (6) to slave 0, UDP (17) to slave 1
master_run zm2 "$CID" -m 2
got="$(final_abs "$TMP/zm2.s0.log") / $(final_abs "$TMP/zm2.s1.log")"
if [ "$mrc" -eq 0 ] && [ "$src0" -eq 0 ] && [ "$src1" -eq 0 ] && [ "$got" = "1000 0 / 1000 0" ] &&
   grep -q '^Absolute Stats: \[2,000 pkts captured\]\[2,000 pkts processed\]\[0 pkts sent\]$' \
	"$TMP/zm2.master.log"; then
	pass "master -m 2 + 2 pfcount processes: 1000 TCP on @0, 1000 UDP on @1, master 2000 captured and processed"
else
	fail "master -m 2 + 2 pfcount processes" "exit $mrc/$src0/$src1, got $got" "$TMP/zm2.master.log"
fi

# default: the library's symmetric IP hash: every frame once, each flow on one slave
master_run zm0 "$((CID + 1))"
a=$(final_abs "$TMP/zm0.s0.log") b=$(final_abs "$TMP/zm0.s1.log")
flows "$TMP/zm0.s0.out" >"$TMP/zm0.f0"
flows "$TMP/zm0.s1.out" >"$TMP/zm0.f1"
common=$(comm -12 "$TMP/zm0.f0" "$TMP/zm0.f1" | wc -l)
n0=${a% *} n1=${b% *}
lines=$(($(grep -c '\] \[IPv[46]\]\[' "$TMP/zm0.s0.out" || true) + $(grep -c '\] \[IPv[46]\]\[' "$TMP/zm0.s1.out" || true)))
if [ "$mrc" -eq 0 ] && [ "$src0" -eq 0 ] && [ "$src1" -eq 0 ] && [ -n "$n0" ] && [ -n "$n1" ] &&
   [ $((n0 + n1)) -eq 2000 ] && [ "$n0" -gt 0 ] && [ "$n1" -gt 0 ] && [ "$lines" -eq 2000 ] &&
   [ "$common" -eq 0 ] && [ -s "$TMP/zm0.f0" ] && [ -s "$TMP/zm0.f1" ]; then
	pass "master default hash + 2 pfcount processes: $n0 + $n1 = 2000, $(wc -l <"$TMP/zm0.f0") and $(wc -l <"$TMP/zm0.f1") flows, none on both"
else
	fail "master default hash" "exit $mrc/$src0/$src1, $a / $b, $lines lines, $common flows on both" \
		"$TMP/zm0.master.log"
fi

# fan-out: both slaves see all 2000 (queues of 4096: pfcount -v may fall 2000 behind)
master_run zmf "$((CID + 2))" -F -Q 4096
got="$(final_abs "$TMP/zmf.s0.log") / $(final_abs "$TMP/zmf.s1.log")"
if [ "$mrc" -eq 0 ] && [ "$src0" -eq 0 ] && [ "$src1" -eq 0 ] && [ "$got" = "2000 0 / 2000 0" ] &&
   grep -q '^Absolute Stats: \[2,000 pkts captured\]\[4,000 pkts processed\]' "$TMP/zmf.master.log"; then
	pass "master -F (fan-out) + 2 pfcount processes: 2000 each, 4000 processed"
else
	fail "master -F" "exit $mrc/$src0/$src1, got $got" "$TMP/zmf.master.log"
fi

# direct forwarding: every frame of socket 0 out of socket 1, byte for byte, in order
head -c 24 "$WIRE" >"$TMP/empty.pcap"
run frwd "$BIN/pfdnacluster_master" -c "$((CID + 3))" -n 1 -o 1 -q 1 \
	-i "sim:zin?pcap=$WIRE,sim:zout?pcap=$TMP/empty.pcap&txpcap=$TMP/frwd.pcap"
same=$(/usr/bin/python3 -c 'import sys; from scapy.utils import RawPcapReader
a = [bytes(d) for d, _ in RawPcapReader(sys.argv[1])]
b = [bytes(d) for d, _ in RawPcapReader(sys.argv[2])]
print("same" if a == b else "%d frames, differ" % len(b))' "$WIRE" "$TMP/frwd.pcap" 2>&1 | tail -n 1 || true)
if [ "$rc" -eq 0 ] && [ "$same" = same ] &&
   grep -q '^Absolute Stats: \[2,000 pkts captured\]\[0 pkts processed\]\[2,000 pkts sent\]$' \
	"$TMP/frwd.log"; then
	pass "master -o 1 (DNA_CLUSTER_FRWD): the 2000 frames out of socket 1, byte-identical, in order"
else
	fail "master -o 1" "exit $rc, $same" "$TMP/frwd.log"
fi

# -i: a comma inside a sim: device's options stays in it; one before "sim:" splits
run gencomma "$BIN/pfdnacluster_master" -c "$((CID + 7))" -n 1 -o 1 -q 1 \
	-i "sim:zg?gen=flows:4,size:100&count=10,sim:zgo?pcap=$TMP/empty.pcap&txpcap=$TMP/gen.pcap"
lens=$(/usr/bin/python3 -c 'import sys; from scapy.utils import RawPcapReader
print(" ".join(str(len(d)) for d, _ in RawPcapReader(sys.argv[1])))' "$TMP/gen.pcap" 2>&1 | tail -n 1 || true)
if [ "$rc" -eq 0 ] && grep -q '^Registered sim:zg?gen=flows:4,size:100&count=10 as socket 0$' "$TMP/gencomma.log" &&
   [ "$lens" = "$(echo 100 100 100 100 100 100 100 100 100 100)" ]; then
	pass "master -i 'sim:zg?gen=flows:4,size:100&count=10,sim:zgo?...': two devices, 10 frames of 100 bytes forwarded"
else
	fail "master -i with a comma in sim: options" "exit $rc, lengths '$lens'" "$TMP/gencomma.log"
fi

# a slave process SIGKILLed mid-run: the master goes on, the other slave keeps receiving,
# a new slave takes the dead one's slot, and the master still ends cleanly
"$BIN/pfdnacluster_master" -c "$((CID + 10))" -n 2 -m 2 -i "sim:zk?pcap=$WIRE&loop=0" \
	>"$TMP/kill.master.log" 2>&1 &
m=$!
pids+=("$m")
ok=0
if wait_for "is now running" "$TMP/kill.master.log" 20; then
	"$BIN/pfcount" -i "dnacluster:$((CID + 10))@0" >"$TMP/kill.s0.log" 2>&1 &
	k0=$!
	"$BIN/pfcount" -i "dnacluster:$((CID + 10))@1" >"$TMP/kill.s1.log" 2>&1 &
	k1=$!
	pids+=("$k0" "$k1")
	sleep 1
	kill -KILL "$k0"
	timeout 20 "$BIN/pfcount" -i "dnacluster:$((CID + 10))@0" -q 30 >"$TMP/kill.s0b.log" 2>&1 &
	k2=$!
	pids+=("$k2")
	sleep 2.5
	kill -INT "$k2" "$k1"
	set +e
	wait "$k2"; r2=$?
	wait "$k1"; r1=$?
	kill -INT "$m"
	timeout 20 tail --pid="$m" -f /dev/null
	wait "$m"; rm_=$?
	set -e
	n0=$(final_abs "$TMP/kill.s0b.log") n1=$(final_abs "$TMP/kill.s1.log")
	[ "$r1" -eq 0 ] && [ "$r2" -eq 0 ] && [ "$rm_" -eq 0 ] &&
		[ "${n0%% *}" -gt 0 ] 2>/dev/null && [ "${n1%% *}" -gt 0 ] 2>/dev/null &&
		grep -q '^Final Stats (signal 2)$' "$TMP/kill.master.log" && ok=1
fi
if [ "$ok" -eq 1 ]; then
	pass "master: a slave SIGKILLed mid-run, its slot taken again (rcvd, dropped: $n0), the other slave on ($n1), clean exit"
else
	fail "master: a slave SIGKILLed mid-run" "slaves $n0 / $n1" "$TMP/kill.master.log"
fi

# ----------------------------------------------------------------- multithread
# mt_run NAME CID OPTS...: the tool on a FIFO wire (plus OPTS' devices), -q $IDLE; the wire is
# let go once both consumer threads run. $TMP/NAME.log, exit status in $rc.
mt_run() {
	local name=$1 cid=$2 p
	shift 2
	fifo_wire "$name"
	"$@" -c "$cid" -n 2 -f 'ip or ip6' -q "${IDLE:-3}" >"$TMP/$name.log" 2>&1 &
	p=$!
	pids+=("$p")
	wait_for "Consumer thread #1 is running" "$TMP/$name.log" 60 || true
	touch "$TMP/$name.go"
	set +e
	timeout 120 tail --pid="$p" -f /dev/null
	wait "$p"; rc=$?
	set -e
}

mt_run mt "$((CID + 4))" "$BIN/pfdnacluster_multithread" -m 2 -i "sim:zmt?pcap=$TMP/mt.fifo"
if [ "$rc" -eq 0 ] && grep -q '^Thread 0: \[1,000 pkts rcvd\]\[54,000 bytes rcvd\]\[0 pkts dropped\]$' "$TMP/mt.log" &&
   grep -q '^Thread 1: \[1,000 pkts rcvd\]' "$TMP/mt.log" &&
   grep -q '^Total: \[2,000 pkts rcvd\]\[0 pkts dropped\]$' "$TMP/mt.log" &&
   grep -q '^Cluster: \[2,000 pkts captured\]\[2,000 pkts processed\]\[0 pkts sent\]$' "$TMP/mt.log"; then
	pass "multithread -m 2 -n 2: 1000 TCP on thread 0, 1000 UDP on thread 1, 2000 in all"
else
	fail "multithread -m 2 -n 2" "exit $rc" "$TMP/mt.log"
fi

# -x: the threads send every frame out of the second NIC (ifindex 1001) through the master
mt_run mtx "$((CID + 5))" "$BIN/pfdnacluster_multithread" -x 1001 \
	-i "sim:zxin?pcap=$TMP/mtx.fifo,sim:zxout?pcap=$TMP/empty.pcap&txpcap=$TMP/mtx.pcap"
same=$(/usr/bin/python3 -c 'import sys; from scapy.utils import RawPcapReader
a = sorted(bytes(d) for d, _ in RawPcapReader(sys.argv[1]))
b = sorted(bytes(d) for d, _ in RawPcapReader(sys.argv[2]))
print("same" if a == b else "%d frames, differ" % len(b))' "$WIRE" "$TMP/mtx.pcap" 2>&1 | tail -n 1 || true)
if [ "$rc" -eq 0 ] && [ "$same" = same ] &&
   grep -q '^Total: \[2,000 pkts rcvd\]\[0 pkts dropped\]$' "$TMP/mtx.log" &&
   grep -q '^Cluster: \[2,000 pkts captured\]\[2,000 pkts processed\]\[2,000 pkts sent\]$' "$TMP/mtx.log" &&
   ! grep -q '\[[1-9][0-9,]* send errors\]' "$TMP/mtx.log"; then
	pass "multithread -x 1001: the 2000 frames sent out of the other NIC through the master, byte-identical"
else
	fail "multithread -x 1001" "exit $rc, $same" "$TMP/mtx.log"
fi

# -b: the devices bridged in pairs: what comes in on the first leaves by the second, and
# nothing comes back (the second NIC's wire is empty)
mt_run mtb "$((CID + 8))" "$BIN/pfdnacluster_multithread" -b \
	-i "sim:zbin?pcap=$TMP/mtb.fifo&txpcap=$TMP/mtb-back.pcap,sim:zbout?pcap=$TMP/empty.pcap&txpcap=$TMP/mtb.pcap"
same=$(/usr/bin/python3 -c 'import sys; from scapy.utils import RawPcapReader
a = sorted(bytes(d) for d, _ in RawPcapReader(sys.argv[1]))
b = sorted(bytes(d) for d, _ in RawPcapReader(sys.argv[2]))
back = sum(1 for _ in RawPcapReader(sys.argv[3]))
print("same" if a == b and back == 0 else "%d frames, %d back, differ" % (len(b), back))' \
	"$WIRE" "$TMP/mtb.pcap" "$TMP/mtb-back.pcap" 2>&1 | tail -n 1 || true)
if [ "$rc" -eq 0 ] && [ "$same" = same ] && grep -q '^Bridging interfaces 1000 <-> 1001$' "$TMP/mtb.log" &&
   grep -q '^Cluster: \[2,000 pkts captured\]\[2,000 pkts processed\]\[2,000 pkts sent\]$' "$TMP/mtb.log"; then
	pass "multithread -b: the 2000 frames of NIC 1000 leave NIC 1001 byte-identical, none back"
else
	fail "multithread -b" "exit $rc, $same" "$TMP/mtb.log"
fi

# ----------------------------------------------------------------- slaves attaching late
# master -m 2 on the wire as a file, the pfcount slaves started only once it captured all
# 2000: queues of 512 (-Q) hold each slave's first 512 of its 1000; its drop counts the 488
# others, the master processes the 1024 delivered.
"$BIN/pfdnacluster_master" -c "$((CID + 12))" -n 2 -m 2 -Q 512 -i "sim:zlate?pcap=$WIRE" \
	>"$TMP/late.master.log" 2>&1 &
m=$!
pids+=("$m")
wait_for '^Absolute Stats: \[2,000 pkts captured\]' "$TMP/late.master.log" 60 || true
set +e
timeout 60 "$BIN/pfcount" -i "dnacluster:$((CID + 12))@0" -q 2 >"$TMP/late.s0.out" 2>"$TMP/late.s0.log" &
s0=$!
timeout 60 "$BIN/pfcount" -i "dnacluster:$((CID + 12))@1" -q 2 >"$TMP/late.s1.out" 2>"$TMP/late.s1.log" &
s1=$!
pids+=("$s0" "$s1")
wait "$s0"; src0=$?
wait "$s1"; src1=$?
sleep 1.2  # the master's next Absolute Stats line, after the slaves' last releases
kill -INT "$m"
timeout 20 tail --pid="$m" -f /dev/null
wait "$m"; mrc=$?
set -e
got="$(final_abs "$TMP/late.s0.log") / $(final_abs "$TMP/late.s1.log")"
if [ "$mrc" -eq 0 ] && [ "$src0" -eq 0 ] && [ "$src1" -eq 0 ] && [ "$got" = "512 488 / 512 488" ] &&
   [ "$(grep '^Absolute Stats:' "$TMP/late.master.log" | tail -n 1)" = \
     'Absolute Stats: [2,000 pkts captured][1,024 pkts processed][0 pkts sent]' ]; then
	pass "master read all 2000, then 2 pfcount slaves attach: 512 each from their queues of 512, 488 each in their drop, 1024 processed"
else
	fail "master, slaves attaching after the wire" "exit $mrc/$src0/$src1, got $got" "$TMP/late.master.log"
fi

# pfdnacluster_multithread on a file: 5.4.6's order (the master enabled, then the threads
# attach) loses nothing: 1000 + 1000 from the queues of 8192
run mtlate timeout 60 "$BIN/pfdnacluster_multithread" -m 2 -c "$((CID + 13))" -n 2 -q 2 \
	-i "sim:zmtlate?pcap=$WIRE"
if [ "$rc" -eq 0 ] && grep -q '^Thread 0: \[1,000 pkts rcvd\]\[54,000 bytes rcvd\]\[0 pkts dropped\]$' "$TMP/mtlate.log" &&
   grep -q '^Thread 1: \[1,000 pkts rcvd\]' "$TMP/mtlate.log" &&
   grep -q '^Total: \[2,000 pkts rcvd\]\[0 pkts dropped\]$' "$TMP/mtlate.log" &&
   grep -q '^Cluster: \[2,000 pkts captured\]\[2,000 pkts processed\]\[0 pkts sent\]$' "$TMP/mtlate.log"; then
	pass "multithread on a file (threads attach after the master is enabled): 1000 + 1000, 2000 processed"
else
	fail "multithread on a file" "exit $rc" "$TMP/mtlate.log"
fi

# no leak, no error: the master under valgrind with its 2 pfcount slaves, and the
# multithread tool (master and slaves in one process)
if command -v valgrind >/dev/null; then
	IDLE=8 MASTER_PREFIX="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible"
	master_run zvm "$((CID + 9))" -m 2
	IDLE= MASTER_PREFIX=
	got="$(final_abs "$TMP/zvm.s0.log") / $(final_abs "$TMP/zvm.s1.log")"
	if [ "$mrc" -eq 0 ] && [ "$got" = "1000 0 / 1000 0" ]; then
		pass "valgrind: pfdnacluster_master clean with 2 pfcount slaves, 1000 + 1000"
	else
		fail "valgrind: pfdnacluster_master" "exit $mrc, got $got" "$TMP/zvm.master.log"
	fi
fi

# no leak, no error: the multithread tool (master and slaves in one process) under valgrind
if command -v valgrind >/dev/null; then
	IDLE=8 mt_run vg "$((CID + 6))" valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect,possible \
		"$BIN/pfdnacluster_multithread" -m 2 -i "sim:zvg?pcap=$TMP/vg.fifo"
	if [ "$rc" -eq 0 ] && grep -q '^Total: \[2,000 pkts rcvd\]\[0 pkts dropped\]$' "$TMP/vg.log"; then
		pass "valgrind: pfdnacluster_multithread clean, 2000 frames"
	else
		fail "valgrind: pfdnacluster_multithread" "exit $rc" "$TMP/vg.log"
	fi
fi

# a master SIGKILLed leaves its pool's name behind; the next master of that id removes it
"$BIN/pfdnacluster_master" -c "$((CID + 11))" -n 1 -i "sim:zc1?pcap=$WIRE&loop=0" \
	>"$TMP/crash1.log" 2>&1 &
m=$!
pids+=("$m")
wait_for "is now running" "$TMP/crash1.log" 20 || true
kill -KILL "$m"
wait "$m" 2>/dev/null || true
left=$(ls /dev/shm | grep -c "^pfring_zero\.$((CID + 11))$" || true)
run crash2 "$BIN/pfdnacluster_master" -c "$((CID + 11))" -n 1 -q 1 -i "sim:zc2?pcap=$WIRE"
if [ "$left" -eq 1 ] && [ "$rc" -eq 0 ] && grep -q "removed the leftover of a master that died" "$TMP/crash2.log" &&
   grep -q '^Absolute Stats: \[2,000 pkts captured\]' "$TMP/crash2.log"; then
	pass "master SIGKILLed: its pool's name left behind, the next master of that id removes it and runs"
else
	fail "master SIGKILLed, then a new master of that id" "leftover $left, exit $rc" "$TMP/crash2.log"
fi

# nothing left in /dev/shm by this run's clusters
left=""
for ((i = 0; i <= 13; i++)); do
	[ -e "/dev/shm/pfring_zero.$((CID + i))" ] && left="$left pfring_zero.$((CID + i))"
done
if [ -z "$left" ]; then
	pass "no pool of this run's clusters left in /dev/shm"
else
	fail "pools left in /dev/shm:$left"
fi

harness_done zero-tools
