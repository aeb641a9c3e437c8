# rmmod-busy: rmmod pf_ring with a socket open is refused (the module is in
# use: EAGAIN) and the socket keeps working; a process killed with its ring
# mapped leaves nothing behind; once every socket is closed the module unloads
# and loads again.
need_module
dev=$(nic_if e1000e)
pfe2e_start busy $dev -q 3 || fail "pfe2e did not start"
rmmod pf_ring 2>$E2E_STATE/rmmod.err && fail "rmmod succeeded with a socket open"
cat $E2E_STATE/rmmod.err
grep -q "Resource temporarily unavailable" $E2E_STATE/rmmod.err ||
	fail "rmmod with a socket open failed for another reason: $(cat $E2E_STATE/rmmod.err)"
inject e1000e ipv4_tcp 1 || fail "inject"
pfe2e_wait busy
fixture_count ipv4_tcp
expect_eq "frames after the refused rmmod" "$P_RECEIVED" "$FIX_FRAMES"
pfe2e_start killed $dev -q 30 || fail "pfe2e did not start"
kill -9 $PFE_PID_killed
wait $PFE_PID_killed 2>/dev/null
sleep 0.5
expect_eq "rings left by a killed process" "$(sed -n 's/^Total rings *: //p' /proc/net/pf_ring/info)" 0
rmmod pf_ring || fail "rmmod with no socket open"
grep -q '^pf_ring ' /proc/modules && fail "pf_ring still loaded"
modprobe pf_ring || fail "modprobe pf_ring again"
pass
