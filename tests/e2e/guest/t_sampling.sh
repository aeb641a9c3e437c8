# sampling: pfring_set_sampling_rate(10) passes exactly 1 frame in 10 (the first,
# then every 10th) of the 2000 injected.
need_module
expect_count many_flows
for kind in $E2E_NICS; do
	pfe2e_start smp $(nic_if $kind) -s 10 -q 3 || fail "$kind: pfe2e -s"
	inject $kind many_flows 1 || fail "$kind: inject"
	pfe2e_wait smp
	expect_eq "$kind sampled 1/10" "$P_RECEIVED" $(((EXP + 9) / 10))
done
pass
