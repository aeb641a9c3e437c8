# Debian packages per make target (sourced by ci/check-deps.sh and ci/install-deps.sh).
# Each entry: "package:probe" where probe is a file or command that proves it is installed,
# so a check costs no dpkg/apt call.
PKGS_test=(
	"make:/usr/bin/make"
	"gcc:/usr/bin/gcc"
	"g++:/usr/bin/g++"
	"pkg-config:/usr/bin/pkg-config"
	"libpcap-dev:/usr/include/pcap/pcap.h"
	"libcmocka-dev:/usr/include/cmocka.h"
	"valgrind:/usr/bin/valgrind"
	"clang:/usr/bin/clang"
	"libclang-rt-14-dev:/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a"
	"python3-scapy:/usr/lib/python3/dist-packages/scapy/__init__.py"
	"tcpdump:/usr/bin/tcpdump"
)
# make bench: everything make test needs, plus the peers it is compared with.
PKGS_bench=(
	"${PKGS_test[@]}"
	"libdpdk-dev:/usr/lib/x86_64-linux-gnu/pkgconfig/libdpdk.pc"
	"dpdk-dev:/usr/bin/dpdk-testpmd"
)

# Prints the packages of target $1 that are not installed, one per line.
missing_packages() {
	local -n list="PKGS_$1"
	local entry
	for entry in "${list[@]}"; do
		[ -e "${entry#*:}" ] || echo "${entry%%:*}"
	done
}
