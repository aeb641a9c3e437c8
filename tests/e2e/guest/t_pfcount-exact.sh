# pfcount-exact: pfcount -i ethX (kernel module through libpfring) receives
# exactly the 2000 frames of many_flows.pcap injected on each NIC, with their
# exact bytes, and drops none.
need_module
fixture_count many_flows
for kind in $E2E_NICS; do
	dev=$(nic_if $kind)
	pfcount_start $dev -q 3 || fail "$kind: pfcount -i $dev did not start"
	inject $kind many_flows 1 || fail "$kind: inject many_flows failed"
	pfcount_wait 60
	expect_eq "$kind pfcount exit status" "$PFC_RC" 0
	expect_eq "$kind frames injected" "$INJ_FRAMES" "$FIX_FRAMES"
	expect_eq "$kind pfcount pkts rcvd" "$PFC_PKTS" "$FIX_FRAMES"
	expect_eq "$kind pfcount pkts read" "$PFC_READ" "$FIX_FRAMES"
	expect_eq "$kind pfcount bytes" "$PFC_BYTES" "$INJ_BYTES60"
	expect_eq "$kind pfcount dropped" "$PFC_DROPPED" 0
done
pass
