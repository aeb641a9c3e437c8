#!/bin/bash
# ci/check-layers.sh - which layer may include what (make test: layers-check);
# docs/architecture.md draws the layers.
#   core/      only core/ headers and <linux/pf_ring.h>; host headers only in core/port.h
#              (it is compiled into pf_ring.ko and checked freestanding)
#   plugins/   core/ and plugins/ (compiled into pf_ring.ko too)
#   util/      util/ only (the message policy, the libpcap loader)
#   sim/       the simulated NIC: core/, util/, sim/; nothing of the library
#   drivers/   the DNA drivers and their bus: core/, util/, drivers/; nothing of the library
#   lib/       the front: core/, plugins/, util/, lib/; no backend (lib/registry.c names
#              them, without including anything of theirs)
#   backends/X core/, plugins/, util/, lib/, sim/ and backends/X itself; no other backend
#   pcap_shim/ libpfring-pcap.so: core/, util/, lib/ and itself; no backend (it reaches
#              them through lib/, as a program does)
# Outside core/, a project header is included by its path from the top
# ("core/ring.h", "lib/backend.h"): only the top and include/ are on the path.
set -u
cd "$(dirname "$0")/.."
bad=0
say() { echo "layers-check: $*"; bad=1; }
includes() { sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*\([<"][^>"]*[>"]\).*/\1/p' "$1"; }

for f in core/*.c core/*.h; do
	while IFS= read -r inc; do
		case "$inc" in
		'"'*) h=${inc#\"}; h=${h%\"}
		      [ -e "core/$h" ] || say "$f includes \"$h\", which is not in core/" ;;
		'<linux/pf_ring.h>') ;;
		*) [ "$f" = core/port.h ] || say "$f includes $inc: host headers go through core/port.h" ;;
		esac
	done < <(includes "$f")
done

# layer folder -> the folders its files may include from
allowed() {
	case "$1" in
	plugins) echo "core plugins" ;;
	util) echo "util" ;;
	sim) echo "core util sim" ;;
	drivers) echo "core util drivers" ;;
	lib) echo "core plugins util lib" ;;
	backends/*) echo "core plugins util lib sim drivers $1" ;;
	pcap_shim) echo "core util lib pcap_shim" ;;
	esac
}
for f in plugins/*.[ch] util/*.[ch] sim/*.[ch] drivers/*.[ch] lib/*.[ch] backends/*/*.[ch] pcap_shim/*.[ch]; do
	[ -e "$f" ] || continue
	dir=$(dirname "$f")
	ok=$(allowed "$dir")
	while IFS= read -r inc; do
		case "$inc" in '"pfring.h"'|'"pfring_zero.h"'|'"pcap-pfring.h"'|'<'*) continue ;; esac
		h=${inc#\"}; h=${h%\"}
		[ -e "$h" ] || { say "$f includes \"$h\": name it by its path from the top (\"core/ring.h\")"; continue; }
		from=$(dirname "$h")
		case " $ok " in
		*" $from "*) ;;
		*) say "$f includes \"$h\": $dir may include from $ok only" ;;
		esac
	done < <(includes "$f")
done
[ $bad = 0 ] && echo "layers-check: core/ includes only core/ (host headers through port.h); plugins/, util/, sim/, drivers/, lib/, each backends/X and pcap_shim/ only the layers below them"
exit $bad
