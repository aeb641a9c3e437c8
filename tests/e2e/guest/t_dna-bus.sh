# dna-bus: the real bus of the DNA drivers (drivers/pci.c, vfio.c, uio.c) on both
# NICs and both paths (tests/e2e/progs/pfbus.c): open by interface name, STATUS and
# the MAC in RAL0/RAH0, DMA memory, close gives the device back to its kernel driver
# and the interface comes back; a device left bound to vfio-pci / uio_pci_generic by
# a kill -9 is recovered by the next open (a second open while the device is held
# is refused with -EBUSY); a non-root open fails naming root.

dna_setup   # lib.sh: modules, hugepages, ADDRS, restore_nics on exit

for nic in e1000e igb; do
	IF=$(nic_if $nic)
	ADDR=$(basename "$(readlink /sys/class/net/$IF/device)")
	DRV=$(drv_of $ADDR)
	expect_eq "$nic: kernel driver before" "$DRV" "$nic"
	case $nic in
	e1000e) MAC=52:54:00:e2:e0:01 ;;
	igb) MAC=52:54:00:e2:e0:02 ;;
	esac
	# UIO first: on 6.12, igb bound to uio_pci_generic right after a VFIO
	# session (vfio-pci, then igb again) stalls the guest's CPU (timers stop);
	# not understood yet: see docs/decisions.md
	for path in uio vfio; do
		echo "--- $nic ($IF, $ADDR) via $path"
		pfbus check "$IF" $path $MAC || fail "$nic via $path: pfbus check"
		check_back $nic $ADDR $IF $DRV "$nic via $path"
	done

	# kill -9 while holding the device: it stays with the user-space driver,
	# and the next open (by PCI address, on the other path) takes it over
	case $nic in
	e1000e) held=vfio other=uio stale=vfio-pci ;;
	igb) held=uio other=vfio stale=uio_pci_generic ;;
	esac
	echo "--- $nic: kill -9 while held via $held"
	pfbus hold "$IF" $held > $E2E_STATE/hold.out 2>&1 &
	pid=$!
	wait_until 20 grep -q '^held' $E2E_STATE/hold.out || { cat $E2E_STATE/hold.out; fail "$nic: hold via $held"; }
	cat $E2E_STATE/hold.out
	# a second open while it is held is refused, and leaves the holder alone
	pfbus busy "$ADDR" || fail "$nic: second open while held"
	expect_eq "$nic: driver while held" "$(drv_of $ADDR)" $stale
	kill -9 $pid
	wait $pid
	expect_eq "$nic: driver after kill -9" "$(drv_of $ADDR)" $stale
	pfbus check "$ADDR" $other $MAC || fail "$nic: open after kill -9 (stale $stale) via $other"
	check_back $nic $ADDR $IF $DRV "$nic: after the stale $stale"
done

pfbus unpriv "$E2E_IF_E1000E" || fail "non-root open"
expect_eq "e1000e: driver after non-root open" "$(drv_of $ADDR_E1000E)" e1000e
pass
