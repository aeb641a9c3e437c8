# reflect: pfcount -d (pfring_set_reflector_device) on the e1000e ring sends every
# received frame out of the igb NIC; the host records exactly the injected
# frames there, byte for byte.
need_module
fixture_count many_flows
record_start igb refl || fail "record-start"
pfcount_start $(nic_if e1000e) -d $(nic_if igb) -q 3 || fail "pfcount -d did not start"
inject e1000e many_flows 1 || fail "inject"
pfcount_wait 60
sleep 0.5
record_stop refl || fail "record-stop"
expect_eq "pfcount received" "$PFC_PKTS" "$FIX_FRAMES"
expect_eq "frames reflected to the host" "$REC_FRAMES" "$FIX_FRAMES"
record_check refl many_flows || fail "reflected frames differ: $(echo $CTL_OUT | tail -c 200)"
pass
