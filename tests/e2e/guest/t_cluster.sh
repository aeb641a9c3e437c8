# cluster: two processes in one cluster (per-flow 5-tuple, then per-flow 6-tuple
# over VLAN-tagged traffic whose tag the NIC strips) receive disjoint and
# complete sets of flows: counts add up to the injected frames, no flow key is
# seen by both, and together they see every flow of the fixture.
need_module
dev=$(nic_if e1000e)
for case in "many_flows 4" "mix64 0"; do
	set -- $case
	fix=$1 type=$2
	expect_count $fix
	pfe2e keys $E2E_FIXTURES/$fix.pcap | sort -u > $E2E_STATE/all.keys
	pfe2e_start m1 $dev -c 7 -t $type -k $E2E_STATE/m1.keys -q 3 || fail "member 1 did not start"
	pfe2e_start m2 $dev -c 7 -t $type -k $E2E_STATE/m2.keys -q 3 || fail "member 2 did not start"
	inject e1000e $fix 1 || fail "inject $fix"
	pfe2e_wait m1; r1=$P_RECEIVED
	pfe2e_wait m2; r2=$P_RECEIVED
	expect_eq "$fix: member 1 + member 2" $((r1 + r2)) "$EXP"
	[ "$r1" -gt 0 ] && [ "$r2" -gt 0 ] || fail "$fix: one member got nothing ($r1/$r2)"
	sort -u $E2E_STATE/m1.keys > $E2E_STATE/m1.u
	sort -u $E2E_STATE/m2.keys > $E2E_STATE/m2.u
	expect_eq "$fix: flows seen by both members" "$(comm -12 $E2E_STATE/m1.u $E2E_STATE/m2.u | wc -l)" 0
	expect_eq "$fix: union of the members' flows" "$(sort -u $E2E_STATE/m1.u $E2E_STATE/m2.u | md5sum)" \
		"$(md5sum < $E2E_STATE/all.keys)"
done
pass
