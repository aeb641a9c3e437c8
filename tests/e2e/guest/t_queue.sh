# queue: on igb (2 RX queues under -smp 2, RSS), ethX@0 and ethX@1 receive
# disjoint sets of flows that add up to everything injected.
need_module
dev=$(nic_if igb)
nq=$(ls -d /sys/class/net/$dev/queues/rx-* | wc -l)
[ "$nq" -ge 2 ] || fail "igb has $nq RX queue(s)"
expect_count many_flows
pfe2e_start q0 $dev@0 -k $E2E_STATE/q0.keys -q 3 || fail "pfe2e $dev@0"
pfe2e_start q1 $dev@1 -k $E2E_STATE/q1.keys -q 3 || fail "pfe2e $dev@1"
inject igb many_flows 1 || fail "inject"
pfe2e_wait q0; r0=$P_RECEIVED
pfe2e_wait q1; r1=$P_RECEIVED
expect_eq "queue 0 + queue 1" $((r0 + r1)) "$EXP"
[ "$r0" -gt 0 ] && [ "$r1" -gt 0 ] || fail "RSS put everything on one queue ($r0/$r1)"
sort -u $E2E_STATE/q0.keys > $E2E_STATE/q0.u
sort -u $E2E_STATE/q1.keys > $E2E_STATE/q1.u
expect_eq "flows on both queues" "$(comm -12 $E2E_STATE/q0.u $E2E_STATE/q1.u | wc -l)" 0
pass
