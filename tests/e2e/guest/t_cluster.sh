# cluster: two processes in one cluster (per-flow 5-tuple, then per-flow 6-tuple
# over VLAN-tagged traffic whose tag the NIC strips) receive disjoint and
# complete sets of flows: together every frame of the fixture exactly once, and
# no flow at both members. Flow keys are the host's (member_keys, fixture_keys).
need_module
dev=$(nic_if e1000e)
S=$E2E_STATE
for case in "many_flows 4" "mix64 0"; do
	set -- $case
	fix=$1 type=$2
	expect_count $fix
	pfe2e_start m1 $dev -c 7 -t $type -q 3 || fail "member 1 did not start"
	pfe2e_start m2 $dev -c 7 -t $type -q 3 || fail "member 2 did not start"
	inject e1000e $fix 1 || fail "inject $fix"
	pfe2e_wait m1; r1=$P_RECEIVED
	pfe2e_wait m2; r2=$P_RECEIVED
	expect_eq "$fix: member 1 + member 2" $((r1 + r2)) "$EXP"
	[ "$r1" -gt 0 ] && [ "$r2" -gt 0 ] || fail "$fix: one member got nothing ($r1/$r2)"
	expect_eq "$fix: the frames of both members" "$(sort $S/m1.digests $S/m2.digests | md5sum)" \
		"$(fixture_digests $fix | sort | md5sum)"
	expect_eq "$fix: flows seen by both members" "$(shared_flows m1 m2 $fix $type)" 0
	expect_eq "$fix: union of the members' flows" "$(sort -u $S/m1.flows $S/m2.flows | md5sum)" \
		"$(fixture_keys $fix $type | sort -u | md5sum)"
done
pass
