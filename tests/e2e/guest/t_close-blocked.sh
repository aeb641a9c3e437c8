# close-blocked: pfring_close() from one thread while another sleeps in
# pfring_recv / pfring_poll / pfring_loop on the same pf_ring.ko ring (reentrant
# and not): 300 trials, every reader returns 0 or 1 within 3 s, every close
# within 1 s (the wake-up, not the 5 s poll duration), no crash, no kernel
# message, no ring left. Issue 11, finding 6.
need_module
dmesg -c > /dev/null
cleanup() { ip link del cb0 2>/dev/null; }
trap cleanup EXIT
veth_pair cb0 cb1 || fail "no veth pair cb0/cb1"
ip link set cb0 down	# idle: no frame reaches the rings
pfclose cb0 300 > $E2E_STATE/pfclose.out 2>&1; rc=$?
cat $E2E_STATE/pfclose.out
dmesg | grep -iE 'BUG|WARNING|Oops|general protection|refcount|RIP' && fail "kernel complained"
set -- $(grep '^pfclose: trials' $E2E_STATE/pfclose.out)
[ $# = 9 ] || fail "no pfclose summary (rc $rc)"
expect_eq "trials" "$3" 300
expect_eq "readers returned" "$5" 300
expect_eq "wrong returns" "$7" 0
expect_eq "slow closes" "$9" 0
expect_eq "pfclose exit" "$rc" 0
expect_eq "rings left in /proc" "$(ls /proc/net/pf_ring | grep -c -- '-')" 0
pass
