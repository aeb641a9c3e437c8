#!/usr/bin/env bash
# Kernel-capture rows of `make bench` (docs/bench.md): boots a QEMU guest with
# pf_ring.ko and a veth pair, runs bench/guest/capbench.c in it (pf_ring.ko
# through libpfring vs AF_PACKET TPACKET_V3 vs no capture, same traffic made in
# the guest, CB_ROUNDS rounds alternating) and prints bench_row() rows
# ("ROW\tfigure\tours\tunit\tpeer\tpeer_value") from the medians. Reuses the
# e2e pieces: ci/e2e-initramfs.sh with its E2E_OUT/E2E_EXTRA_*/E2E_INIT options.
#
# Environment: BENCH_GUEST_KERNELS (default: the first of build/e2e/kernels.list),
# CB_ROUNDS (3), CB_RATE (frames/s, 50000), CB_SECS (3), CB_FLOWS (64),
# CB_PF_OPTS (more capbench options for the pf_ring runs, e.g. "-w 128"),
# BENCH_GUEST_SMP (1), BENCH_GUEST_TIMEOUT (600 s).
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
gcc -std=gnu11 -O2 -Wall -Wextra -Werror -Iinclude -o $OUT/bin/capbench bench/guest/capbench.c \
	build/libpfring.a -lpcap -lpthread || { note "capbench does not build"; exit 1; }
[ -x build/e2e/bin/e2e_ctl ] || { mkdir -p build/e2e/bin && gcc -std=c11 -O2 -static \
	-o build/e2e/bin/e2e_ctl tests/e2e/guest/e2e_ctl.c; } || exit 1

# Median of the numbers on stdin.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# KEY of every CAPBENCH line of MODE in the console.
field() { # console mode key
	grep "^CAPBENCH mode=$2 " "$1" | tr ' ' '\n' | sed -n "s/^$3=//p"
}

rows_for() { # version console
	local ver=$1 con=$2 m tp="AF_PACKET TPACKET_V3"
	declare -A med
	for m in pfring pfring-w128 tpacket3 none; do
		med[$m,pps]=$(field "$con" $m pkts_per_busy_s | median)
		med[$m,busy]=$(field "$con" $m busy_s | median)
		med[$m,cap]=$(paste <(field "$con" $m captured) <(field "$con" $m sent) |
			awk '$2 > 0 { print 100 * $1 / $2 }' | median)
		med[$m,drop]=$(field "$con" $m dropped | median)
	done
	# The capture's own cost: the guest's busy CPU above the no-capture median, per frame.
	for m in pfring pfring-w128 tpacket3; do
		med[$m,ns]=$(paste <(field "$con" $m busy_s) <(field "$con" $m captured) |
			awk -v b="${med[none,busy]}" '$2 > 0 { print 1e9 * ($1 - b) / $2 }' | median)
	done
	row() { # figure ours-key unit peer-key
		printf 'ROW\tkernel capture %s, %s\t%.2f\t%s\t%s\t%.2f\n' "$ver" "$1" \
			"${med[$2]}" "$3" "$tp" "${med[$4]}"
	}
	row "pf_ring.ko vs TPACKET_V3, pkts per guest CPU-second (goal >= 2x)" pfring,pps p/cpu-s tpacket3,pps
	row "same, pf_ring poll watermark 128" pfring-w128,pps p/cpu-s tpacket3,pps
	row "capture CPU ns per frame above no capture" pfring,ns ns/pkt tpacket3,ns
	row "same, pf_ring poll watermark 128" pfring-w128,ns ns/pkt tpacket3,ns
	row "frames captured (% of sent)" pfring,cap % tpacket3,cap
	row "same, pf_ring poll watermark 128" pfring-w128,cap % tpacket3,cap
	note "$ver: medians of $(grep -c '^CAPBENCH mode=pfring ' "$con") rounds;" \
		"no-capture baseline ${med[none,busy]} busy s per run; capture drops" \
		"pfring ${med[pfring,drop]}, pfring-w128 ${med[pfring-w128,drop]}," \
		"tpacket3 ${med[tpacket3,drop]}; every run: $con"
}

status=0
for ver in $kernels; do
	dir=$OUT/$ver
	mkdir -p "$dir"
	if ! make -C kmod KVER="$ver" > "$dir/kmod-build.log" 2>&1; then
		note "$ver: kmod build failed ($dir/kmod-build.log)"; status=1; continue
	fi
	E2E_OUT=$dir E2E_EXTRA_MODS=veth E2E_EXTRA_BINS=$OUT/bin/capbench E2E_INIT=bench/guest/init \
		E2E_NO_TOOLS=1 bash ci/e2e-initramfs.sh "$ver" > "$dir/initramfs.log" 2>&1 ||
		{ note "$ver: initramfs failed ($dir/initramfs.log)"; status=1; continue; }
	cmdline="console=ttyS0 loglevel=4 panic=-1 oops=panic"
	for v in CB_ROUNDS CB_RATE CB_SECS CB_FLOWS; do
		[ -n "${!v:-}" ] && cmdline+=" $v=${!v}"
	done
	[ -n "${CB_PF_OPTS:-}" ] && cmdline+=" CB_PF_OPTS=${CB_PF_OPTS// /_}"
	note "$ver: guest running the capture benchmark (console: $dir/console.log) ..."
	t=$(date +%s)
	timeout -k 10 "${BENCH_GUEST_TIMEOUT:-600}" "$QEMU" -machine q35 -accel "${E2E_ACCEL:-tcg}" \
		-cpu max -m 1G -smp "${BENCH_GUEST_SMP:-1}" -nographic -vga none -no-reboot \
		-monitor none -serial "file:$dir/console.log" -nic none \
		-kernel "build/e2e/kernels/$ver/boot/vmlinuz-$ver" -initrd "$dir/initramfs.cpio.gz" \
		-append "$cmdline" < /dev/null > "$dir/qemu.log" 2>&1
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
