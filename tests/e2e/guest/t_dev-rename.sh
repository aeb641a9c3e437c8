# dev-rename: /proc/net/pf_ring/dev/<name> follows a device through a rename
# while a ring is bound to it; a new device taking the old name gets its own
# directory without a kernel WARNING ("proc_dir_entry already registered"); a
# deleted device's directory goes, also when a ring was bound to it until then;
# the ring keeps capturing on the renamed device. Issue 11, finding 3.
need_module
fixture_count ipv4_tcp
D=/proc/net/pf_ring/dev
dmesg -c > /dev/null
cleanup() { ip link del rn0 2>/dev/null; ip link del rn2 2>/dev/null; }
trap cleanup EXIT
field() { sed -n "s/^$2 *: //p" $D/$1/info 2>/dev/null; }

veth_pair rn0 rn1 || fail "no veth pair rn0/rn1"
expect_eq "dev/rn0 Name" "$(field rn0 Name)" rn0
pfe2e_start ring rn0 -e 1 -q 3 -m 60 || fail "pfe2e on rn0"
expect_eq "dev/rn0 bound sockets" "$(field rn0 '# Bound Sockets')" 1

expect_ok "rn0 down" ip link set rn0 down
expect_ok "rename rn0 to rn2" ip link set rn0 name rn2
expect_ok "rn2 up" ip link set rn2 up
[ -e $D/rn0 ] && fail "dev/rn0 is still there after the rename: $(ls $D | tr '\n' ' ')"
expect_eq "dev/rn2 Name" "$(field rn2 Name)" rn2
expect_eq "dev/rn2 Index" "$(field rn2 Index)" "$(cat /sys/class/net/rn2/ifindex)"
expect_eq "dev/rn2 bound sockets" "$(field rn2 '# Bound Sockets')" 1

veth_pair rn0 rn3 || fail "no second veth pair rn0/rn3"
expect_eq "new dev/rn0 Name" "$(field rn0 Name)" rn0
expect_eq "new dev/rn0 Index" "$(field rn0 Index)" "$(cat /sys/class/net/rn0/ifindex)"
expect_eq "new dev/rn0 bound sockets" "$(field rn0 '# Bound Sockets')" 0
expect_ok "delete rn0/rn3" ip link del rn0
for d in rn0 rn3; do
	[ -e $D/$d ] && fail "dev/$d is still there after its device was deleted"
done

expect_ok "send on rn1" e2e_ctl -i rn1 -S $E2E_FIXTURES/ipv4_tcp.pcap
# the delete does not wait for the ring bound to rn2 (finding 2): the ring
# keeps the frames it had, then its reader learns the device is gone
expect_ok "delete rn2 with a ring bound" timeout 20 ip link del rn2
pfe2e_wait ring
expect_eq "frames the ring got on the renamed device" "$P_RECEIVED" "$FIX_FRAMES"
expect_eq "the reader saw the device go" "$P_GONE" 1
for d in rn1 rn2; do
	[ -e $D/$d ] && fail "dev/$d is still there after its device was deleted"
done
dmesg | grep -iE 'BUG|WARNING|already registered|Oops' && fail "kernel complained"
pass
