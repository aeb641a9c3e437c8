# pcap: Debian's own tcpdump with libpfring-pcap.so preloaded (issue 15) captures
# from pf_ring.ko on a kernel device (plain ethN):
# no-pfring: with PCAP_NO_PF_RING=1 the same tcpdump captures through the real
#     libpcap: no pf_ring ring opens, and it gets the N frames of many_flows
#     injected on the e1000e, in order and byte for byte (digests, as the guest
#     receives them: padded to 60);
# shim: tcpdump -i ethN -c N -w gets exactly those N frames, in order and byte
#     for byte, and it went through pf_ring: while it runs, /proc/net/pf_ring
#     holds a ring of tcpdump's pid bound to ethN;
# filter: tcpdump 'udp and port 53' writes exactly the fixture's matching frames
#     (tcpdump -r with the real libpcap), in order and byte for byte, and the
#     filter ran in pf_ring.ko: the ring saw every frame, refused the others
#     (Tot Filtered) and inserted only those;
# cluster: two tcpdumps with PCAP_PF_RING_CLUSTER_ID and
#     PCAP_PF_RING_USE_CLUSTER_PER_FLOW_2_TUPLE are one cluster (both rings show
#     its id) and split the flows disjointly and completely: their frames together
#     are the fixture's, each once; no flow (the host's 2-tuple key) at both; the
#     union of their flows is the fixture's; each ring inserted what its tcpdump
#     wrote, none lost; PCAP_PF_RING_APPNAME names each ring;
# bad-env: PCAP_PF_RING_CLUSTER_ID=255 fails tcpdump (exit 1) with the shim's
#     message, before any capture.
need_module
SHIM=/e2e/lib/libpfring-pcap.so
P=/proc/net/pf_ring
S=$E2E_STATE
[ -x /usr/bin/tcpdump ] || fail "no /usr/bin/tcpdump in the guest (apt install tcpdump)"
[ -f $SHIM ] || fail "no $SHIM (make build/libpfring-pcap.so failed: build/e2e/build.log)"
kind=e1000e
dev=$(nic_if $kind)
fixture_count many_flows
fixture_digests many_flows > $S/fixture.digests
expect_eq "fixture facts: frames" "$(wc -l < $S/fixture.digests)" "$FIX_FRAMES"
CLUSTER=21

# td_start NAME [VAR=VALUE...] -- [tcpdump options]: tcpdump -i $dev -w
# $S/NAME.pcap in the background (the shim preloaded, the variables in its
# environment); returns once it printed "listening on" (handle activated: with
# the shim, the ring enabled). Its pid in TD_PID_NAME, its stderr in $S/NAME.err.
td_start() {
	_tn=$1; shift
	_env=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do _env="$_env $1"; shift; done
	[ $# -gt 0 ] && shift
	echo "LD_PRELOAD=$SHIM$_env tcpdump -Z root -i $dev -w $S/$_tn.pcap $*"
	env LD_PRELOAD=$SHIM $_env tcpdump -Z root -i $dev -w $S/$_tn.pcap "$@" \
		> $S/$_tn.out 2> $S/$_tn.err &
	eval "TD_PID_$_tn=$!"
	echo $! >> $S/pids
	wait_until 10 grep -q 'listening on' $S/$_tn.err && return 0
	cat $S/$_tn.err
	return 1
}

# td_wait NAME [SECS]: wait for it (SIGINT after SECS, default 60); sets TD_RC,
# TD_CAPTURED ("N packets captured"), TD_KDROP ("N packets dropped by kernel"),
# and writes the digest of every frame of its file to $S/NAME.digests.
td_wait() {
	eval "_tp=\$TD_PID_$1"
	stop_after $_tp ${2:-60}
	TD_RC=$STOP_RC
	sed "s/^/  [$1] /" $S/$1.err
	TD_CAPTURED=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured$/\1/p' $S/$1.err)
	TD_KDROP=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel$/\1/p' $S/$1.err)
	pcapdigest $S/$1.pcap > $S/$1.digests || fail "$1: pcapdigest $S/$1.pcap"
}

# ring_of PID: the /proc/net/pf_ring file of PID's ring on $dev (empty: none).
ring_of() {
	ls $P | grep -E "^$1-$dev\.[0-9]+\$" | head -n 1
}

# ring_field FILE FIELD: a field of a ring's /proc file ("Tot Insert", ...).
ring_field() {
	sed -n "s/^$2 *: //p" "$P/$1"
}

# no-pfring: PCAP_NO_PF_RING=1: the real libpcap, no ring
expect_eq "no-pfring: rings open before" "$(sed -n 's/^Total rings *: //p' $P/info)" 0
td_start plain PCAP_NO_PF_RING=1 -- -c "$FIX_FRAMES" || fail "no-pfring: tcpdump did not start"
expect_eq "no-pfring: rings open while tcpdump runs" "$(sed -n 's/^Total rings *: //p' $P/info)" 0
expect_eq "no-pfring: ring of tcpdump" "$(ring_of $TD_PID_plain)" ""
inject $kind many_flows 1 || fail "no-pfring: inject many_flows"
td_wait plain 60
expect_eq "no-pfring: frames injected" "$INJ_FRAMES" "$FIX_FRAMES"
expect_eq "no-pfring: tcpdump exit status" "$TD_RC" 0
expect_eq "no-pfring: tcpdump: packets captured" "$TD_CAPTURED" "$FIX_FRAMES"
expect_eq "no-pfring: the -w file's frames, in order" "$(md5sum < $S/plain.digests)" \
	"$(md5sum < $S/fixture.digests)"

# shim: one tcpdump, the shim serving ethN through pf_ring.ko
td_start one -- -c "$FIX_FRAMES" || fail "shim: tcpdump did not start"
ring=$(ring_of $TD_PID_one)
[ -n "$ring" ] || fail "shim: no pf_ring ring of tcpdump (pid $TD_PID_one) in $P: $(ls $P | tr '\n' ' ')"
cat $P/$ring
expect_eq "shim: ring bound to" "$(ring_field $ring 'Bound Device')" "$dev"
expect_eq "shim: ring active" "$(ring_field $ring Active)" 1
inject $kind many_flows 1 || fail "shim: inject many_flows"
td_wait one 60
expect_eq "shim: tcpdump exit status" "$TD_RC" 0
expect_eq "shim: frames injected" "$INJ_FRAMES" "$FIX_FRAMES"
expect_eq "shim: tcpdump: packets captured" "$TD_CAPTURED" "$FIX_FRAMES"
expect_eq "shim: tcpdump: packets dropped by kernel" "$TD_KDROP" 0
expect_eq "shim: frames in the -w file" "$(wc -l < $S/one.digests)" "$FIX_FRAMES"
expect_eq "shim: the -w file's frames, in order" "$(md5sum < $S/one.digests)" \
	"$(md5sum < $S/fixture.digests)"
[ -e "$P/$ring" ] && fail "shim: $P/$ring still there after tcpdump ended"

# filter: tcpdump's filter runs in pf_ring.ko (the shim hands it to the engine):
# the ring itself counts the frames it refused
BPF='udp and port 53'
expect_count many_flows "$BPF"
tcpdump -Z root -r $E2E_FIXTURES/many_flows.pcap -w $S/ref.pcap "$BPF" 2> $S/ref.err ||
	fail "filter: tcpdump -r: $(cat $S/ref.err)"
pcapdigest -p $S/ref.pcap > $S/ref.digests || fail "filter: pcapdigest -p $S/ref.pcap"
expect_eq "filter: frames of the fixture matching '$BPF'" "$(wc -l < $S/ref.digests)" "$EXP"
td_start filt -- "$BPF" || fail "filter: tcpdump did not start"
ring=$(ring_of $TD_PID_filt)
[ -n "$ring" ] || fail "filter: no pf_ring ring of tcpdump (pid $TD_PID_filt)"
expect_eq "filter: ring's BPF" "$(ring_field $ring 'BPF Filtering')" Enabled
inject $kind many_flows 1 || fail "filter: inject many_flows"
# it never ends by itself: stop it once its ring saw every frame and it read them
seen_and_read() {
	[ "$(ring_field $ring 'Tot Packets')" -ge "$INJ_FRAMES" ] &&
		[ "$(ring_field $ring 'Tot Read')" -ge "$(ring_field $ring 'Tot Insert')" ]
}
wait_until 30 seen_and_read || echo "filter: the ring saw or read too little"
cat $P/$ring
rs="$(ring_field $ring 'Tot Packets') $(ring_field $ring 'Tot Filtered') $(ring_field $ring 'Tot Insert') $(ring_field $ring 'Tot Pkt Lost')"
kill -INT $TD_PID_filt
td_wait filt 30
expect_eq "filter: tcpdump exit status" "$TD_RC" 0
expect_eq "filter: ring seen, filtered, inserted, lost" "$rs" \
	"$INJ_FRAMES $((INJ_FRAMES - EXP)) $EXP 0"
expect_eq "filter: tcpdump: packets captured" "$TD_CAPTURED" "$EXP"
expect_eq "filter: the -w file's frames, in order" "$(md5sum < $S/filt.digests)" \
	"$(md5sum < $S/ref.digests)"

# cluster: two tcpdumps, one per-flow (2-tuple) cluster
for m in m1 m2; do
	td_start $m PCAP_PF_RING_CLUSTER_ID=$CLUSTER PCAP_PF_RING_USE_CLUSTER_PER_FLOW_2_TUPLE=1 \
		PCAP_PF_RING_APPNAME=tcpdump-$m || fail "cluster: tcpdump $m did not start"
done
r1=$(ring_of $TD_PID_m1) r2=$(ring_of $TD_PID_m2)
[ -n "$r1" ] && [ -n "$r2" ] || fail "cluster: no pf_ring ring for both tcpdumps: $(ls $P | tr '\n' ' ')"
expect_eq "cluster: cluster of m1's ring" "$(ring_field $r1 'Cluster Id')" $CLUSTER
expect_eq "cluster: cluster of m2's ring" "$(ring_field $r2 'Cluster Id')" $CLUSTER
expect_eq "cluster: application names" "$(ring_field $r1 'Appl. Name') $(ring_field $r2 'Appl. Name')" \
	"tcpdump-m1 tcpdump-m2"
inject $kind many_flows 1 || fail "cluster: inject many_flows"
# they never end by themselves: stop them once both read what their rings took
read_all() {
	[ $(($(ring_field $r1 'Tot Read') + $(ring_field $r2 'Tot Read'))) -ge $INJ_FRAMES ]
}
wait_until 30 read_all || echo "cluster: the rings read only $(ring_field $r1 'Tot Read') + $(ring_field $r2 'Tot Read')"
cat $P/$r1 $P/$r2
ins1=$(ring_field $r1 'Tot Insert') ins2=$(ring_field $r2 'Tot Insert')
lost="$(ring_field $r1 'Tot Pkt Lost') $(ring_field $r2 'Tot Pkt Lost')"
kill -INT $TD_PID_m1 $TD_PID_m2
td_wait m1 30; rc1=$TD_RC c1=$TD_CAPTURED
td_wait m2 30; rc2=$TD_RC c2=$TD_CAPTURED
expect_eq "cluster: tcpdump exit status" "$rc1 $rc2" "0 0"
expect_eq "cluster: rings: lost" "$lost" "0 0"
expect_eq "cluster: ring inserts m1 + m2" $((ins1 + ins2)) "$INJ_FRAMES"
n1=$(wc -l < $S/m1.digests) n2=$(wc -l < $S/m2.digests)
expect_eq "cluster: m1: frames in its file, captured, its ring's inserts" "$n1 $c1" "$ins1 $ins1"
expect_eq "cluster: m2: frames in its file, captured, its ring's inserts" "$n2 $c2" "$ins2 $ins2"
[ "$n1" -gt 0 ] && [ "$n2" -gt 0 ] || fail "cluster: one member got nothing ($n1/$n2)"
expect_eq "cluster: the frames of both members" "$(sort $S/m1.digests $S/m2.digests | md5sum)" \
	"$(sort $S/fixture.digests | md5sum)"
expect_eq "cluster: flows seen by both members" "$(shared_flows m1 m2 many_flows 2)" 0
expect_eq "cluster: union of the members' flows" "$(sort -u $S/m1.flows $S/m2.flows | md5sum)" \
	"$(fixture_keys many_flows 2 | sort -u | md5sum)"

# bad-env: a cluster id out of 1..254 fails tcpdump's open with the shim's
# message (libpcap's error path), before any capture
timeout 30 env LD_PRELOAD=$SHIM PCAP_PF_RING_CLUSTER_ID=255 \
	tcpdump -Z root -i $dev -c 1 -w $S/bad.pcap > $S/bad.out 2> $S/bad.err
rc=$?
cat $S/bad.err
expect_eq "bad-env: tcpdump exit status" "$rc" 1
grep -q 'PCAP_PF_RING_CLUSTER_ID="255": must be a cluster id 1..254' $S/bad.err ||
	fail "bad-env: no message naming PCAP_PF_RING_CLUSTER_ID: $(cat $S/bad.err)"
grep -q 'listening on' $S/bad.err && fail "bad-env: tcpdump captured"
pass
