# any: a ring bound to "any" receives from both NICs: the fixture injected on
# each, exactly (the control frames that also cross the NICs are filtered out
# with BPF), each frame's extended header naming the NIC it came in on (its
# /sys/class/net/IF/ifindex: first every e1000e frame, then every igb frame);
# a send on it is refused as the library says it must be. "any" sets no NIC
# promiscuous (the fixtures are not addressed to the guest's MACs), so the
# test does.
need_module
for kind in $E2E_NICS; do
	ip link set $(nic_if $kind) promisc on || fail "promisc on $kind"
done
expect_count many_flows
pfe2e_start any any -f 'not ether proto 0x88b5' -v -q 4 || fail "pfe2e -i any"
inject e1000e many_flows 1 || fail "inject e1000e"
inject igb many_flows 1 || fail "inject igb"
pfe2e_wait any
expect_eq "frames on any" "$P_RECEIVED" $((2 * EXP))
ifx_e1000e=$(cat /sys/class/net/$(nic_if e1000e)/ifindex)
ifx_igb=$(cat /sys/class/net/$(nic_if igb)/ifindex)
[ "$ifx_e1000e" != "$ifx_igb" ] || fail "both NICs have ifindex $ifx_igb"
grep '^frame ' $E2E_STATE/any.out | head -n $EXP > $E2E_STATE/any.first
grep '^frame ' $E2E_STATE/any.out | tail -n +$((EXP + 1)) > $E2E_STATE/any.then
expect_eq "frames injected on e1000e with its ifindex $ifx_e1000e" \
	"$(grep -c " $ifx_e1000e\$" $E2E_STATE/any.first)" "$EXP"
expect_eq "frames injected on igb with its ifindex $ifx_igb" \
	"$(grep -c " $ifx_igb\$" $E2E_STATE/any.then)" "$EXP"
pfsend -i any -f $E2E_FIXTURES/ipv4_tcp.pcap -n 1 > $E2E_STATE/anysend.out 2>&1 && fail "pfsend on any succeeded"
cat $E2E_STATE/anysend.out
grep -q 'a ring bound to "any" cannot send' $E2E_STATE/anysend.out ||
	fail "pfsend on any failed for another reason: $(tr '\n' ' ' < $E2E_STATE/anysend.out)"
for kind in $E2E_NICS; do
	ip link set $(nic_if $kind) promisc off
done
pass
