# ctl-roundtrip: the control path and the wires without pf_ring. On each NIC,
# the peer injects ipv4_tcp.pcap (5 frames) and then many_flows.pcap (2000);
# e2e_ctl counts, on a raw AF_PACKET socket, exactly as many non-control
# frames as the fixture holds, with the bytes the NIC delivers (short frames
# padded to 60).
for kind in $E2E_NICS; do
	for fx in ipv4_tcp many_flows; do
		fixture_count $fx
		inject_counted $kind $fx 1 || fail "$kind: inject $fx: $(echo $CTL_OUT | tail -c 200)"
		expect_eq "$kind $fx frames sent by the peer" "$INJ_FRAMES" "$FIX_FRAMES"
		expect_eq "$kind $fx frames counted" "$CNT_FRAMES" "$FIX_FRAMES"
		expect_eq "$kind $fx bytes counted" "$CNT_BYTES" "$INJ_BYTES60"
	done
done
pass
