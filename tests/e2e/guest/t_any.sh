# any: a ring bound to "any" receives from both NICs: the fixture injected on
# each, exactly (the control frames that also cross the NICs are filtered out
# with BPF), and a send on it is refused. "any" sets no NIC promiscuous (the
# fixtures are not addressed to the guest's MACs), so the test does.
need_module
for kind in $E2E_NICS; do
	ip link set $(nic_if $kind) promisc on || fail "promisc on $kind"
done
expect_count many_flows
pfe2e_start any any -f 'not ether proto 0x88b5' -q 4 || fail "pfe2e -i any"
inject e1000e many_flows 1 || fail "inject e1000e"
inject igb many_flows 1 || fail "inject igb"
pfe2e_wait any
expect_eq "frames on any" "$P_RECEIVED" $((2 * EXP))
pfsend -i any -f $E2E_FIXTURES/ipv4_tcp.pcap -n 1 > $E2E_STATE/anysend.out 2>&1 && fail "pfsend on any succeeded"
cat $E2E_STATE/anysend.out
for kind in $E2E_NICS; do
	ip link set $(nic_if $kind) promisc off
done
pass
