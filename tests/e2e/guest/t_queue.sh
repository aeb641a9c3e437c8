# queue: on igb (2 RX queues under -smp 2, RSS), ethX@0 and ethX@1 together
# receive every injected frame exactly once (digests), and each some. No
# flow-level check: the NIC's RSS (Toeplitz with its own key) is not symmetric,
# so the two directions of a flow may land on different queues (about half of
# many_flows' flows do).
need_module
dev=$(nic_if igb)
S=$E2E_STATE
nq=$(ls -d /sys/class/net/$dev/queues/rx-* | wc -l)
[ "$nq" -ge 2 ] || fail "igb has $nq RX queue(s)"
expect_count many_flows
pfe2e_start q0 $dev@0 -q 3 || fail "pfe2e $dev@0"
pfe2e_start q1 $dev@1 -q 3 || fail "pfe2e $dev@1"
inject igb many_flows 1 || fail "inject"
pfe2e_wait q0; r0=$P_RECEIVED
pfe2e_wait q1; r1=$P_RECEIVED
expect_eq "queue 0 + queue 1" $((r0 + r1)) "$EXP"
[ "$r0" -gt 0 ] && [ "$r1" -gt 0 ] || fail "RSS put everything on one queue ($r0/$r1)"
expect_eq "the frames of both queues" "$(sort $S/q0.digests $S/q1.digests | md5sum)" \
	"$(fixture_digests many_flows | sort | md5sum)"
pass
