# tx: pfsend through pf_ring.ko transmits a fixture that arrives at the host
# byte-identical, and TX capture (enable_tx_capture=1, direction TX only) sees
# exactly the frames sent.
need_module
fixture_count vlan
for kind in $E2E_NICS; do
	dev=$(nic_if $kind)
	pfe2e_start txcap $dev -e 2 -q 3 || fail "$kind: pfe2e -e 2"
	record_start $kind pftx-$kind || fail "$kind: record-start"
	pfsend -i $dev -f $E2E_FIXTURES/vlan.pcap -n $FIX_FRAMES || fail "$kind: pfsend"
	sleep 0.5
	record_stop pftx-$kind || fail "$kind: record-stop"
	pfe2e_wait txcap
	expect_eq "$kind frames at the host" "$REC_FRAMES" "$FIX_FRAMES"
	record_check pftx-$kind vlan || fail "$kind: recording differs: $(echo $CTL_OUT | tail -c 200)"
	expect_eq "$kind TX capture" "$P_RECEIVED" "$FIX_FRAMES"
done
pass
