# filter-rules: a wildcard rule (drop TCP port 80 both ways) and a precise rule
# (drop the flow of frame 0, both directions) through libpfring; exact counts,
# and the wildcard rule's own statistics count exactly the frames it matched.
need_module
expect_count many_flows
all=$EXP
expect_count many_flows "tcp port 80"
port80=$EXP
[ "$port80" -gt 0 ] || fail "fixture has no tcp port 80 frames"
key0=$(pfe2e keys $E2E_FIXTURES/many_flows.pcap | head -n 1)
flow0=$(pfe2e keys $E2E_FIXTURES/many_flows.pcap | grep -cxF "$key0")
for kind in $E2E_NICS; do
	dev=$(nic_if $kind)
	pfe2e_start wild $dev -W 1,drop,6,80 -x -q 3 || fail "$kind: pfe2e -W did not start"
	inject $kind many_flows 1 || fail "$kind: inject"
	pfe2e_wait wild
	expect_eq "$kind wildcard received" "$P_RECEIVED" $((all - port80))
	expect_eq "$kind wildcard rule matched" "$P_RULE_MATCHED" "$port80"

	pfe2e_start precise $dev -H $E2E_FIXTURES/many_flows.pcap:0 -q 3 || fail "$kind: pfe2e -H"
	inject $kind many_flows 1 || fail "$kind: inject"
	pfe2e_wait precise
	expect_eq "$kind precise received" "$P_RECEIVED" $((all - flow0))

	# policy drop with a forward rule: only TCP port 80 goes up
	pfe2e_start policy $dev -A 0 -W 2,fwd,6,80 -q 3 || fail "$kind: pfe2e -A 0"
	inject $kind many_flows 1 || fail "$kind: inject"
	pfe2e_wait policy
	expect_eq "$kind policy-drop + forward rule received" "$P_RECEIVED" "$port80"
done
pass
