# params: module parameters. A reload with min_num_slots=64, enable_tx_capture=0
# and transparent_mode=1 shows in /proc; a ring of 64 full-size slots that is
# not read while 2000 frames arrive keeps what fits and counts every other
# frame as dropped (received + dropped = injected, exactly); TX capture is
# off; transparent_mode=3 is refused (EINVAL, and the module says why);
# quick_mode=1 refuses a second socket on one interface (EBUSY). The defaults
# are restored however the test ends.
need_module
P=/proc/net/pf_ring
reload_module_at_exit
rmmod pf_ring || fail "rmmod"
modprobe pf_ring min_num_slots=64 enable_tx_capture=0 transparent_mode=1 || fail "modprobe with params"
cat $P/info
expect_eq "Ring slots" "$(sed -n 's/^Ring slots *: //p' $P/info)" 64
expect_eq "Capture TX" "$(sed -n 's/^Capture TX *: //p' $P/info)" "No [RX only]"
grep -q '^Transparent mode : No (mode 1) \[needs PF_RING-aware drivers' $P/info || fail "transparent_mode=1 not explained"
dev=$(nic_if e1000e)
expect_count many_flows
pfe2e_start small $dev -d 5 -q 3 || fail "pfe2e -d"
inject e1000e many_flows 1 || fail "inject"
pfe2e_wait small 90
expect_eq "received + dropped" $((P_RECEIVED + P_DROP)) "$EXP"
[ "$P_DROP" -gt 0 ] || fail "a 64-slot ring held 2000 frames"
[ "$P_RECEIVED" -lt "$EXP" ] || fail "received all $P_RECEIVED frames"
fixture_count vlan
pfe2e_start notx $dev -e 2 -q 2 -m 4 || fail "pfe2e -e 2"
pfsend -i $dev -f $E2E_FIXTURES/vlan.pcap -n $FIX_FRAMES || fail "pfsend"
pfe2e_wait notx
expect_eq "TX captured with enable_tx_capture=0" "$P_RECEIVED" 0
rmmod pf_ring || fail "rmmod"
modprobe pf_ring quick_mode=1 || fail "modprobe quick_mode=1"
expect_eq "Socket Mode" "$(sed -n 's/^Socket Mode *: //p' $P/info)" Quick
pfe2e_start first $dev -q 2 -m 3 || fail "first socket in quick_mode"
pfe2e capture -i $dev -m 1 > $E2E_STATE/second.out 2>&1 && fail "a second socket on $dev in quick_mode"
cat $E2E_STATE/second.out
grep -q 'pfring_open failed (-1, errno 16: ' $E2E_STATE/second.out ||
	fail "second open in quick_mode not refused with EBUSY: $(cat $E2E_STATE/second.out)"
pfe2e_wait first
rmmod pf_ring || fail "rmmod"
modprobe pf_ring transparent_mode=3 2>$E2E_STATE/tm3.err && fail "transparent_mode=3 accepted"
cat $E2E_STATE/tm3.err
grep -q 'Invalid argument' $E2E_STATE/tm3.err || fail "transparent_mode=3: $(cat $E2E_STATE/tm3.err)"
dmesg | grep -q 'pf_ring: transparent_mode=3: valid values are 0, 1, 2' ||
	fail "transparent_mode=3 refused without the module's message"
modprobe pf_ring || fail "modprobe defaults"
pass
