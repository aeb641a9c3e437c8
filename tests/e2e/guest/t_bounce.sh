# bounce: a wildcard rule with the bounce action sends the frames it matches
# (TCP port 80, both directions) back out of the NIC they came in on, and
# pfring_send_last_rx_packet resends every frame a ring received: the host
# records exactly those frames on that NIC.
need_module
dev=$(nic_if e1000e)
expect_count many_flows "tcp port 80"
port80=$EXP
record_start e1000e bounce || fail "record-start"
pfe2e_start bnc $dev -e 1 -W 1,bounce,6,80 -q 3 || fail "pfe2e -W bounce"
inject e1000e many_flows 1 || fail "inject"
pfe2e_wait bnc
sleep 0.5
record_stop bounce || fail "record-stop"
expect_eq "frames bounced" "$REC_FRAMES" "$port80"

expect_count ipv4_tcp
record_start e1000e lastrx || fail "record-start"
pfe2e_start lrx $dev -e 1 -L -q 3 || fail "pfe2e -L"
inject e1000e ipv4_tcp 1 || fail "inject"
pfe2e_wait lrx
sleep 0.5
record_stop lastrx || fail "record-stop"
expect_eq "frames received" "$P_RECEIVED" "$EXP"
expect_eq "frames resent" "$REC_FRAMES" "$EXP"
record_check lastrx ipv4_tcp || fail "resent frames differ: $(echo $CTL_OUT | tail -c 200)"
pass
