#!/usr/bin/env bash
# Capture rows of `make bench` (docs/bench.md): boots a QEMU guest with
# pf_ring.ko, an e1000e and an igb NIC wired to bench/guest/inject.c on the
# host, runs bench/guest/capbench.c in it (on the igb: pf_ring.ko, the dna:
# backend, the DNA driver API, AF_PACKET TPACKET_V3, DPDK's testpmd, no capture;
# the same traffic sent by inject into the igb when capbench asks for it on the
# e1000e; CB_ROUNDS rounds alternating, then a search over CB_RATES) and prints bench_row() rows
# ("ROW\tfigure\tours\tunit\tpeer\tpeer_value") from the medians. Reuses the
# e2e pieces: ci/e2e-initramfs.sh with its E2E_OUT/E2E_EXTRA_*/E2E_INIT options.
#
# Environment: BENCH_GUEST_KERNELS (default: the first of build/e2e/kernels.list),
# CB_ROUNDS (3), CB_RATE (frames/s, 50000), CB_SECS (3), CB_FLOWS (64),
# CB_PF_OPTS (more capbench options for the pf_ring runs, e.g. "-w 128"),
# CB_RATES (the search's rates, "12500 25000 ... 800000"), CB_SEARCH_SECS (1),
# BENCH_GUEST_SMP (1), BENCH_GUEST_TIMEOUT (900 s), BENCH_PORT_BASE (47150: inject
# listens on BASE (e1000e) and BASE+1 (igb) of 127.0.0.1, QEMU connects).
# Exit 0 with a note on stderr and no rows when QEMU or the guest kernels are missing.
set -uo pipefail
cd "$(dirname "$0")/.."
QEMU=/usr/bin/qemu-system-x86_64
OUT=build/bench-guest
note() { echo "bench-guest: $*" >&2; }

[ -x "$QEMU" ] || { note "no $QEMU: kernel-capture rows skipped (ci/e2e-env.sh installs it)"; exit 0; }
kernels=${BENCH_GUEST_KERNELS:-$(head -n 1 build/e2e/kernels.list 2>/dev/null)}
[ -n "$kernels" ] || { note "no guest kernels (build/e2e/kernels.list; run ci/e2e-env.sh): rows skipped"; exit 0; }

mkdir -p $OUT/bin
make --no-print-directory lib > $OUT/build.log 2>&1 || { note "make lib failed ($OUT/build.log)"; exit 1; }
gcc -std=gnu11 -O2 -Wall -Wextra -Werror -I. -Iinclude -o $OUT/bin/capbench bench/guest/capbench.c \
	bench/guest/capbench_nic.c bench/guest/traffic.c build/libpfring.a -lpcap -lpthread ||
	{ note "capbench does not build"; exit 1; }
gcc -std=gnu11 -O2 -Wall -Wextra -Werror -o $OUT/inject bench/guest/inject.c bench/guest/traffic.c ||
	{ note "inject does not build"; exit 1; }
# DPDK's testpmd (Debian's dpdk-dev, ci/install-deps.sh bench) and the PMDs it
# loads with -d in the guest (bench/guest/init), at the paths ldd gives them.
TESTPMD=/usr/bin/dpdk-testpmd
dpdk_bins= dpdk_libs=
if [ -x $TESTPMD ]; then
	dpdk_bins=$TESTPMD
	for so in librte_net_e1000.so.23 librte_mempool_ring.so.23; do
		dpdk_libs+=" $(ldconfig -p | awk -v n=$so '$1 == n && /x86-64/ { print $NF; exit }')"
	done
else
	note "no $TESTPMD (sudo bash ci/install-deps.sh bench): no DPDK rows"
fi
[ -x build/e2e/bin/e2e_ctl ] || { mkdir -p build/e2e/bin && gcc -std=c11 -O2 -static \
	-o build/e2e/bin/e2e_ctl tests/e2e/guest/e2e_ctl.c; } || exit 1

# Median of the numbers on stdin.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# KEY of every CAPBENCH line of MODE in the console.
field() { # console mode key
	grep "^CAPBENCH mode=$2 " "$1" | tr ' ' '\n' | sed -n "s/^$3=//p"
}

# The highest sent_pps of MODE's search runs that lost nothing (0 when none).
no_loss_rate() { # console mode
	grep "^CAPBENCH mode=search-$2 " "$1" | awk '{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		if (v["captured"] >= v["sent"] && v["dropped"] == 0 && v["sent_pps"] > best)
			best = v["sent_pps"] }
		END { print best + 0 }'
}

rows_for() { # version console
	local ver=$1 con=$2 m tp="AF_PACKET TPACKET_V3" dpdk="DPDK testpmd rxonly"
	# the DNA driver API runs on the e1000e while drivers/ has no igb driver:
	# its peer is then DPDK on the e1000e (the same emulated NIC)
	local nic=nic-igb nicpeer=dpdk peer_e1000e=
	grep -q '^CAPBENCH mode=nic-e1000e ' "$con" && nic=nic-e1000e nicpeer=dpdk-e1000e peer_e1000e=1
	declare -A med has
	for m in pfring tpacket3 none dna $nic dpdk $nicpeer; do
		has[$m]=$(grep -c "^CAPBENCH mode=$m " "$con")
		med[$m,pps]=$(field "$con" $m pkts_per_busy_s | median)
		med[$m,busy]=$(field "$con" $m busy_s | median)
		med[$m,cap]=$(paste <(field "$con" $m captured) <(field "$con" $m sent) |
			awk '$2 > 0 { print 100 * $1 / $2 }' | median)
		med[$m,drop]=$(field "$con" $m dropped | median)
	done
	# The capture's own cost: the guest's busy CPU above the no-capture median, per
	# frame (in the note only: under TCG the kernel's share is within the noise).
	for m in pfring tpacket3 dna $nic dpdk $nicpeer; do
		med[$m,max]=$(no_loss_rate "$con" $m)
		med[$m,ns]=$(paste <(field "$con" $m busy_s) <(field "$con" $m captured) |
			awk -v b="${med[none,busy]}" '$2 > 0 { print 1e9 * ($1 - b) / $2 }' | median)
	done
	# row figure ours-mode key unit peer-mode; every figure is higher-is-better,
	# so the ratio > 1 means ours is better. No row when a mode did not run (the
	# guest's "BENCH NOROW" says why, in the notes below).
	row() {
		local fig=$1 o=$2 k=$3 unit=$4 p=$5 name
		case $p in tpacket3) name=$tp ;; dpdk) name=$dpdk ;; dpdk-e1000e) name="$dpdk (e1000e)" ;; esac
		[ "${has[$o]}" -gt 0 ] && [ "${has[$p]}" -gt 0 ] || return 0
		printf 'ROW\tguest capture %s, %s\t%.2f\t%s\t%s\t%.2f\n' "$ver" "$fig" \
			"${med[$o,$k]}" "$unit" "$name" "${med[$p,$k]}"
	}
	for m in dna nic dpdk dpdk_e1000e; do
		grep "^BENCH NOROW $m:" "$con" | head -n 1 | sed "s/^BENCH NOROW $m: /no row: $m: not available (/; s/\$/)/" |
			while read -r l; do note "$ver: $l"; done
	done
	row "pf_ring.ko vs TPACKET_V3 on igb, pkts per guest CPU-second (goal >= 2x)" pfring pps p/cpu-s tpacket3
	row "dna: vs TPACKET_V3, pkts per guest CPU-second (goal >= 3x)" dna pps p/cpu-s tpacket3
	row "dna: vs DPDK, pkts per guest CPU-second (goal >= 1x)" dna pps p/cpu-s dpdk
	[ $nic = nic-igb ] &&
		row "DNA driver API ($nic) vs TPACKET_V3, pkts per guest CPU-second" $nic pps p/cpu-s tpacket3
	row "DNA driver API ($nic) vs DPDK, pkts per guest CPU-second" $nic pps p/cpu-s $nicpeer
	row "pf_ring.ko frames captured (% of sent)" pfring cap % tpacket3
	row "dna: frames captured (% of sent)" dna cap % tpacket3
	row "pf_ring.ko vs TPACKET_V3, highest sent rate with no loss" pfring max pps tpacket3
	row "dna: vs TPACKET_V3, highest sent rate with no loss (goal >= 3x)" dna max pps tpacket3
	row "dna: vs DPDK, highest sent rate with no loss (goal >= 1x)" dna max pps dpdk
	[ $nic = nic-igb ] &&
		row "DNA driver API ($nic) vs TPACKET_V3, highest sent rate with no loss" $nic max pps tpacket3
	row "DNA driver API ($nic) vs DPDK, highest sent rate with no loss" $nic max pps $nicpeer
	local top=$(echo "${CB_RATES:-12500 25000 50000 100000 200000 400000 800000}" | tr ' _' '\n\n' | sort -g | tail -n 1)
	note "$ver: medians of ${has[pfring]} rounds; pkts per guest CPU-s: pfring ${med[pfring,pps]}," \
		"tpacket3 ${med[tpacket3,pps]}, dna ${med[dna,pps]:-none}, $nic ${med[$nic,pps]:-none}," \
		"dpdk ${med[dpdk,pps]:-none}${peer_e1000e:+, $nicpeer ${med[$nicpeer,pps]}};" \
		"capture ns per frame above no capture: pfring ${med[pfring,ns]}," \
		"tpacket3 ${med[tpacket3,ns]}, dna ${med[dna,ns]}, $nic ${med[$nic,ns]}, dpdk ${med[dpdk,ns]};" \
		"no-capture baseline ${med[none,busy]} busy s per run;" \
		"highest no-loss rate (of CB_RATES up to $top): pfring ${med[pfring,max]}," \
		"tpacket3 ${med[tpacket3,max]}, dna ${med[dna,max]}, $nic ${med[$nic,max]}," \
		"dpdk ${med[dpdk,max]}${peer_e1000e:+, $nicpeer ${med[$nicpeer,max]}};" \
		"capture drops pfring ${med[pfring,drop]}, tpacket3 ${med[tpacket3,drop]}, dna ${med[dna,drop]:-}," \
		"$nic ${med[$nic,drop]:-}, dpdk ${med[dpdk,drop]:-}; every run: $con"
}

inject_pid=
stop_inject() {
	[ -n "$inject_pid" ] && kill "$inject_pid" 2>/dev/null && wait "$inject_pid" 2>/dev/null
	inject_pid=
}
trap stop_inject EXIT

status=0
for ver in $kernels; do
	dir=$OUT/$ver
	mkdir -p "$dir"
	if ! make -C kmod KVER="$ver" > "$dir/kmod-build.log" 2>&1; then
		note "$ver: kmod build failed ($dir/kmod-build.log)"; status=1; continue
	fi
	E2E_OUT=$dir E2E_EXTRA_BINS="$OUT/bin/capbench $dpdk_bins" E2E_EXTRA_LIBS="$dpdk_libs" \
		E2E_INIT=bench/guest/init E2E_NO_TOOLS=1 bash ci/e2e-initramfs.sh "$ver" > "$dir/initramfs.log" 2>&1 ||
		{ note "$ver: initramfs failed ($dir/initramfs.log)"; status=1; continue; }
	cmdline="console=ttyS0 loglevel=4 panic=-1 oops=panic"
	for v in CB_ROUNDS CB_RATE CB_SECS CB_FLOWS CB_SEARCH_SECS; do
		[ -n "${!v:-}" ] && cmdline+=" $v=${!v}"
	done
	[ -n "${CB_PF_OPTS:-}" ] && cmdline+=" CB_PF_OPTS=${CB_PF_OPTS// /_}"
	[ -n "${CB_RATES:-}" ] && cmdline+=" CB_RATES=${CB_RATES// /_}"
	note "$ver: guest running the capture benchmark (console: $dir/console.log) ..."
	t=$(date +%s)
	# Each NIC is wired to inject by a TCP connection (bench/guest/inject.c says
	# why). The emulated IOMMU is for vfio-pci (DPDK, dna:); iommu=pt leaves the
	# kernel drivers' DMA untranslated, as on a host.
	a=${BENCH_PORT_BASE:-47150}
	b=$((a + 1))
	$OUT/inject $a $b 2> "$dir/inject.log" &
	inject_pid=$!
	n=0
	until grep -q 'inject: ready' "$dir/inject.log"; do
		[ $n -lt 50 ] && kill -0 $inject_pid 2>/dev/null || { note "inject did not start"; exit 1; }
		sleep 0.1; n=$((n + 1))
	done
	timeout -k 10 "${BENCH_GUEST_TIMEOUT:-900}" "$QEMU" -machine q35 -accel "${E2E_ACCEL:-tcg}" \
		-cpu max -m 1G -smp "${BENCH_GUEST_SMP:-1}" -nographic -vga none -no-reboot \
		-monitor none -serial "file:$dir/console.log" -device intel-iommu \
		-netdev "stream,id=n0,server=off,addr.type=inet,addr.host=127.0.0.1,addr.port=$a" \
		-device e1000e,netdev=n0,mac=52:54:00:cb:00:01,romfile= \
		-netdev "stream,id=n1,server=off,addr.type=inet,addr.host=127.0.0.1,addr.port=$b" \
		-device igb,netdev=n1,mac=52:54:00:cb:00:02,romfile= \
		-kernel "build/e2e/kernels/$ver/boot/vmlinuz-$ver" -initrd "$dir/initramfs.cpio.gz" \
		-append "$cmdline intel_iommu=on iommu=pt" < /dev/null > "$dir/qemu.log" 2>&1
	stop_inject
	con=$dir/console.txt
	tr -d '\r' < "$dir/console.log" > "$con"
	note "$ver: guest ended after $(($(date +%s) - t)) s"
	grep '^BENCH ERROR' "$con" | sed 's/^/bench-guest: /' >&2
	if ! grep -q '^BENCH END' "$con" || ! grep -q '^CAPBENCH mode=pfring ' "$con" ||
	   ! grep -q '^CAPBENCH mode=tpacket3 ' "$con"; then
		note "$ver: no complete run; console tail:"; tail -n 30 "$con" >&2; status=1; continue
	fi
	rows_for "$ver" "$con"
done
exit $status
