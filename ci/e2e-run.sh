#!/usr/bin/env bash
# make e2e: boots one QEMU guest per kernel of build/e2e/kernels.list with
# pf_ring.ko, an e1000e and an igb NIC wired to tests/e2e/host_peer.py, runs the
# guest tests (tests/e2e/guest/t_NAME.sh) and decides pass/fail from the marker
# lines on each guest's serial console. See docs/e2e.md.
#
# Environment: E2E_KERNELS="v1 v2" (subset of kernels.list), E2E_PORT_BASE
# (default 47100; guest i uses BASE+10*i .. +3), E2E_TIMEOUT (per guest, 1200 s),
# E2E_ONLY="NAME ..." (only these guest tests: for iterating, never for a verdict),
# E2E_ACCEL (tcg), E2E_PARALLEL=0 (one guest at a time), E2E_SKIP_ENV=1 (do not
# run ci/e2e-env.sh), E2E_VERBOSE=1 (the guest prints the log of every test, not
# only of failed ones).
set -uo pipefail
cd "$(dirname "$0")/.."
T0=$(date +%s)
E2E=build/e2e
PORT_BASE=${E2E_PORT_BASE:-47100}
GUEST_TIMEOUT=${E2E_TIMEOUT:-1200}
ACCEL=${E2E_ACCEL:-tcg}
QEMU=/usr/bin/qemu-system-x86_64

say() { echo "e2e: $*"; }
die() { echo "e2e: $*" >&2; exit 2; }

# 1. Environment (QEMU, busybox, kernels); it prints the sudo command when not root.
if [ "${E2E_SKIP_ENV:-0}" != 1 ]; then
	bash ci/e2e-env.sh || die "ci/e2e-env.sh failed"
fi
[ -x "$QEMU" ] || die "no $QEMU (run ci/e2e-env.sh as root)"
kernels=${E2E_KERNELS:-$(cat $E2E/kernels.list 2>/dev/null)}
[ -n "$kernels" ] || die "no guest kernels in $E2E/kernels.list"

# 2. What goes into the guests.
# A failed build does not stop the run (the guests still test what does not need the
# tools) but fails it, and no stale tools go into the guests.
say "building lib, tools, the pcap shim and e2e_ctl (log: $E2E/build.log)"
build_ok=1
mkdir -p $E2E
# build/libpfring-pcap.so: the libpcap shim, preloaded into Debian's tcpdump (t_pcap.sh)
if ! make lib tools build/libpfring-pcap.so > $E2E/build.log 2>&1; then
	build_ok=0
	say "make lib tools FAILED: the guests get no tools; last lines:"
	grep -m 10 -E 'error|Error' $E2E/build.log | sed 's/^/    /'
fi
mkdir -p $E2E/bin
gcc -std=c11 -O2 -Wall -Wextra -Werror -static -o $E2E/bin/e2e_ctl tests/e2e/guest/e2e_ctl.c ||
	die "e2e_ctl does not build"
# The guest tests' programs on libpfring (tests/e2e/progs/NAME.c -> NAME).
for src in tests/e2e/progs/*.c; do
	[ $build_ok = 1 ] || break
	name=${src##*/}; name=${name%.c}
	rm -f "$E2E/bin/$name"
	gcc -std=gnu11 -O2 -Wall -Wextra -Werror -I. -Iinclude -o "$E2E/bin/$name" "$src" \
		build/libpfring.a -lpcap -lpthread || { build_ok=0; say "$src does not build"; }
done
export E2E_NO_TOOLS=$((1 - build_ok))

# The expected test list: one per tests/e2e/guest/t_NAME.sh, the same on every kernel
# (E2E_ONLY="NAME ...": those only, while iterating; ci/e2e-initramfs.sh packs only them).
tests=()
for f in tests/e2e/guest/t_*.sh; do
	n=${f##*/t_}
	n=${n%.sh}
	if [ -n "${E2E_ONLY:-}" ] && [[ " $E2E_ONLY " != *" $n "* ]]; then
		continue
	fi
	tests+=("$n")
done
[ ${#tests[@]} -gt 0 ] || die "no tests in tests/e2e/guest"

# 3. Per kernel: the module (may be missing: its tests then fail in the guest), the initramfs.
for ver in $kernels; do
	mkdir -p "$E2E/$ver"
	rm -f "$E2E/$ver"/*.pcap
	if [ -e kmod/Makefile ]; then
		say "$ver: make -C kmod KVER=$ver (log: $E2E/$ver/kmod-build.log)"
		if ! make -C kmod KVER="$ver" > "$E2E/$ver/kmod-build.log" 2>&1; then
			say "$ver: kmod build FAILED; last lines:"
			tail -n 15 "$E2E/$ver/kmod-build.log" | sed 's/^/    /'
		fi
	else
		say "$ver: no kmod/Makefile yet"
	fi
	[ -e "build/kmod/$ver/pf_ring.ko" ] || say "$ver: build/kmod/$ver/pf_ring.ko missing: module tests will FAIL"
	bash ci/e2e-initramfs.sh "$ver" || die "$ver: initramfs failed"
done

# 4. One guest at a time: host peer, QEMU under timeout, console to a file.
peer_pid=
stop_peer() {
	if [ -n "$peer_pid" ]; then
		kill "$peer_pid" 2>/dev/null
		wait "$peer_pid" 2>/dev/null
		peer_pid=
	fi
}
trap stop_peer EXIT

boot_guest() { # index version
	local i=$1 ver=$2 dir=$E2E/$2 base=$((PORT_BASE + 10 * $1))
	local q0=$base p0=$((base + 1)) q1=$((base + 2)) p1=$((base + 3)) n=0
	/usr/bin/python3 tests/e2e/host_peer.py --fixtures tests/fixtures --outdir "$dir" \
		--nic "e1000e:$q0:$p0" --nic "igb:$q1:$p1" > "$dir/peer.log" 2>&1 &
	peer_pid=$!
	while ! grep -q 'host_peer: ready' "$dir/peer.log"; do
		kill -0 "$peer_pid" 2>/dev/null || { cat "$dir/peer.log"; return 1; }
		[ $n -ge 100 ] && { say "$ver: host peer not ready"; return 1; }
		sleep 0.1; n=$((n + 1))
	done
	say "$ver: booting (ports e1000e $q0<->$p0, igb $q1<->$p1; console: $dir/console.log)"
	local t=$(date +%s) cmdline_extra=
	[ "${E2E_VERBOSE:-0}" = 1 ] && cmdline_extra=" e2e_verbose"
	# the churn test's seed and length (t_churn.sh reads them from /proc/cmdline)
	[ -n "${E2E_CHURN_SEED:-}" ] && cmdline_extra+=" e2e_churn_seed=$E2E_CHURN_SEED"
	[ -n "${E2E_CHURN_SECS:-}" ] && cmdline_extra+=" e2e_churn_secs=$E2E_CHURN_SECS"
	timeout -k 10 "$GUEST_TIMEOUT" "$QEMU" -machine q35 -accel "$ACCEL" -cpu max -m 1G -smp 2 \
		-nographic -vga none -no-reboot -monitor none -serial "file:$dir/console.log" \
		-kernel "$E2E/kernels/$ver/boot/vmlinuz-$ver" -initrd "$dir/initramfs.cpio.gz" \
		-append "console=ttyS0 loglevel=4 panic=-1 oops=panic intel_iommu=on iommu=pt$cmdline_extra" \
		-device intel-iommu \
		-netdev "dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port=$q0,remote.type=inet,remote.host=127.0.0.1,remote.port=$p0" \
		-device e1000e,netdev=n0,mac=52:54:00:e2:e0:01,romfile= \
		-netdev "dgram,id=n1,local.type=inet,local.host=127.0.0.1,local.port=$q1,remote.type=inet,remote.host=127.0.0.1,remote.port=$p1" \
		-device igb,netdev=n1,mac=52:54:00:e2:e0:02,romfile= \
		< /dev/null > "$dir/qemu.log" 2>&1
	local rc=$?
	say "$ver: guest ended after $(($(date +%s) - t)) s (qemu exit $rc$([ $rc = 124 ] && echo ', TIMEOUT'))"
	stop_peer
	# QEMU's own assertion (seen once, 10.0 under TCG with -smp 2 and the emulated
	# IOMMU: "iotlb_to_section: Assertion ... failed") is the emulator's bug, not
	# the guest's: the caller boots that kernel once more (docs/e2e.md)
	if [ $rc = 134 ] && grep -q 'Assertion .* failed' "$dir/qemu.log"; then
		say "$ver: QEMU aborted: $(grep -m1 'Assertion' "$dir/qemu.log")"
		return 3
	fi
}

# boot_guest, and once more when QEMU itself aborted; the console of the first
# boot is kept beside (console.log.aborted).
boot_guest_once_more() { # index version
	local rc
	boot_guest "$@"
	rc=$?
	[ $rc = 3 ] || return $rc
	mv "$E2E/$2/console.log" "$E2E/$2/console.log.aborted"
	say "$2: booting again after QEMU's abort"
	boot_guest "$@"
	rc=$?
	[ $rc = 3 ] && return 1
	return $rc
}

# All guests at once by default, each in a subshell with its own peer and ports; they
# mostly wait on timers, so on 2 cores this halves the wall time. E2E_PARALLEL=0: one by one.
i=0 jobs_=()
for ver in $kernels; do
	rm -f "$E2E/$ver/console.log" "$E2E/$ver/console.log.aborted"
	if [ "${E2E_PARALLEL:-1}" = 1 ]; then
		( trap stop_peer EXIT; boot_guest_once_more $i "$ver" || say "$ver: could not start the guest" ) &
		jobs_+=($!)
	else
		boot_guest_once_more $i "$ver" || say "$ver: could not start the guest"
	fi
	i=$((i + 1))
done
for j in "${jobs_[@]}"; do wait "$j"; done

# 5. Verdict from the consoles only.
status=0
[ $build_ok = 1 ] || { status=1; say "FAIL: make lib tools failed (see $E2E/build.log)"; }
declare -A result
for ver in $kernels; do
	con=$E2E/$ver/console.log
	clean=$(tr -d '\r' < "$con" 2>/dev/null)
	for t in "${tests[@]}"; do
		marks=$(grep -oE "E2E (PASS|FAIL) $t(: .*)?$" <<<"$clean" | grep -E "^E2E (PASS|FAIL) $t(:|$)")
		case "$(wc -l <<<"$marks")/$marks" in
		1/"E2E PASS $t") result[$ver,$t]=PASS ;;
		1/"E2E FAIL $t"*) result[$ver,$t]=FAIL; status=1 ;;
		*) [ -z "$marks" ] && result[$ver,$t]=MISSING || result[$ver,$t]=MULTIPLE; status=1 ;;
		esac
	done
	unknown=$(grep -oE 'E2E (PASS|FAIL) [^ :]+' <<<"$clean" | awk '{print $3}' | sort -u |
		grep -vxF -f <(printf '%s\n' "${tests[@]}"))
	[ -n "$unknown" ] && { say "$ver: markers of unexpected tests: $unknown"; status=1; }
	end=$(grep -oE 'E2E END [0-9]+ [0-9]+' <<<"$clean" | tail -n 1)
	begin=$(grep -c "E2E BEGIN $ver" <<<"$clean")
	if [ -z "$end" ] || [ "$begin" != 1 ]; then
		status=1
		say "$ver: no complete run (BEGIN seen $begin times, END ${end:-missing}); console tail:"
		tail -n 40 "$con" 2>/dev/null | sed 's/^/    /'
	else
		npass=0 nfail=0
		for t in "${tests[@]}"; do
			# MULTIPLE: lib.sh adds a FAIL to a test's first verdict; /init counts it failed
			case "${result[$ver,$t]}" in
			PASS) npass=$((npass + 1)) ;;
			FAIL | MULTIPLE) nfail=$((nfail + 1)) ;;
			esac
		done
		[ "$end" = "E2E END $npass $nfail" ] ||
			{ say "$ver: '$end' disagrees with the markers ($npass pass, $nfail fail)"; status=1; }
	fi
	grep -E "E2E FAIL" <<<"$clean" | sed "s/^/    $ver: /"
	# a test that failed after frames were lost on the host ran once more (lib.sh)
	grep -E "^e2e: [A-Za-z0-9-]+ again: " <<<"$clean" | sed "s/^/    $ver: /"
done

echo
printf '%-22s' test
for ver in $kernels; do printf ' %-22s' "$ver"; done
echo
for t in "${tests[@]}"; do
	printf '%-22s' "$t"
	for ver in $kernels; do printf ' %-22s' "${result[$ver,$t]}"; done
	echo
done
echo
say "wall time $(($(date +%s) - T0)) s; logs in $E2E/<kernel>/{console,peer,qemu,kmod-build}.log"
[ $status -eq 0 ] && say "PASS" || say "FAIL"
exit $status
