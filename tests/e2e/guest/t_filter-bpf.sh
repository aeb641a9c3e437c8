# filter-bpf: a BPF filter set through libpfring (SO_ATTACH_FILTER: the kernel's
# classic BPF, run at core's BPF step) passes exactly the frames libpcap's own
# filter matches in the fixture, on each NIC; the rest are counted as filtered.
need_module
for f in "tcp" "udp and port 53" "ip6"; do
	expect_count many_flows "$f"
	for kind in $E2E_NICS; do
		pfe2e_start bpf $(nic_if $kind) -f "$f" -q 3 || fail "$kind: pfe2e did not start"
		inject $kind many_flows 1 || fail "$kind: inject"
		pfe2e_wait bpf
		expect_eq "$kind '$f' exit" "$P_RC" 0
		expect_eq "$kind '$f' received" "$P_RECEIVED" "$EXP"
		expect_eq "$kind '$f' dropped" "$P_DROP" 0
	done
done
pass
