# dev-gone: a device with rings bound goes away, and nothing waits for the
# rings: a veth deleted, a veth moved into another namespace, a namespace torn
# down (its veth takes the peer the rings are bound to with it), the igb driver
# unloaded. Each time the unregister completes at once, both readers (one
# asleep in pfring_recv, one in pfring_poll on a second ring) get exactly the
# frames queued before and then ENODEV, and so do a later recv, poll and send;
# no kernel message, no ring left. igb loaded again captures exactly.
# Issue 11, finding 2.
need_module
fixture_count ipv4_tcp
P=/proc/net/pf_ring
dmesg -c > /dev/null
NSPID=
cleanup() {
	for d in dg0 dm0 dn0; do ip link del $d 2>/dev/null; done
	[ -n "$NSPID" ] && kill $NSPID 2>/dev/null
}
trap cleanup EXIT

# gone_start NAME DEV: pfgone on DEV (two rings, two sleeping readers) in the
# background; returns once both sleep.
gone_start() {
	rm -f $E2E_STATE/$1.ready
	pfgone $2 $E2E_STATE/$1.ready 45 > $E2E_STATE/$1.out 2>&1 &
	eval GONE_PID_$1=$!
	wait_until 15 [ -e $E2E_STATE/$1.ready ]
}

# gone_check NAME FRAMES: pfgone NAME ended by itself (within 20 s), both
# readers got FRAMES frames, then every call said ENODEV.
gone_check() {
	eval _pid=\$GONE_PID_$1
	wait_until 20 eval '! kill -0 $_pid 2>/dev/null' ||
		fail "$1: the readers still sleep 20 s after the device went"
	wait $_pid
	_rc=$?
	sed "s/^/  [$1] /" $E2E_STATE/$1.out
	grep -q '^pfgone: timeout' $E2E_STATE/$1.out &&
		fail "$1: the readers were never told (pfgone's 45 s limit)"
	expect_eq "$1: pfgone exit" "$_rc" 0
	for _c in recv poll-thread; do
		expect_eq "$1: $_c" "$(grep "^$_c received" $E2E_STATE/$1.out)" \
			"$_c received $2 rc -1 errno 19 (No such device)"
	done
	for _c in recv-nowait poll; do
		expect_eq "$1: $_c" "$(grep "^$_c rc" $E2E_STATE/$1.out)" \
			"$_c rc -1 errno 19 (No such device)"
	done
	grep -q '^send rc -[0-9]* errno 19 ' $E2E_STATE/$1.out || fail "$1: send after the end"
}

# 1. ip link del with rings bound and frames queued below the poll watermark
veth_pair dg0 dg1 || fail "no veth pair dg0/dg1"
gone_start del dg0 || fail "pfgone on dg0 did not start"
expect_ok "send on dg1" e2e_ctl -i dg1 -S $E2E_FIXTURES/ipv4_tcp.pcap
sleep 0.5
expect_ok "delete dg0 with rings bound (not waiting for them)" timeout 20 ip link del dg0
gone_check del "$FIX_FRAMES"
[ -e $P/dev/dg0 ] && fail "dev/dg0 is still there"

# 2. a device moved into another namespace leaves this one: unregistered here
unshare -n sleep 600 &
NSPID=$!
sleep 0.3
# as /init does here: no IPv6, so the guest sends no frame of its own
for _c in all default; do
	expect_ok "no IPv6 in the namespace ($_c)" nsenter -t $NSPID -n \
		sh -c "echo 1 > /proc/sys/net/ipv6/conf/$_c/disable_ipv6"
done
veth_pair dm0 dm1 || fail "no veth pair dm0/dm1"
gone_start move dm0 || fail "pfgone on dm0 did not start"
expect_ok "send on dm1" e2e_ctl -i dm1 -S $E2E_FIXTURES/ipv4_tcp.pcap
sleep 0.5
expect_ok "move dm0 into the namespace" timeout 20 ip link set dm0 netns $NSPID
gone_check move "$FIX_FRAMES"

# 3. the namespace torn down: dn1 inside it is deleted, and its peer dn0 too
veth_pair dn0 dn1 || fail "no veth pair dn0/dn1"
expect_ok "move dn1 into the namespace" ip link set dn1 netns $NSPID
gone_start netns dn0 || fail "pfgone on dn0 did not start"
expect_ok "dn1 up in the namespace" nsenter -t $NSPID -n ip link set dn1 up
expect_ok "send on dn1 in the namespace" nsenter -t $NSPID -n e2e_ctl -i dn1 -S \
	$E2E_FIXTURES/ipv4_tcp.pcap
sleep 0.5
kill $NSPID
wait $NSPID 2>/dev/null
NSPID=
gone_check netns "$FIX_FRAMES"
wait_until 20 [ ! -e /sys/class/net/dn0 ] || fail "dn0 outlived its peer's namespace by 20 s"

# 4. the NIC's driver unloaded, then loaded again
igb=$(nic_if igb)
gone_start rmmod $igb || fail "pfgone on $igb did not start"
inject igb ipv4_tcp 1 || fail "inject ipv4_tcp on igb"
sleep 0.5
expect_ok "rmmod igb with rings bound" timeout 60 rmmod igb
gone_check rmmod "$INJ_FRAMES"
expect_eq "frames injected" "$INJ_FRAMES" "$FIX_FRAMES"
expect_ok "modprobe igb" modprobe igb
wait_until 10 eval '[ "$(cat /sys/class/net/$igb/device/device 2>/dev/null)" = 0x10c9 ]' ||
	fail "igb came back under another name: $(ls /sys/class/net | tr '\n' ' ')"
expect_ok "$igb up" ip link set $igb up
wait_until 15 eval '[ "$(cat /sys/class/net/$igb/carrier 2>/dev/null)" = 1 ]'
pfe2e_start again $igb -q 3 || fail "pfe2e on $igb after the reload"
inject igb many_flows 1 || fail "inject many_flows after the reload"
pfe2e_wait again
expect_eq "frames captured on igb after the reload" "$P_RECEIVED" 2000
expect_eq "drops on igb after the reload" "$P_DROP" 0

expect_eq "rings left" "$(sed -n 's/^Total rings *: //p' $P/info)" 0
dmesg | grep -E 'BUG|WARNING|Oops|general protection|refcount|RIP:|to become free' &&
	fail "kernel complained"
pass
