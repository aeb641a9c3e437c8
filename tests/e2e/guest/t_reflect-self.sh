# reflect-self: with TX capture on (enable_tx_capture=1), a ring whose reflector is
# the device it captures (pfcount -i X -d X) re-sends each received frame exactly
# once: its own reflection, captured on transmit, is stored in the ring and never
# re-sent (that looped inside the transmit path: "Dead loop on virtual device" on
# a veth, an endless transmit on a NIC). On a veth pair and on e1000e; issue 11,
# finding 5.
need_module
fixture_count ipv4_tcp
dmesg -c > /dev/null
cleanup() { ip link del rf0 2>/dev/null; }
trap cleanup EXIT
veth_pair rf0 rf1 || fail "no veth pair rf0/rf1"

# veth: frames sent on rf1 arrive on rf0, the ring reflects them back out of rf0
pfe2e_start back rf1 -e 1 -q 3 || fail "pfe2e on rf1"
pfcount_start rf0 -d rf0 -q 3 || fail "pfcount -d on rf0"
expect_ok "send on rf1" e2e_ctl -i rf1 -S $E2E_FIXTURES/ipv4_tcp.pcap
pfcount_wait 60
pfe2e_wait back
dmesg | grep -iE 'dead loop|BUG|WARNING' && fail "veth: kernel complained"
expect_eq "veth: frames reflected back to rf1" "$P_RECEIVED" "$FIX_FRAMES"
expect_eq "veth: frames in the ring (RX + their reflection on TX)" "$PFC_PKTS" $((2 * FIX_FRAMES))

# e1000e: the host records exactly the injected frames coming back
dev=$(nic_if e1000e)
record_start e1000e self || fail "record-start"
pfcount_start $dev -d $dev -q 3 || fail "pfcount -d on $dev"
inject e1000e ipv4_tcp 1 || fail "inject"
pfcount_wait 60
sleep 0.5
record_stop self || fail "record-stop"
dmesg | grep -iE 'dead loop|BUG|WARNING' && fail "e1000e: kernel complained"
expect_eq "e1000e: frames reflected to the host" "$REC_FRAMES" "$FIX_FRAMES"
record_check self ipv4_tcp || fail "e1000e: reflected frames differ: $(echo $CTL_OUT | tail -c 200)"
expect_eq "e1000e: frames in the ring (RX + their reflection on TX)" "$PFC_PKTS" $((2 * FIX_FRAMES))
pass
