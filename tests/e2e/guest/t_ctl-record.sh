# ctl-record: the TX direction of the wires and the peer's recorder, without
# pf_ring. On each NIC, e2e_ctl sends vlan.pcap raw (AF_PACKET); the peer's
# recording of that NIC equals the fixture byte for byte.
for kind in $E2E_NICS; do
	fixture_count vlan
	record_start $kind tx-$kind || fail "$kind: record-start"
	e2e_ctl -i $(nic_if $kind) -S $E2E_FIXTURES/vlan.pcap || fail "$kind: e2e_ctl -S"
	sleep 0.5
	record_stop tx-$kind || fail "$kind: record-stop"
	expect_eq "$kind frames recorded" "$REC_FRAMES" "$FIX_FRAMES"
	record_check tx-$kind vlan || fail "$kind: $(echo $CTL_OUT | tail -c 200)"
done
pass
