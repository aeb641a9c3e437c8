# bind-race: bind() racing poll(), SO_GET_NUM_QUEUED_PKTS and SO_GET_RING_STATS on
# the same socket (three pairs of threads, a fresh socket each round, 8 s): every
# call sees no ring (ENOTCONN, nothing readable) or a whole one, every bind
# succeeds, and the kernel says nothing (a NULL dereference panics the guest:
# oops=panic). Issue 11, finding 1.
need_module
dmesg -c > /dev/null
pfrace $(nic_if e1000e) 8 > $E2E_STATE/pfrace.out 2>&1; rc=$?
cat $E2E_STATE/pfrace.out
dmesg | grep -iE 'BUG|WARNING|Oops|general protection|refcount|RIP' && fail "kernel complained during the race"
set -- $(grep '^pfrace: sockets' $E2E_STATE/pfrace.out)
[ $# = 11 ] || fail "no pfrace summary (rc $rc)"
expect_eq "wrong answers" "$7" 0
expect_eq "binds" "$5" "$3"
expect_eq "checks after bind" "${11}" "$3"
[ "$3" -ge 100 ] || fail "only $3 sockets raced in 8 s (about 400 seen)"
expect_eq "pfrace exit" "$rc" 0
expect_eq "rings left in /proc" "$(ls /proc/net/pf_ring | grep -c -- '-')" 0
pass
