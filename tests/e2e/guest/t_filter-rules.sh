# filter-rules: a wildcard rule (drop TCP port 80 both ways) and a precise rule
# (drop the flow of frame 0, both directions) through libpfring; exact counts,
# the wildcard rule's own statistics count exactly the frames it matched, and
# the frames received are the right ones (flow keys computed on the host).
need_module
expect_count many_flows
all=$EXP
expect_count many_flows "tcp port 80"
port80=$EXP
[ "$port80" -gt 0 ] || fail "fixture has no tcp port 80 frames"
key0=$(fixture_keys many_flows 0 | head -n 1)
flow0=$(fixture_keys many_flows 0 | grep -cxF "$key0")
expect_eq "frames of frame 0's flow (both directions)" "$flow0" 2
# a 5-tuple key "6/A:PA/B:PB" of TCP with port 80 at either end
tcp80='^6/([^/]*:80/|.*:80$)'
for kind in $E2E_NICS; do
	dev=$(nic_if $kind)
	pfe2e_start wild $dev -W 1,drop,6,80 -x -q 3 || fail "$kind: pfe2e -W did not start"
	inject $kind many_flows 1 || fail "$kind: inject"
	pfe2e_wait wild
	expect_eq "$kind wildcard received" "$P_RECEIVED" $((all - port80))
	expect_eq "$kind wildcard rule matched" "$P_RULE_MATCHED" "$port80"
	expect_eq "$kind wildcard: frames not of the fixture" "$(member_keys wild many_flows 4 | grep -cxF '?')" 0
	expect_eq "$kind wildcard: TCP port 80 frames received" \
		"$(member_keys wild many_flows 4 | grep -cE "$tcp80")" 0

	pfe2e_start precise $dev -H $E2E_FIXTURES/many_flows.pcap:0 -q 3 || fail "$kind: pfe2e -H"
	inject $kind many_flows 1 || fail "$kind: inject"
	pfe2e_wait precise
	expect_eq "$kind precise received" "$P_RECEIVED" $((all - flow0))
	expect_eq "$kind precise: frames not of the fixture" "$(member_keys precise many_flows 0 | grep -cxF '?')" 0
	expect_eq "$kind precise: frames of the dropped flow" \
		"$(member_keys precise many_flows 0 | grep -cxF "$key0")" 0

	# policy drop with a forward rule: only TCP port 80 goes up
	pfe2e_start policy $dev -A 0 -W 2,fwd,6,80 -q 3 || fail "$kind: pfe2e -A 0"
	inject $kind many_flows 1 || fail "$kind: inject"
	pfe2e_wait policy
	expect_eq "$kind policy-drop + forward rule received" "$P_RECEIVED" "$port80"
	expect_eq "$kind policy: frames of TCP port 80" "$(member_keys policy many_flows 4 | grep -cE "$tcp80")" "$port80"
done
pass
