# proc: /proc/net/pf_ring/info, dev/<if>/info and the per-socket file while a
# ring is open, with the fields and values the spec shows.
need_module
P=/proc/net/pf_ring
expect_eq "info Version" "$(sed -n 's/^Version *: //p' $P/info)" 5.4.6
expect_eq "info Ring slots" "$(sed -n 's/^Ring slots *: //p' $P/info)" 4096
expect_eq "info Capture TX" "$(sed -n 's/^Capture TX *: //p' $P/info)" "Yes [RX+TX]"
expect_eq "info Total rings (none open)" "$(sed -n 's/^Total rings *: //p' $P/info)" 0
dev=$(nic_if e1000e)
expect_eq "dev info Name" "$(sed -n 's/^Name *: //p' $P/dev/$dev/info)" "$dev"
pfe2e_start procring $dev -s 3 -q 2 -m 3 || fail "pfe2e did not start"
f=$(ls $P | grep -E "^[0-9]+-$dev\.[0-9]+$" | head -n 1)
[ -n "$f" ] || fail "no per-socket file in $P: $(ls $P | tr '\n' ' ')"
cat $P/$f
expect_eq "socket Bound Device" "$(sed -n 's/^Bound Device *: //p' $P/$f)" "$dev"
expect_eq "socket Appl. Name" "$(sed -n 's/^Appl. Name *: //p' $P/$f)" pfe2e
expect_eq "socket Active" "$(sed -n 's/^Active *: //p' $P/$f)" 1
expect_eq "socket Sampling Rate" "$(sed -n 's/^Sampling Rate *: //p' $P/$f)" 3
expect_eq "info Total rings (one open)" "$(sed -n 's/^Total rings *: //p' $P/info)" 1
expect_eq "dev Bound Sockets" "$(sed -n 's/^# Bound Sockets *: //p' $P/dev/$dev/info)" 1
pfe2e_wait procring
[ -e $P/$f ] && fail "$P/$f still there after the ring closed"
pass
