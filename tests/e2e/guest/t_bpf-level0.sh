# bpf-level0: BPF attached the way libpcap-ring and Snort's DAQ attach it,
# setsockopt(pfring_get_selectable_fd(ring), 0, SO_ATTACH_FILTER) (PF_RING 5.4.6's
# module took it at level 0), passes exactly the frames libpcap's own filter
# matches in the fixture, on each NIC; SO_DETACH_FILTER at level 0 gives the full
# count back; a bad program is EINVAL, a detach with no filter ENOENT.
need_module
expect_count many_flows
ALL=$EXP
expect_count many_flows "udp and port 53"
for kind in $E2E_NICS; do
	pfe2e_start l0 $(nic_if $kind) -B "udp and port 53" -q 3 || fail "$kind: pfe2e did not start"
	inject $kind many_flows 1 || fail "$kind: inject"
	pfe2e_wait l0
	expect_eq "$kind level-0 filter exit" "$P_RC" 0
	expect_eq "$kind level-0 filter received" "$P_RECEIVED" "$EXP"
	expect_eq "$kind level-0 filter dropped" "$P_DROP" 0
	pfe2e_start l0d $(nic_if $kind) -B "udp and port 53" -D -q 3 || fail "$kind: pfe2e -D did not start"
	inject $kind many_flows 1 || fail "$kind: inject"
	pfe2e_wait l0d
	expect_eq "$kind after level-0 detach exit" "$P_RC" 0
	expect_eq "$kind after level-0 detach received" "$P_RECEIVED" "$ALL"
done
pfe2e bpf0 $E2E_IF_E1000E || fail "bpf0: a level-0 call got the wrong errno (see log)"
pass
