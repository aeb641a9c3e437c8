# cluster-late: a per-flow cluster never splits a flow when its members enable
# at different times (docs/filtering.md, "Clusters"). Two processes join one
# 5-tuple cluster; the second enables its ring only 100 ms after the first has
# received 300 frames, while interleaved_flows (200 flows, both directions
# spread over the whole capture) arrives at 1000 frames/s. pf_ring.ko drops the
# late member's frames and counts them on that member, never on the other:
#   - no flow reaches both members (flow keys from the host, fixture_facts.py);
#   - the first member gets every frame of its flows and drops nothing;
#   - the second receives + drops exactly the rest, and did drop (it was late).
need_module
dev=$(nic_if e1000e)
S=$E2E_STATE
fix=interleaved_flows
expect_count $fix
rm -f $S/m1.progress $S/m2.go
pfe2e_start m1 $dev -c 8 -t 4 -q 3 -P 300:$S/m1.progress || fail "member 1 did not start"
pfe2e_start m2 $dev -c 8 -t 4 -q 3 -G $S/m2.go || fail "member 2 did not join"
(
	_n=0
	while [ ! -e $S/m1.progress ] && [ $_n -lt 600 ]; do
		sleep 0.05
		_n=$((_n + 1))
	done
	sleep 0.1
	touch $S/m2.go
) &
waiter=$!
inject e1000e $fix 1 1000 || fail "inject $fix"
wait $waiter
pfe2e_wait m1; r1=$P_RECEIVED d1=$P_DROP
pfe2e_wait m2; r2=$P_RECEIVED d2=$P_DROP
[ -e $S/m1.progress ] || fail "member 1 never had 300 frames ($r1)"
expect_eq "flows seen by both members" "$(shared_flows m1 m2 $fix 4)" 0
expect_eq "frames seen by both members" "$(sort $S/m1.digests $S/m2.digests | uniq -d | wc -l)" 0
mine=$(fixture_keys $fix 4 | awk 'NR == FNR { k[$1]; next } ($1 in k) { n++ } END { print n + 0 }' \
	$S/m1.flows -)
expect_eq "member 1: every frame of its flows" "$r1" "$mine"
expect_eq "member 1: dropped" "$d1" 0
expect_eq "member 2: received + dropped = the other flows' frames" $((r2 + d2)) $((EXP - r1))
[ "$d2" -gt 0 ] || fail "member 2 dropped nothing: it was not late ($r2 received)"
[ "$r2" -gt 0 ] || fail "member 2 received nothing after it was enabled"
pass
