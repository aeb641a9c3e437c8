# churn: a bounded churn of pf_ring.ko (issue 11, "a stress test that stays";
# docs/e2e.md "The churn test"). pfchurn's processes x threads do seeded random
# operations on rings of two veths, both NICs and any, with kills and respawns,
# closes under blocked readers and /proc readers, while the shell flaps a link,
# renames, deletes and re-creates a veth, loads and unloads the counter plugin,
# injects traffic on the NICs and runs the bind race; then a namespace ends with
# rings in it, pf_ring.ko is unloaded and reloaded against short-lived sockets.
# Verdict: pfchurn met no unexpected error, the kernel said nothing, no ring is
# left, slab memory is back to its level before the churn after rmmod, and a
# capture after the final reload gets exactly the injected frames.
# Seed and length: e2e_churn_seed=N / e2e_churn_secs=S on the kernel command line
# (E2E_CHURN_SEED / E2E_CHURN_SECS of ci/e2e-run.sh); the seed is printed.

# Phases that need issue 11's findings 2 (devices that go away) and 4 (a module
# reference per rule naming a plugin) fixed in pf_ring.ko: flip to 1 once merged.
CHURN_DEV_GONE=0
CHURN_PLUGIN_RULES=0

need_module
P=/proc/net/pf_ring
cmdline_value() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p"; }
SEED=$(cmdline_value e2e_churn_seed)
SEED=${SEED:-$(date +%s)}
SECS=$(cmdline_value e2e_churn_secs)
SECS=${SECS:-40}
echo "churn: seed $SEED, main phase $SECS s, dev-gone $CHURN_DEV_GONE, plugin rules $CHURN_PLUGIN_RULES"
STOP=$E2E_STATE/churn.stop
NIC1=$(nic_if e1000e) NIC2=$(nic_if igb)

cleanup() {
	touch $STOP
	for p in $(cat $E2E_STATE/pids 2>/dev/null); do kill -KILL $p 2>/dev/null; done
	wait
	for d in ch0 ch1 chr ch2 ch3 ch4; do ip link del $d 2>/dev/null; done
	rmmod pfring_plugin_counter 2>/dev/null
	grep -q '^pf_ring ' /proc/modules || modprobe pf_ring
}
trap cleanup EXIT

# The memory of every slab object in use (active objects x object size), after
# the kernel has dropped its caches and every cache has been shrunk (which
# flushes the per-CPU slabs: /proc/slabinfo counts their free objects as
# active otherwise, hundreds of KiB of noise). pf_ring's sockets, rings'
# bookkeeping, rules, clusters and /proc entries all come from slabs (the rings
# themselves are vmalloc'ed and show in /proc/meminfo's VmallocUsed).
# slab_bytes FILE: that sum, and a copy of /proc/slabinfo in FILE.
# slab_growth FILE0 FILE1: the caches that grew most between the two, in bytes.
slab_bytes() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
	for _c in /sys/kernel/slab/*/shrink; do echo 1 > $_c; done 2> /dev/null
	cat /proc/slabinfo > $1
	awk 'NR > 2 { s += $2 * $4 } END { print s }' $1
}
slab_growth() {
	awk 'FNR > 2 && NR == FNR { b[$1] = $2 * $4; next }
	     FNR > 2 { d = $2 * $4 - b[$1]; if (d) print d, $1, $2 }' $1 $2 | sort -rn | head -n 12
}
vmalloc_kb() { sed -n 's/^VmallocUsed: *\([0-9]*\) kB/\1/p' /proc/meminfo; }
count_file() { echo $(( $(cat $E2E_STATE/$1 2>/dev/null || echo 0) + 1 )) > $E2E_STATE/$1; }
rings_left() { sed -n 's/^Total rings *: //p' $P/info; }
ring_files() { ls $P | grep -c -- '-'; }

veth_pair ch0 cp0 && veth_pair ch1 cp1 && veth_pair ch2 cp2 || fail "no veth pairs"
dmesg -c > /dev/null

# Warm-up: the caches the churn uses exist before the reference is taken (and
# every file the test writes until the second measure: tmpfs inodes are slab
# objects too).
for f in churn.stop flaps renames deletes plugin_loads plugin_unloads plugin_busy \
	proc_reads plugin_rmmod.err pfrace.out inject.out churn.out netns.out gone.ch3 \
	gone.ch4 reload.out unloads unload_busy slab0 slab1; do
	touch $E2E_STATE/$f
done
unshare -n true
pfchurn -s $SEED -t 3 -p 2 -j 2 -k 500 -w cp0 -r ch0 ch0 $NIC1 > $E2E_STATE/warm.out 2>&1 ||
	{ cat $E2E_STATE/warm.out; fail "warm-up churn failed"; }
modprobe pfring_plugin_counter && rmmod pfring_plugin_counter || fail "plugin warm-up"
rmmod pf_ring || fail "rmmod pf_ring before the churn (nothing open)"
SLAB0=$(slab_bytes $E2E_STATE/slab0) VMALLOC0=$(vmalloc_kb)
echo "churn: before: slab $SLAB0 bytes, vmalloc $VMALLOC0 kB"
modprobe pf_ring || fail "modprobe pf_ring"

# ---- phase 1: the churn, with links flapping, a veth renamed, deleted and
# re-created, the plugin loaded and unloaded, NIC traffic and the bind race.
rm -f $STOP
flap() {
	while [ ! -e $STOP ]; do
		ip link set ch0 down; usleep $((100000 + RANDOM % 400000))
		ip link set ch0 up; usleep $((100000 + RANDOM % 400000))
		count_file flaps
	done
}
rename_delete() {
	while [ ! -e $STOP ]; do
		ip link set ch1 down && ip link set ch1 name chr && ip link set chr up && count_file renames
		usleep 500000
		ip link set chr down && ip link set chr name ch1 && ip link set ch1 up
		usleep 500000
		ip link del ch1 && count_file deletes
		veth_pair ch1 cp1 || echo "churn: veth ch1 not re-created"
		usleep 500000
	done
}
plugin_churn() {
	while [ ! -e $STOP ]; do
		modprobe pfring_plugin_counter && count_file plugin_loads
		usleep 300000
		if rmmod pfring_plugin_counter 2> $E2E_STATE/plugin_rmmod.err; then
			count_file plugin_unloads
		else
			count_file plugin_busy
		fi
		usleep 200000
	done
}
proc_reader() {
	while [ ! -e $STOP ]; do
		cat $P/info $P/plugins_info $P/dev/*/info $P/*-* > /dev/null 2>&1
		count_file proc_reads
	done
}
RANDOM=$SEED
plugin_opt=
[ $CHURN_PLUGIN_RULES = 1 ] && plugin_opt=-P
flap & echo $! >> $E2E_STATE/pids
rename_delete & echo $! >> $E2E_STATE/pids
plugin_churn & echo $! >> $E2E_STATE/pids
proc_reader & echo $! >> $E2E_STATE/pids
pfrace $NIC2 8 > $E2E_STATE/pfrace.out 2>&1 & race=$!
(inject e1000e many_flows 3 1000; inject igb many_flows 3 1000) > $E2E_STATE/inject.out 2>&1 &
injects=$!
pfchurn -s $SEED -t $SECS -n 500000 -p 4 -j 3 -k 300 $plugin_opt -w cp0,cp1 -r ch0,ch1 \
	ch0 ch1 $NIC1 $NIC2 any > $E2E_STATE/churn.out 2>&1
churn_rc=$?
touch $STOP
wait $race; race_rc=$?
wait $injects
for p in $(cat $E2E_STATE/pids); do wait $p 2>/dev/null; done
cat $E2E_STATE/churn.out $E2E_STATE/pfrace.out
for f in flaps renames deletes plugin_loads plugin_unloads plugin_busy proc_reads; do
	echo "churn: $f $(cat $E2E_STATE/$f 2>/dev/null || echo 0)"
done
grep -q '^pfrace: sockets .* wrong 0 ' $E2E_STATE/pfrace.out && [ $race_rc = 0 ] ||
	fail "the bind race during the churn (rc $race_rc): $(tail -n 1 $E2E_STATE/pfrace.out)"
set -- $(grep '^pfchurn: summary' $E2E_STATE/churn.out)
[ $# = 20 ] || fail "no pfchurn summary (rc $churn_rc)"
echo "churn: seed $4: $6 operations, $8 kills"
expect_eq "unexpected errors in the churn (seed $SEED)" "${14}" 0
expect_eq "hung workers" "${16}" 0
expect_eq "pfchurn exit" "$churn_rc" 0
[ "$6" -gt 0 ] && [ "$8" -gt 0 ] || fail "the churn did nothing: $6 operations, $8 kills"
[ -e /sys/class/net/ch1 ] || veth_pair ch1 cp1 || fail "veth ch1 not re-created"

# ---- phase 2: a namespace ends with rings in it: cp2 moves into a new network
# namespace, a churn runs there on it and lo, then everything in it is killed;
# the namespace goes, and with it the veth pair (ch2 too).
unshare -n sleep 120 & holder=$!
echo $holder >> $E2E_STATE/pids
usleep 200000
ip link set cp2 netns $holder || fail "moving cp2 into a namespace"
nsenter -t $holder -n sh -c 'ip link set lo up; ip link set cp2 up'
nsenter -t $holder -n pfchurn -s $SEED -t 30 -p 2 -j 2 -k 200 -r cp2 cp2 lo \
	> $E2E_STATE/netns.out 2>&1 & nschurn=$!
sleep 3
kill -KILL $nschurn $holder
wait $nschurn $holder 2>/dev/null
n=0
while [ -e /sys/class/net/ch2 ] && [ $n -lt 300 ]; do usleep 100000; n=$((n + 1)); done
[ -e /sys/class/net/ch2 ] && fail "ch2 still there 30 s after its peer's namespace ended"
echo "churn: namespace gone, ch2 with it after ${n}00 ms"

# ---- phase 3 (finding 2): devices deleted, and a namespace ended, under rings
# of init_net with blocked readers: the deletion does not wait for the ring,
# the reader wakes, the ring says the device is gone.
if [ $CHURN_DEV_GONE = 1 ]; then
	veth_pair ch3 cp3 && veth_pair ch4 cp4 || fail "no veth pairs ch3, ch4"
	for d in ch3 ch4; do
		pfgone $d 20 > $E2E_STATE/gone.$d 2>&1 & gone=$!
		n=0
		while ! grep -q 'pfgone: ready' $E2E_STATE/gone.$d; do
			[ $n -ge 100 ] && fail "pfgone $d did not start: $(cat $E2E_STATE/gone.$d)"
			usleep 100000; n=$((n + 1))
		done
		if [ $d = ch3 ]; then
			timeout 10 ip link del ch3 || fail "ip link del ch3 under a ring did not end within 10 s"
		else
			unshare -n sleep 120 & holder=$!
			echo $holder >> $E2E_STATE/pids
			usleep 200000
			ip link set cp4 netns $holder || fail "moving cp4 into a namespace"
			kill -KILL $holder; wait $holder 2>/dev/null
		fi
		wait $gone; rc=$?
		cat $E2E_STATE/gone.$d
		expect_eq "pfgone $d exit" "$rc" 0
	done
	n=0
	while [ -e /sys/class/net/ch4 ] && [ $n -lt 100 ]; do usleep 100000; n=$((n + 1)); done
	[ -e /sys/class/net/ch4 ] && fail "ch4 still there 10 s after its peer's namespace ended"
fi

# ---- phase 4: pf_ring.ko unloaded and reloaded against short-lived sockets
# (and /proc files held open): rmmod fails while a socket is open (counted),
# a socket opened while it is out fails (nomod) or loads it again (net-pf-27).
pfchurn -s $SEED -t 8 -p 2 -j 1 -k 0 -z 300000 -m open,enable,recv,poll,close,proc \
	ch0 $NIC1 > $E2E_STATE/reload.out 2>&1 & reload=$!
end=$(($(date +%s) + 8))
while [ $(date +%s) -lt $end ]; do
	if rmmod pf_ring 2> /dev/null; then count_file unloads; else count_file unload_busy; fi
	usleep 20000
	grep -q '^pf_ring ' /proc/modules || modprobe pf_ring || fail "modprobe pf_ring during the reload churn"
	usleep 20000
done
wait $reload; reload_rc=$?
cat $E2E_STATE/reload.out
echo "churn: rmmod pf_ring: $(cat $E2E_STATE/unloads 2>/dev/null || echo 0) unloaded, $(cat $E2E_STATE/unload_busy 2>/dev/null || echo 0) refused (sockets open)"
set -- $(grep '^pfchurn: summary' $E2E_STATE/reload.out)
[ $# = 20 ] || fail "no summary of the reload churn (rc $reload_rc)"
expect_eq "unexpected errors in the reload churn" "${14}" 0
expect_eq "reload churn exit" "$reload_rc" 0
grep -q '^pf_ring ' /proc/modules || modprobe pf_ring || fail "modprobe pf_ring after the reload churn"

# ---- verdict: nothing left, memory back, the kernel silent, an exact capture.
expect_eq "rings left (Total rings)" "$(rings_left)" 0
expect_eq "ring files left in $P" "$(ring_files)" 0
rmmod pfring_plugin_counter 2> /dev/null
rmmod pf_ring || fail "rmmod pf_ring after the churn"
for d in ch0 ch1 ch2 ch3 ch4; do ip link del $d 2> /dev/null; done
veth_pair ch0 cp0 && veth_pair ch1 cp1 && veth_pair ch2 cp2 || fail "veth pairs for the measure"
# objects freed after an RCU grace period or by a workqueue (a namespace's end)
# may take a moment: the first of 10 measures a second apart within the bound
bound=8192
n=0
while :; do
	SLAB1=$(slab_bytes $E2E_STATE/slab1) VMALLOC1=$(vmalloc_kb)
	echo "churn: after: slab $SLAB1 bytes ($((SLAB1 - SLAB0)) more), vmalloc $VMALLOC1 kB ($((VMALLOC1 - VMALLOC0)) more)"
	[ $((SLAB1 - SLAB0)) -le $bound ] && break
	slab_growth $E2E_STATE/slab0 $E2E_STATE/slab1
	n=$((n + 1))
	[ $n -ge 10 ] && fail "slab memory grew by $((SLAB1 - SLAB0)) bytes over the churn (bound $bound)"
	sleep 1
done
modprobe pf_ring || fail "modprobe pf_ring for the final capture"
dmesg > $E2E_STATE/dmesg.out
grep -iE 'BUG:|WARNING:|Oops|general protection|refcount_t|RIP:|to become free|lockdep|circular locking|hung_task|blocked for more than|Call Trace|segfault|Dead loop|already registered' \
	$E2E_STATE/dmesg.out && fail "the kernel complained during the churn"
fixture_count many_flows
for kind in $E2E_NICS; do
	pfcount_start $(nic_if $kind) -q 3 || fail "$kind: pfcount did not start after the reload"
	inject $kind many_flows 1 || fail "$kind: inject many_flows"
	pfcount_wait 60
	expect_eq "$kind: frames after the churn and reload" "$PFC_PKTS" "$FIX_FRAMES"
	expect_eq "$kind: bytes after the churn and reload" "$PFC_BYTES" "$INJ_BYTES60"
	expect_eq "$kind: dropped after the churn and reload" "$PFC_DROPPED" 0
done
pass
