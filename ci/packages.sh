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
# make pcap-shim-apps-test: real programs through the pcap shim (issue 15), one list per
# test script so that each installs only its own program.
PKGS_pcap_tshark=(
	"tcpdump:/usr/bin/tcpdump"
	"tshark:/usr/bin/tshark"
)
PKGS_pcap_suricata=(
	"tcpdump:/usr/bin/tcpdump"
	"suricata:/usr/bin/suricata"
)
PKGS_pcap_apps=("${PKGS_pcap_tshark[@]}" "${PKGS_pcap_suricata[@]}")

# Packages taken from another Debian release than the default (apt-get install -t REL):
# bookworm has no suricata 7, bookworm-backports has.
declare -A PKG_RELEASE=([suricata]=bookworm-backports)
# debconf answers given before apt runs, so that no package asks (debconf-set-selections
# lines). wireshark-common asks whether non-root users may capture (setuid dumpcap): no.
PKG_PRESEED=(
	"wireshark-common wireshark-common/install-setuid boolean false"
)

# Prints the packages of target $1 that are not installed, one per line.
missing_packages() {
	local -n list="PKGS_$1"
	local entry
	for entry in "${list[@]}"; do
		[ -e "${entry#*:}" ] || echo "${entry%%:*}"
	done
}
