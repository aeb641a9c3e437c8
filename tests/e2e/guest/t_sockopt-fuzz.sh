# sockopt-fuzz: 3000 sockets with random options (lengths, contents, BPF
# programs), binds, mmaps, scribbles over the mapped ring, sends and polls, as
# root; the guest runs with oops=panic, so an oops ends the run. Afterwards the
# module still captures exactly.
need_module
dmesg -c > /dev/null
pfe2e fuzz $(nic_if e1000e) 3000 0x5eed || fail "fuzz run"
dmesg | grep -iE 'BUG|WARNING|Oops|general protection' && fail "kernel complained during the fuzz run"
expect_count ipv4_tcp
pfe2e_start after $(nic_if e1000e) -q 3 || fail "pfe2e after fuzz"
inject e1000e ipv4_tcp 1 || fail "inject"
pfe2e_wait after
expect_eq "frames after the fuzz run" "$P_RECEIVED" "$EXP"
pass
