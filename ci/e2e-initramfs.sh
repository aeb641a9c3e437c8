#!/usr/bin/env bash
# Packs the initramfs of one e2e guest (docs/e2e.md):
#   bash ci/e2e-initramfs.sh <kernel version>  ->  build/e2e/<version>/initramfs.cpio.gz
# Contents: static busybox and its applet links, the e1000e, igb and veth drivers, vfio-pci,
# vfio_iommu_type1 and uio_pci_generic (the DNA drivers' bus: t_dna-bus.sh), with
# their dependencies (decompressed, depmod -b), build/kmod/<version>/*.ko under
# lib/modules/<version>/extra, e2e_ctl and build/tools/* with their shared
# libraries and the dynamic loader, Debian's tcpdump and build/libpfring-pcap.so (in
# /e2e/lib) with theirs, the fixtures and their facts
# (tests/e2e/fixture_facts.py), tests/e2e/guest/{init,lib.sh,t_*.sh}.
#
# Extra options for other guests built from the same pieces (ci/bench-guest.sh);
# `make e2e` sets none of them:
#   E2E_OUT=DIR               pack into DIR instead of build/e2e/<version>
#   E2E_EXTRA_MODS="veth ..." more in-tree modules (with their modules.dep dependencies)
#   E2E_EXTRA_BINS="path ..." more binaries in /e2e/bin (with their libraries)
#   E2E_EXTRA_LIBS="path ..." more shared objects at their own path (with their libraries):
#                             what a binary dlopen()s, e.g. DPDK's PMDs
#   E2E_INIT=FILE             this /init instead of tests/e2e/guest/init
set -euo pipefail
cd "$(dirname "$0")/.."
ver=$1
kroot=build/e2e/kernels/$ver
out=${E2E_OUT:-build/e2e/$ver}
extra_mods=$(for m in ${E2E_EXTRA_MODS:-}; do printf '|%s' "$m"; done)
root=$out/initramfs
[ -e "$kroot/boot/vmlinuz-$ver" ] || { echo "e2e-initramfs: no kernel $kroot (run ci/e2e-env.sh)" >&2; exit 1; }

rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc,e2e/bin,e2e/tests,e2e/fixtures,e2e/facts}
mkdir -p "$root/lib/modules/$ver/extra"

# busybox and one link per applet (never "busybox" itself: it would overwrite the binary).
cp /bin/busybox "$root/bin/busybox"
for app in $(/bin/busybox --list-full); do
	[ "${app##*/}" = busybox ] && continue
	[ -e "$root/$app" ] || ln -s /bin/busybox "$root/$app"
done

# NIC drivers with their dependencies, as plain .ko; modules.dep rebuilt by depmod.
mods=$kroot/lib/modules/$ver
need=$(awk -F': *' '$1 ~ /\/(e1000e|igb|veth|vfio-pci|vfio_iommu_type1|uio_pci_generic'"$extra_mods"')\.ko(\.xz|\.zst)?$/ {print $1; print $2}' "$mods/modules.dep" | tr ' ' '\n' | sort -u)
for m in $need; do
	dst=$root/lib/modules/$ver/$m
	mkdir -p "$(dirname "$dst")"
	case $m in
	*.xz) xz -dc "$mods/$m" > "${dst%.xz}" ;;
	*.zst) zstd -qdc "$mods/$m" > "${dst%.zst}" ;;
	*) cp "$mods/$m" "$dst" ;;
	esac
done
cp "$mods"/modules.{order,builtin,builtin.modinfo} "$root/lib/modules/$ver/" 2>/dev/null || true
# Our modules (pf_ring.ko, the sample plugins), when built.
for ko in build/kmod/"$ver"/*.ko; do
	[ -e "$ko" ] && cp "$ko" "$root/lib/modules/$ver/extra/"
done
depmod -b "$root" "$ver"

# Our binaries, dynamically linked: their libraries and the loader come along.
bins=(build/e2e/bin/e2e_ctl ${E2E_EXTRA_BINS:-})
if [ "${E2E_NO_TOOLS:-0}" != 1 ]; then	# set by e2e-run.sh when make tools failed
	for b in build/tools/* $(ls tests/e2e/progs/*.c 2>/dev/null | sed 's|.*/\(.*\)\.c$|build/e2e/bin/\1|'); do
		[ -x "$b" ] && [ -f "$b" ] && bins+=("$b")
	done
fi
# copy_libs FILE: the libraries ldd lists for FILE, at their paths.
copy_libs() {
	ldd "$1" 2>/dev/null | awk '/=> \// {print $3} /^\t\// {print $1}' | while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		[ -e "$root$lib" ] || cp -L "$lib" "$root$lib"
	done || true	# ldd fails on a static binary
}
for b in "${bins[@]}"; do
	cp "$b" "$root/e2e/bin/"
	strip --strip-debug "$root/e2e/bin/${b##*/}"
	copy_libs "$b"
done
for lib in ${E2E_EXTRA_LIBS:-}; do
	mkdir -p "$root$(dirname "$lib")"
	[ -e "$root$lib" ] || cp -L "$lib" "$root$lib"
	copy_libs "$lib"
done
# libpfring dlopen()s libpcap.so.0.8 by name (util/pcap_lib.h), so ldd of a tool that
# makes no libpcap call of its own does not list it: it and its libraries come by name.
pcap_so=$(ldconfig -p | awk '$1 == "libpcap.so.0.8" && /x86-64/ && !f {print $NF; f = 1}')
[ -n "$pcap_so" ] || { echo "e2e-initramfs: libpcap.so.0.8 not found (apt install libpcap0.8)" >&2; exit 1; }
mkdir -p "$root$(dirname "$pcap_so")"
cp -L "$pcap_so" "$root$pcap_so"
copy_libs "$pcap_so"

# Debian's own tcpdump at its own path, with its libraries, and the libpcap shim
# (build/libpfring-pcap.so, when built: never a stale one) in /e2e/lib (t_pcap.sh).
# tcpdump runs as root with -Z root, which it looks up in /etc/passwd.
if [ -x /usr/bin/tcpdump ]; then
	cp /usr/bin/tcpdump "$root/usr/bin/tcpdump"
	copy_libs /usr/bin/tcpdump
fi
mkdir -p "$root/e2e/lib"
if [ "${E2E_NO_TOOLS:-0}" != 1 ] && [ -f build/libpfring-pcap.so ]; then
	cp build/libpfring-pcap.so "$root/e2e/lib/"
	strip --strip-debug "$root/e2e/lib/libpfring-pcap.so"
	copy_libs build/libpfring-pcap.so
fi
echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
echo 'root:x:0:' > "$root/etc/group"

cp tests/fixtures/*.pcap "$root/e2e/fixtures/"
# What the tests expect of the fixtures (flow keys, SIP counts), computed here with scapy.
/usr/bin/python3 tests/e2e/fixture_facts.py tests/fixtures "$root/e2e/facts"
cp "${E2E_INIT:-tests/e2e/guest/init}" "$root/init"
cp tests/e2e/guest/lib.sh "$root/e2e/lib.sh"
if [ -n "${E2E_ONLY:-}" ]; then	# ci/e2e-run.sh: only these tests
	for n in $E2E_ONLY; do
		cp "tests/e2e/guest/t_$n.sh" "$root/e2e/tests/"
	done
else
	cp tests/e2e/guest/t_*.sh "$root/e2e/tests/"
fi
chmod 755 "$root/init"

(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 > "$out/initramfs.cpio.gz"
echo "e2e-initramfs: $out/initramfs.cpio.gz ($(du -k "$out/initramfs.cpio.gz" | cut -f1) KiB)"
