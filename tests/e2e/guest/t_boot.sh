# boot: both NICs are found by PCI id, their links are up with carrier, and
# the guest has put no address on them (it must send no frames of its own).
for kind in $E2E_NICS; do
	dev=$(nic_if $kind)
	[ -n "$dev" ] || fail "no $kind NIC found (PCI ids: $(cat /sys/class/net/*/device/device 2>/dev/null | tr '\n' ' '))"
	expect_eq "$kind $dev carrier" "$(cat /sys/class/net/$dev/carrier)" 1
	expect_eq "$kind $dev operstate" "$(cat /sys/class/net/$dev/operstate)" up
	expect_eq "$kind $dev IPv4 addresses" "$(ip -4 addr show dev $dev | grep -c inet)" 0
	expect_eq "$kind $dev IPv6 disabled" "$(cat /proc/sys/net/ipv6/conf/$dev/disable_ipv6)" 1
done
expect_eq "e1000e driver" "$(basename $(readlink /sys/class/net/$E2E_IF_E1000E/device/driver))" e1000e
expect_eq "igb driver" "$(basename $(readlink /sys/class/net/$E2E_IF_IGB/device/driver))" igb
pass
