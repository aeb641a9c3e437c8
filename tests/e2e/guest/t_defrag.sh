# defrag: with enable_ip_defrag=1, the 3 fragments of a UDP datagram reach the
# ring as one 3042-byte datagram, an incomplete datagram's lone fragment is
# held back, the unfragmented frame passes: 2 frames instead of the fixture's 5.
need_module
dev=$(nic_if e1000e)
fixture_count ipv4_fragments
pfe2e_start nodefrag $dev -v -q 3 || fail "pfe2e"
inject e1000e ipv4_fragments 1 || fail "inject"
pfe2e_wait nodefrag
expect_eq "frames without defrag" "$P_RECEIVED" "$FIX_FRAMES"
rmmod pf_ring || fail "rmmod"
modprobe pf_ring enable_ip_defrag=1 || fail "modprobe enable_ip_defrag=1"
expect_eq "info IP Defragment" "$(sed -n 's/^IP Defragment *: //p' /proc/net/pf_ring/info)" Yes
pfe2e_start defrag $dev -v -q 3 || fail "pfe2e"
inject e1000e ipv4_fragments 1 || fail "inject"
pfe2e_wait defrag
expect_eq "frames with defrag" "$P_RECEIVED" 2
grep -q '^frame 1518 3042 ' $E2E_STATE/defrag.out || fail "no reassembled 3042-byte datagram"
rmmod pf_ring && modprobe pf_ring || fail "reload with defaults"
pass
