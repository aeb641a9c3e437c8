# zcluster: libzero's DNA Cluster on igb's two RSS queues (dna:IF@0 and
# dna:IF@1 registered with one master, pfdnacluster_master) feeding two slave
# processes (pfe2e on dnacluster:ID@0 and @1). many_flows injected by the host
# reaches the slaves exactly once: together every frame of the fixture, byte
# for byte (digests), and no flow at both slaves (the default distribution is
# the symmetric IP hash: flows are the host's 2-tuple keys, type 2). Then the
# master's final stats: rx = the frames injected, processed = the same (each
# slave released each buffer), tx 0. A slave killed with -9 mid-run is reaped:
# a new slave attaches in its place and receives.

dna_setup   # lib.sh: modules, hugepages, ADDRS, restore_nics on exit
export PFRING_DNA_RSS=2
IF=$(nic_if igb)
ADDR=$ADDR_IGB
DRV=$(drv_of $ADDR)
ID=11
S=$E2E_STATE
OUT=$S/master.out

# master_start: pfdnacluster_master in the background; waits for its pool.
master_start() {
	rm -f /dev/shm/pfring_zero.$ID
	echo "pfdnacluster_master -i dna:$IF@0,dna:$IF@1 -c $ID -n 2"
	pfdnacluster_master -i "dna:$IF@0,dna:$IF@1" -c $ID -n 2 > "$OUT" 2>&1 &
	MASTER_PID=$!
	echo $MASTER_PID >> $S/pids
	wait_until 20 [ -e /dev/shm/pfring_zero.$ID ] || { cat "$OUT"; return 1; }
}

master_stop() {
	kill -INT $MASTER_PID
	wait $MASTER_PID
	MASTER_RC=$?
	cat "$OUT"
}

master_start || fail "the master did not start"
pfe2e_start s0 "dnacluster:$ID@0" -q 3 || fail "slave 0 did not start"
pfe2e_start s1 "dnacluster:$ID@1" -q 3 || fail "slave 1 did not start"
ctl e1000e -t 120 inject many_flows 1 rate=2000 to=igb || fail "inject many_flows"
pfe2e_wait s0; r0=$P_RECEIVED d0=$P_DROP
pfe2e_wait s1; r1=$P_RECEIVED d1=$P_DROP
expect_eq "slave 0 + slave 1" $((r0 + r1)) "$INJ_FRAMES"
expect_eq "slave drops" "$d0 $d1" "0 0"
[ "$r0" -gt 0 ] && [ "$r1" -gt 0 ] || fail "one slave got nothing ($r0/$r1)"
expect_eq "the frames of both slaves" "$(sort $S/s0.digests $S/s1.digests | md5sum)" \
	"$(fixture_digests many_flows | sort | md5sum)"
expect_eq "flows seen by both slaves" "$(shared_flows s0 s1 many_flows 2)" 0
expect_eq "union of the slaves' flows" "$(sort -u $S/s0.flows $S/s1.flows | md5sum)" \
	"$(fixture_keys many_flows 2 | sort -u | md5sum)"

# a slave killed with -9 holding buffers: the master reaps it, a new slave 0 attaches
pfe2e_start killed "dnacluster:$ID@0" -q 60 -m 60 || fail "slave to be killed did not start"
eval "kill -9 \$PFE_PID_killed"
sleep 1     # the master reaps within a few ms
pfe2e_start again "dnacluster:$ID@0" -q 3 || fail "slave 0 not free after kill -9"
pfe2e_start other "dnacluster:$ID@1" -q 3 || fail "slave 1 did not start again"
ctl e1000e -t 120 inject many_flows 1 rate=2000 to=igb || fail "inject after kill -9"
pfe2e_wait again; r0=$P_RECEIVED
pfe2e_wait other; r1=$P_RECEIVED
expect_eq "after kill -9: slave 0 + slave 1" $((r0 + r1)) "$INJ_FRAMES"

master_stop
expect_eq "master exit" "$MASTER_RC" 0
check_back igb $ADDR $IF $DRV "after the master"
pass
