# bad-calls: every bad socket call of core/abi.h's interface gets its documented
# errno (wrong socket type or protocol, bad bind names, options of the wrong
# length or value, options out of order, oversized mmap, short and long frames),
# and the module keeps capturing exactly afterwards.
need_module
pfe2e badopts $(nic_if e1000e) > $E2E_STATE/badopts.out 2>&1; rc=$?
cat $E2E_STATE/badopts.out
[ $rc = 0 ] || fail "$(grep -A1 WRONG $E2E_STATE/badopts.out | tr "\n" " ")"
expect_count ipv4_tcp
pfe2e_start afterbad $(nic_if e1000e) -q 3 || fail "pfe2e after the bad calls"
inject e1000e ipv4_tcp 1 || fail "inject"
pfe2e_wait afterbad
expect_eq "frames after the bad calls" "$P_RECEIVED" "$EXP"
pass
