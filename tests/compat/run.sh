#!/usr/bin/env bash
# tests/compat/run.sh - builds each program of tests/compat/ with the flags of the
# PF_RING 5.4.6 program it imitates, links it against build/libpfring.so, runs it on
# sim: NICs and checks its verdict and the messages the library printed. The
# multichannel one runs again under valgrind (no errors, no leaks). Run from the
# repository root by `make compat-test` (part of `make test`). Closing line:
#   compat: N passed, N failed
set -euo pipefail

BUILD=${BUILD:-build}
OUT=$BUILD/compat
. tests/tools/harness.sh
mkdir -p "$OUT"
ln -sf libpfring.so "$BUILD/libpfring.so.5"   # the soname the programs look for
INC="-Iinclude -DFIXTURE_DIR=\"$PWD/tests/fixtures\""
LINK="-L$BUILD -Wl,-rpath,$PWD/$BUILD -lpfring -lpthread"

# build NAME COMPILER FLAGS...: the program, or a failure with the compiler's output.
build() {
	local name=$1 cc=$2 src; shift 2
	src=$(ls tests/compat/$name.c* | head -n 1)
	# shellcheck disable=SC2086
	if $cc "$@" $INC "$src" -o "$OUT/$name" $LINK >"$TMP/$name.build" 2>&1; then
		pass "$name builds with: $cc $*"
	else
		fail "$name builds with: $cc $*" "" "$TMP/$name.build"
	fi
}

# verdict NAME [VALGRIND]: exit 0 and "NAME: ok" on stdout.
verdict() {
	local name=$1
	if [ -n "${2:-}" ]; then
		run "$name.vg" valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite,indirect,possible "$OUT/$name"
		name=$name.vg
	else
		run "$name" "$OUT/$name"
	fi
	if [ "$rc" -eq 0 ] && grep -q "^$1: ok" "$TMP/$name.log"; then
		pass "$name runs: $(grep "^$1: ok" "$TMP/$name.log")"
	else
		fail "$name runs" "exit $rc" "$TMP/$name.log"
	fi
}

# message NAME COUNT TEXT: the run of NAME printed the line TEXT exactly COUNT times.
message() {
	local n
	n=$(grep -cxF -- "$3" "$TMP/$1.log" || true)
	if [ "$n" -eq "$2" ]; then
		pass "$1 printed \"${3:0:60}...\" $2 time(s)"
	else
		fail "$1 printed \"${3:0:60}...\" $2 time(s)" "$n times" "$TMP/$1.log"
	fi
}

build compat_pfcount gcc -O2 -Wall -Werror -DHAVE_ZERO
build compat_pfsend gcc -O2 -Wall -Werror -DHAVE_ZERO
build compat_multichannel gcc -O2 -Wall -Werror
build compat_daq gcc -std=c99 -pedantic -Wall -Wextra -Werror -D_GNU_SOURCE -fvisibility=hidden
build compat_pcap gcc -O2 -fpic -DHAVE_PF_RING -Wall -Werror
build compat_cxx g++ -Wall -Wextra -Werror
build compat_dnacluster gcc -O2 -Wall -Werror -DHAVE_ZERO
build compat_dnabounce gcc -O2 -Wall -Werror -DHAVE_ZERO

for p in compat_pfcount compat_pfsend compat_multichannel compat_daq compat_pcap compat_cxx \
	compat_dnacluster compat_dnabounce; do
	[ -x "$OUT/$p" ] && verdict $p
done
[ -x "$OUT/compat_multichannel" ] && verdict compat_multichannel valgrind

message compat_pfcount 1 'pfring_config(0): cannot run with SCHED_FIFO priority 0: Invalid argument'
message compat_pfcount 1 'pfring_get_device_ifindex: no sim NIC "nosuch"'
message compat_pfsend 1 "pfring_get_num_tx_slots: TX/RX slots are DNA's (zero-copy NIC rings): this ring is not a dna: ring: 0 slots, send with pfring_send()"
message compat_dnacluster 1 'pfring_open("dnacluster:10@0"): no DNA cluster 10: is its master running?'
message compat_dnabounce 1 "pfring_dna_bouncer_create(\"sim:cdb0?pcap=$PWD/tests/fixtures/mix64.pcap\", \"sim:cdb1?gen=flows:1&count=1\"): libzero (DNA Bouncer) is not built yet in this version of pfring"

harness_done compat
