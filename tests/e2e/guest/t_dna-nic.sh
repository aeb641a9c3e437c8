# dna-nic: the DNA drivers (drivers/e1000e.c, drivers/igb.c) on the guest's
# 82574 and 82576 through both paths of the real bus (tests/e2e/progs/pfnic.c):
# pf_nic_open, the link comes up (on igb after the PHY's autonegotiation
# restart), the host's frames arrive complete (count and padded bytes), each on
# the RX queue core's Toeplitz and the RETA spreading predict, with that hash
# (all the queues of the NIC up to 4 and Microsoft's key on many_flows; with
# the symmetric key on interleaved_flows, both directions of 200 flows), and the
# frames the guest sends reach the host byte for byte. After each close the
# kernel driver has the NIC again.

for m in vfio-pci vfio_iommu_type1 uio_pci_generic; do
	expect_ok "modprobe $m" modprobe $m
done
# UIO: one 2 MiB hugepage per DMA region, two regions a queue
echo 24 > /proc/sys/vm/nr_hugepages
expect_eq "free hugepages" "$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages)" 24
ADDRS=
for nic in e1000e igb; do
	ADDRS="$ADDRS $(basename "$(readlink /sys/class/net/$(nic_if $nic)/device)")"
done
trap 'restore_nics $ADDRS' EXIT

# field LINE_START N FILE: the Nth word of FILE's line starting with LINE_START
field() {
	sed -n "s/^$1 //p" "$3" | tail -n 1 | cut -d' ' -f$2
}

# rx_check NAME PATH QUEUES KEY FIXTURE: pfnic rx while the host injects FIXTURE
rx_check() {
	out=$E2E_STATE/$1.out
	fixture_count $5 || fail "$1: fixture_count $5"
	echo "--- $1: rx via $2, $3 queues, $4 key, $5"
	pfnic rx "$IF" $2 $3 $4 $FIX_FRAMES 5 > $out 2>&1 &
	pid=$!
	echo $pid >> $E2E_STATE/pids
	wait_until 30 grep -q '^ready' $out || { cat $out; fail "$1: pfnic not ready"; }
	ctl $(other_nic $NIC) -t 120 inject $5 1 rate=2000 to=$NIC || { cat $out; fail "$1: inject $5"; }
	wait $pid
	rc=$?
	cat $out
	expect_eq "$1: pfnic exit status" $rc 0
	expect_eq "$1: frames injected" "$INJ_FRAMES" "$FIX_FRAMES"
	expect_eq "$1: frames received" "$(field received 1 $out)" "$INJ_FRAMES"
	expect_eq "$1: bytes received" "$(field received 3 $out)" "$INJ_BYTES60"
	used=$(grep -c '^queue [0-9]*: [1-9]' $out)
	expect_eq "$1: queues with frames" "$used" $3
	check_back $NIC $ADDR $IF $NIC "$1"
}

# tx_check NAME PATH FIXTURE: the host records what pfnic tx sends
tx_check() {
	fixture_count $3 || fail "$1: fixture_count $3"
	echo "--- $1: tx via $2, $3"
	record_start $NIC $1 || fail "$1: record-start"
	pfnic tx "$IF" $2 $E2E_FIXTURES/$3.pcap
	rc=$?
	record_stop $1 || fail "$1: record-stop"
	expect_eq "$1: pfnic exit status" $rc 0
	expect_eq "$1: frames recorded" "$REC_FRAMES" "$FIX_FRAMES"
	expect_eq "$1: bytes recorded" "$REC_BYTES" "$FIX_BYTES"
	record_check $1 $3 || fail "$1: the recording differs from $3"
	check_back $NIC $ADDR $IF $NIC "$1"
}

for NIC in e1000e igb; do
	IF=$(nic_if $NIC)
	ADDR=$(basename "$(readlink /sys/class/net/$IF/device)")
	expect_eq "$NIC: kernel driver before" "$(drv_of $ADDR)" $NIC
	case $NIC in e1000e) Q=2 ;; igb) Q=4 ;; esac
	# UIO first (see t_dna-bus.sh: igb on uio_pci_generic right after VFIO stalls 6.12)
	rx_check dna-$NIC-rx-uio uio $Q default many_flows
	rx_check dna-$NIC-sym-uio uio $Q symmetric interleaved_flows
	tx_check dna-$NIC-tx-uio uio vlan
	rx_check dna-$NIC-rx-vfio vfio $Q default many_flows
	tx_check dna-$NIC-tx-vfio vfio vlan
	# its interface up again: the next NIC's requests to the peer go through it
	restore_nics $ADDRS
done
pass
