#!/usr/bin/env bash
# Prepares what `make e2e` needs, idempotently: QEMU with igb emulation (bookworm-backports),
# busybox for the guest userland, and for each guest kernel (Debian 12's 6.1 and
# bookworm-backports' 6.12) its headers installed and its image extracted, not installed,
# into build/e2e/kernels/<version>. Writes the versions to build/e2e/kernels.list.
# Needs root for apt; as another user it prints the command to run.
#   bash ci/e2e-env.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/e2e/kernels
mkdir -p "$out"
export DEBIAN_FRONTEND=noninteractive
suites=(bookworm bookworm-backports)

as_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "ci/e2e-env.sh: needs root to install Debian packages; run: sudo bash ci/e2e-env.sh" >&2
		exit 1
	fi
}

# The backports suite, from the same archive the machine already uses (ci/backports.sh).
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	as_root
	. ci/backports.sh
	ensure_backports
fi

# Plain packages: "package:probe[:suite]".
pkgs=(
	"busybox-static:/bin/busybox"
	"cpio:/usr/bin/cpio"
	"kmod:/usr/bin/kmod"
	"gcc:/usr/bin/gcc"
	"make:/usr/bin/make"
	"bc:/usr/bin/bc"
	"python3-scapy:/usr/lib/python3/dist-packages/scapy/__init__.py"
	"tcpdump:/usr/bin/tcpdump"	# t_pcap.sh: Debian's tcpdump with libpfring-pcap.so
	"qemu-system-x86:/usr/bin/qemu-system-x86_64:bookworm-backports"
)
updated=0
apt_install() { # [suite] packages...
	as_root
	local suite=$1; shift
	[ $updated -eq 1 ] || { apt-get update -qq; updated=1; }
	if [ -n "$suite" ]; then
		apt-get install -y -qq --no-install-recommends -t "$suite" "$@" >/dev/null
	else
		apt-get install -y -qq --no-install-recommends "$@" >/dev/null
	fi
}
for entry in "${pkgs[@]}"; do
	IFS=: read -r pkg probe suite <<<"$entry"
	[ -e "$probe" ] && continue
	echo "ci/e2e-env.sh: installing $pkg"
	apt_install "${suite:-}" "$pkg"
done

# The kernel image package linux-image-amd64 points at in a suite, e.g. linux-image-6.1.0-37-amd64.
image_pkg() {
	apt-cache depends -t "$1" linux-image-amd64 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ {print $2; exit}'
}

: > build/e2e/kernels.list.new
for suite in "${suites[@]}"; do
	pkg=$(image_pkg "$suite")
	if [ -z "$pkg" ]; then
		[ $updated -eq 1 ] || { as_root; apt-get update -qq; updated=1; }
		pkg=$(image_pkg "$suite")
	fi
	[ -n "$pkg" ] || { echo "ci/e2e-env.sh: no linux-image-amd64 in $suite" >&2; exit 1; }
	ver=${pkg#linux-image-}
	if [ ! -e "/lib/modules/$ver/build/Makefile" ] && [ ! -e "/usr/src/linux-headers-$ver/Makefile" ]; then
		echo "ci/e2e-env.sh: installing linux-headers-$ver"
		apt_install "$suite" "linux-headers-$ver"
	fi
	if [ ! -e "$out/$ver/boot/vmlinuz-$ver" ]; then
		echo "ci/e2e-env.sh: extracting $pkg (not installed) into $out/$ver"
		tmp=$(mktemp -d); chmod 755 "$tmp"
		(cd "$tmp" && apt-get download -qq -t "$suite" "$pkg" >/dev/null)
		rm -rf "$out/$ver"
		dpkg-deb -x "$tmp"/*.deb "$out/$ver"
		rm -rf "$tmp"
		depmod -b "$out/$ver" "$ver"
	fi
	echo "$ver" >> build/e2e/kernels.list.new
done
mv build/e2e/kernels.list.new build/e2e/kernels.list
echo "ci/e2e-env.sh: guest kernels: $(tr '\n' ' ' < build/e2e/kernels.list)"
