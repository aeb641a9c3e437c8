# Helpers for the guest tests (busybox sh). /init sources this file before each
# tests/e2e/guest/t_NAME.sh, in a subshell of its own; see docs/e2e.md.
#
# Environment: E2E_TEST (this test's name), E2E_KVER (uname -r), E2E_NICS
# ("e1000e igb"), E2E_IF_E1000E / E2E_IF_IGB (their ethN), E2E_FIXTURES (the
# fixture pcaps), E2E_FACTS (what the host computed from them:
# tests/e2e/fixture_facts.py), PATH with e2e_ctl and build/tools/* first. fd 3 is the
# console: markers go there, everything else a test prints goes to its log,
# which /init prints when the test fails.
#
# Call pass / fail / expect_* / need_module at the top level of the test, not
# inside $(...): they end the test with exit.

E2E_STATE=${E2E_STATE:-/tmp/e2e}
E2E_FACTS=${E2E_FACTS:-/e2e/facts}

# pass | fail REASON: print the test's one marker and end the test.
pass() {
	_e2e_mark PASS ""
	exit 0
}

fail() {
	if [ -s "$E2E_STATE/host_loss" ] && [ "${E2E_ATTEMPT:-1}" = 1 ]; then
		echo "result: FAIL: $* -- after a host loss ($(tail -n 1 "$E2E_STATE/host_loss")): once more"
		exit 75   # /init runs the test again, with no marker from this run
	fi
	_e2e_mark FAIL ": $*"
	exit 1
}

# A second verdict (pass or fail in a subshell or a pipeline, which exit does
# not end) is a broken test: it fails, on the console, whatever came first, and
# the runner sees two markers (MULTIPLE).
_e2e_mark() {
	if [ -e "$E2E_STATE/$E2E_TEST.result" ]; then
		_first=$(cat "$E2E_STATE/$E2E_TEST.result")
		echo FAIL > "$E2E_STATE/$E2E_TEST.result"
		echo "E2E FAIL $E2E_TEST: a second verdict ($1$2) after $_first" >&3
		echo "result: a second verdict ($1$2) after $_first"
		return
	fi
	echo "$1" > "$E2E_STATE/$E2E_TEST.result"
	echo "E2E $1 $E2E_TEST$2" >&3
	echo "result: $1$2"
}

# expect_eq WHAT GOT WANT: fail the test unless GOT = WANT (as strings).
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
	echo "ok: $1 = $3"
}

# expect_ok WHAT CMD...: run CMD, fail the test with WHAT if it fails.
expect_ok() {
	_what=$1; shift
	"$@" || fail "$_what (rc $?)"
}

# need_module: fail unless pf_ring.ko was loaded by /init.
need_module() {
	case "$(cat $E2E_STATE/module.status 2>/dev/null)" in
	loaded) return 0 ;;
	missing) fail "pf_ring.ko not built" ;;
	*) fail "pf_ring.ko did not load: $(tr '\n' ' ' < $E2E_STATE/insmod.log 2>/dev/null)" ;;
	esac
}

# nic_if KIND: the ethN of the e1000e or igb NIC. other_nic KIND: the other kind.
nic_if() {
	case "$1" in
	e1000e) echo "$E2E_IF_E1000E" ;;
	igb) echo "$E2E_IF_IGB" ;;
	*) echo "nic_if: unknown NIC $1" >&2; return 1 ;;
	esac
}

other_nic() {
	case "$1" in
	e1000e) echo igb ;;
	*) echo e1000e ;;
	esac
}

# fixture_count NAME: sets FIX_FRAMES and FIX_BYTES of tests/fixtures/NAME.pcap.
fixture_count() {
	set -- $(e2e_ctl -n "$E2E_FIXTURES/$1.pcap") || return 1
	FIX_FRAMES=$1 FIX_BYTES=$2
}

# ctl VIA_KIND [e2e_ctl options] CMD ARGS...: one control exchange through
# the NIC VIA_KIND; the reply lines are in $CTL_OUT, the status is e2e_ctl's.
ctl() {
	_via=$(nic_if "$1") || return 1
	shift
	echo "ctl via $_via: $*"
	CTL_OUT=$(e2e_ctl -i "$_via" "$@")
	_rc=$?
	echo "$CTL_OUT" | sed 's/^/  < /'
	_done=$(echo "$CTL_OUT" | grep '^done ' | tail -n 1)
	set -- $_done
	INJ_FRAMES=$2 INJ_BYTES=$3 INJ_BYTES60=$4
	return $_rc
}

# inject KIND FIXTURE [REPEAT] [RATE]: the peer sends FIXTURE REPEAT times to
# NIC KIND, at RATE frames/s (default 2000). The request and the replies go
# through the other NIC, so KIND's wire carries only the fixture's frames.
# Sets INJ_FRAMES, INJ_BYTES, INJ_BYTES60 (bytes with every frame padded to
# 60, which is what the guest receives). Returns non-zero on failure.
inject() {
	_to=$(nic_if "$1") || return 1
	_rx0=$(cat /sys/class/net/$_to/statistics/rx_packets)
	ctl "$(other_nic "$1")" -t 120 inject "$2" "${3:-1}" "rate=${4:-2000}" "to=$1" || return 1
	nic_received "$_to" "$_rx0" "$INJ_FRAMES"
}

# wait_until SECS CMD...: run CMD every 0.1 s until it succeeds (0), or SECS
# have passed (1). CMD is run as given: what must be evaluated each time goes
# through eval, with the caller's positional parameters expanded beforehand
# (inside, $1... are wait_until's).
wait_until() {
	_wu=$(($1 * 10))
	shift
	while ! "$@"; do
		[ $_wu -le 0 ] && return 1
		_wu=$((_wu - 1))
		sleep 0.1
	done
}

# nic_received IF RX0 N: the driver of IF counted at least N frames since its
# rx_packets was RX0 (within 3 s). When it did not, the frames never reached
# the guest: lost on the host (QEMU's socket, a stalled TCG guest on a loaded
# machine), not by anything under test. This is noted in $E2E_STATE/host_loss,
# and a failure of this test then runs it once more (fail, /init); never a
# pass.
nic_received() {
	wait_until 3 eval "[ \$((\$(cat /sys/class/net/$1/statistics/rx_packets) - $2)) -ge $3 ]"
	_got=$(($(cat /sys/class/net/$1/statistics/rx_packets) - $2))
	if [ $_got -lt $3 ]; then
		echo "host loss: $1's driver received $_got of the $3 frames injected" |
			tee -a "$E2E_STATE/host_loss"
	fi
	return 0
}

# inject_counted KIND FIXTURE [REPEAT] [RATE]: like inject but through KIND itself,
# with e2e_ctl counting (raw AF_PACKET, promiscuous) the non-control frames
# that arrive on KIND; fails unless the count equals the peer's. Sets also
# CNT_FRAMES and CNT_BYTES.
inject_counted() {
	ctl "$1" -t 120 -c "$(nic_if "$1")" inject "$2" "${3:-1}" "rate=${4:-2000}"
	_rc=$?
	set -- $(echo "$CTL_OUT" | grep '^counted ' | tail -n 1)
	CNT_FRAMES=$2 CNT_BYTES=$3
	return $_rc
}

# record_start KIND NAME: the peer keeps every non-control frame the guest
# sends on KIND under NAME. record_stop NAME: ends it, writes
# build/e2e/<kver>/NAME.pcap on the host, sets REC_FRAMES and REC_BYTES.
# record_check NAME FIXTURE: succeeds when the recording equals the fixture.
# Control goes through the other NIC.
record_start() {
	_REC_VIA=$(other_nic "$1")
	ctl "$_REC_VIA" record-start "$2" "on=$1"
}

record_stop() {
	ctl "${_REC_VIA:-e1000e}" record-stop "$1" || return 1
	REC_FRAMES=$INJ_FRAMES REC_BYTES=$INJ_BYTES
}

record_check() {
	ctl "${_REC_VIA:-e1000e}" record-check "$1" "$2"
}

# pfcount_start IF [pfcount options]: start build/tools/pfcount -i IF in the
# background (add -q SECS so it ends by itself) and wait until it captures.
# pfcount_wait [SECS]: wait for it to exit (default 60 s, then SIGINT), and
# set PFC_RC, PFC_PKTS, PFC_BYTES, PFC_DROPPED from its final stats.
PFC_OUT=$E2E_STATE/pfcount.out
pfcount_start() {
	_pfc_if=$1; shift
	echo "pfcount -i $_pfc_if $*"
	pfcount -i "$_pfc_if" "$@" > "$PFC_OUT" 2>&1 &
	PFC_PID=$!
	echo $PFC_PID >> $E2E_STATE/pids
	_n=0
	while ! grep -q '^Capturing from' "$PFC_OUT"; do
		if ! kill -0 $PFC_PID 2>/dev/null || [ $_n -ge 100 ]; then
			cat "$PFC_OUT"
			return 1
		fi
		sleep 0.1
		_n=$((_n + 1))
	done
	sleep 0.2
}

# stop_after PID SECS: wait up to SECS for PID to exit, then SIGINT it; sets
# STOP_RC to its exit status.
stop_after() {
	_n=0
	while kill -0 $1 2>/dev/null && [ $_n -lt $(($2 * 10)) ]; do
		sleep 0.1
		_n=$((_n + 1))
	done
	kill -INT $1 2>/dev/null
	wait $1
	STOP_RC=$?
}

pfcount_wait() {
	stop_after $PFC_PID ${1:-60}
	PFC_RC=$STOP_RC
	cat "$PFC_OUT"
	# The block after "Final Stats": "Absolute Stats: [N pkts rcvd][D pkts dropped]"
	# (the total, last) and "N pkts - B bytes [...]".
	_final=$(sed -n '/^Final Stats/,$p' "$PFC_OUT")
	PFC_PKTS=$(echo "$_final" | sed -n 's/^Absolute Stats: \[\([0-9,]*\) pkts rcvd\].*/\1/p' | tail -n 1 | tr -d ,)
	PFC_DROPPED=$(echo "$_final" | sed -n 's/^Absolute Stats: .*\]\[\([0-9,]*\) pkts dropped\].*/\1/p' | tail -n 1 | tr -d ,)
	PFC_BYTES=$(echo "$_final" | sed -n 's/^\([0-9,]*\) pkts - \([0-9,]*\) bytes.*/\2/p' | tail -n 1 | tr -d ,)
	PFC_READ=$(echo "$_final" | sed -n 's/^\([0-9,]*\) pkts - \([0-9,]*\) bytes.*/\1/p' | tail -n 1 | tr -d ,)
}

# pfe2e_start NAME IF [pfe2e capture options]: start tests/e2e/progs/pfe2e's
# capture on IF in the background and wait until its ring is enabled. Its
# output goes to $E2E_STATE/NAME.out, the digest of every frame it receives to
# $E2E_STATE/NAME.digests (member_keys). pfe2e_wait NAME [SECS]: wait for it to
# end (it stops by itself after -q SECS idle) and set P_RECEIVED, P_RECV,
# P_DROP (pfring_stats), P_RULE_MATCHED (with -x), P_PLUGIN ("PACKETS BYTES" of
# the counter plugin, with -x and a -W plugin), P_RC, and P_RING (the
# SO_GET_RING_STATS line: "seen S filtered F unsampled U inserted I
# dropped_full D refused R").
pfe2e_start() {
	_pn=$1 _pif=$2; shift 2
	rm -f "$E2E_STATE/$_pn.ready"
	echo "pfe2e capture -i $_pif $*"
	pfe2e capture -i "$_pif" -R "$E2E_STATE/$_pn.ready" -k "$E2E_STATE/$_pn.digests" "$@" \
		> "$E2E_STATE/$_pn.out" 2>&1 &
	eval "PFE_PID_$(echo $_pn | tr -c 'a-zA-Z0-9\n' _)=$!"
	echo $! >> $E2E_STATE/pids
	_n=0
	while [ ! -e "$E2E_STATE/$_pn.ready" ]; do
		if [ $_n -ge 100 ]; then
			cat "$E2E_STATE/$_pn.out"
			return 1
		fi
		sleep 0.1
		_n=$((_n + 1))
	done
}

pfe2e_wait() {
	eval "_pid=\$PFE_PID_$(echo $1 | tr -c 'a-zA-Z0-9\n' _)"
	stop_after $_pid ${2:-60}
	P_RC=$STOP_RC
	sed "s/^/  [$1] /" "$E2E_STATE/$1.out"
	P_RECEIVED=$(sed -n 's/^received \([0-9]*\)$/\1/p' "$E2E_STATE/$1.out")
	P_GONE=$(grep -c '^device gone$' "$E2E_STATE/$1.out")
	P_RECV=$(sed -n 's/^recv \([0-9]*\) drop [0-9]*$/\1/p' "$E2E_STATE/$1.out")
	P_DROP=$(sed -n 's/^recv [0-9]* drop \([0-9]*\)$/\1/p' "$E2E_STATE/$1.out")
	P_RULE_MATCHED=$(sed -n 's/^rule matched \([0-9]*\) .*/\1/p' "$E2E_STATE/$1.out")
	P_RING=$(sed -n 's/^ring //p' "$E2E_STATE/$1.out")
	P_PLUGIN=$(sed -n 's/^plugin packets \([0-9]*\) bytes \([0-9]*\)$/\1 \2/p' "$E2E_STATE/$1.out")
}

# expect_count FIXTURE [BPF]: sets EXP to the frames of the fixture that match
# BPF (all without one), counted by libpcap in the guest, and EXP_BYTES60 to
# their bytes as the guest receives them (each frame padded to 60).
expect_count() {
	_exp=$(pfe2e expect "$E2E_FIXTURES/$1.pcap" ${2:+"$2"}) || fail "pfe2e expect $*"
	set -- $_exp
	EXP=$1 EXP_BYTES60=$2
}

# Flow keys computed on the host (tests/e2e/fixture_facts.py: scapy, not
# libpfring's parser), one token per frame, the same for both directions of a
# flow. TYPE is a cluster_type value: 0 per flow (6-tuple with VLAN), 2 2-tuple,
# 3 4-tuple, 4 5-tuple, 5 TCP 5-tuple.
# fixture_keys FIXTURE TYPE: the key of every frame of the fixture, in order.
# fixture_digests FIXTURE: the digest of every frame, as pfe2e -k writes them.
# member_keys NAME FIXTURE TYPE: the key of every frame capture NAME received
# (pfe2e_start), in order; "?" for a frame that is not one of the fixture's,
# "cut" for a frame captured short of its length.
fixture_keys() {
	_facts "$E2E_FACTS/$1.$2.keys" | cut -d' ' -f2
}

fixture_digests() {
	_facts "$E2E_FACTS/$1.0.keys" | cut -d' ' -f1
}

member_keys() {
	_facts "$E2E_FACTS/$2.$3.keys" |
		awk 'NR == FNR { key[$1] = $2; next }
		     $1 == "cut" { print "cut"; next }
		     { print ($1 in key) ? key[$1] : "?" }' - "$E2E_STATE/$1.digests"
}

# A facts file, or (missing: no such fixture or type) a line no frame matches,
# so that no comparison can pass on nothing.
_facts() {
	if [ -s "$1" ]; then
		cat "$1"
	else
		echo "$1: no such facts" >&2
		echo "no-facts no-facts"
	fi
}

# shared_flows NAME1 NAME2 FIXTURE TYPE: how many flows (host keys) both
# captures received; leaves each one's flows, sorted, in $E2E_STATE/NAME.flows.
# (busybox has no comm.)
shared_flows() {
	member_keys $1 $3 $4 | sort -u > "$E2E_STATE/$1.flows"
	member_keys $2 $3 $4 | sort -u > "$E2E_STATE/$2.flows"
	sort "$E2E_STATE/$1.flows" "$E2E_STATE/$2.flows" | uniq -d | wc -l
}

# reload_module_at_exit: however the test ends, the programs it started are
# stopped and pf_ring is reloaded with its default parameters (for tests that
# load it with others: a failure must not leave them to the next tests).
reload_module_at_exit() {
	trap _e2e_reload EXIT
}

_e2e_reload() {
	for _p in $(cat "$E2E_STATE/pids" 2>/dev/null); do
		kill -KILL $_p 2>/dev/null
		wait $_p 2>/dev/null
	done
	rmmod pf_ring 2>/dev/null
	modprobe pf_ring || echo "reload of pf_ring failed"
}

# veth_pair A B: a veth pair A <-> B, both up (veth is loaded on demand). busybox
# ip knows no "peer name": the peer gets the kernel's veth%d name, found by A's
# iflink (its peer's ifindex), and is renamed B.
veth_pair() {
	modprobe veth || return 1
	ip link add "$1" type veth || return 1
	_peer=$(cat /sys/class/net/$1/iflink)
	for _d in /sys/class/net/*; do
		[ "$(cat $_d/ifindex)" = "$_peer" ] && ip link set "${_d##*/}" name "$2"
	done
	ip link set "$1" up && ip link set "$2" up
}

# The DNA drivers' tests (t_dna-*.sh): a PCI device handed to a user-space
# driver and back.
# drv_of ADDR: the kernel driver bound to PCI device ADDR (empty: none).
drv_of() {
	_d=$(readlink /sys/bus/pci/devices/$1/driver) && echo "${_d##*/}"
}

# give_back ADDR: what pf_pci close does, for a test that failed half-way.
give_back() {
	[ -e /sys/bus/pci/devices/$1/driver ] && echo "$1" > /sys/bus/pci/devices/$1/driver/unbind
	echo > /sys/bus/pci/devices/$1/driver_override
	echo "$1" > /sys/bus/pci/drivers_probe
}

# restore_nics ADDR...: however the test ends, those devices are with their
# kernel drivers (e1000e, igb) and both NICs up again.
restore_nics() {
	for _a in "$@"; do
		case "$(drv_of $_a)" in e1000e | igb) ;; *) give_back $_a ;; esac
	done
	for _i in $E2E_IF_E1000E $E2E_IF_IGB; do
		echo 1 > /proc/sys/net/ipv6/conf/$_i/disable_ipv6 2>/dev/null
		ip link set "$_i" up
		wait_until 15 eval "[ \"\$(cat /sys/class/net/$_i/carrier 2>/dev/null)\" = 1 ]"
		echo "restored $_i: carrier $(cat /sys/class/net/$_i/carrier 2>/dev/null)"
	done
}

# check_back NIC ADDR IF DRV WHAT: after a close, DRV drives ADDR again, with no
# override, and its interface IF is back.
check_back() {
	expect_eq "$5: driver of $2" "$(drv_of $2)" "$4"
	expect_eq "$5: driver_override of $2" "$(cat /sys/bus/pci/devices/$2/driver_override)" "(null)"
	wait_until 5 [ -e /sys/bus/pci/devices/$2/net/$3 ] || fail "$5: interface $3 not back"
	echo "ok: $5: $3 back on $2"
}

# dna_setup: the modules of both bus paths, 8 hugepages, ADDRS and restore_nics on exit.
dna_setup() {
	for _m in vfio-pci vfio_iommu_type1 uio_pci_generic; do
		expect_ok "modprobe $_m" modprobe $_m
	done
	echo 8 > /proc/sys/vm/nr_hugepages
	expect_eq "free hugepages" "$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages)" 8
	ADDR_E1000E=$(basename "$(readlink /sys/class/net/$E2E_IF_E1000E/device)")
	ADDR_IGB=$(basename "$(readlink /sys/class/net/$E2E_IF_IGB/device)")
	ADDRS="$ADDR_E1000E $ADDR_IGB"
	trap 'restore_nics $ADDRS' EXIT
}
