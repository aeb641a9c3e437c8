#!/bin/bash
# ci/check-layers.sh - which layer may include what (make test: layers-check).
#   core/   only core/ headers and <linux/pf_ring.h>; host headers only in core/port.h
#           (it is compiled into pf_ring.ko and checked freestanding)
#   sim/    the simulated NIC: no header of the library's front or backends
#           (backends/*.h) except those listed in SIM_KNOWN, which issue 12 removes
set -u
cd "$(dirname "$0")/.."
bad=0
say() { echo "layers-check: $*"; bad=1; }

for f in core/*.c core/*.h; do
	while IFS= read -r inc; do
		case "$inc" in
		'"'*) h=${inc#\"}; h=${h%\"}
		      [ -e "core/$h" ] || say "$f includes \"$h\", which is not in core/" ;;
		'<linux/pf_ring.h>') ;;
		*) [ "$f" = core/port.h ] || say "$f includes $inc: host headers go through core/port.h" ;;
		esac
	done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*\([<"][^>"]*[>"]\).*/\1/p' "$f")
done

# sim/ files that still include a backends/ header today, and which (issue 12)
SIM_KNOWN="sim/host.c:api_internal.h sim/host.c:user_home.h sim/hw_rules.c:api_internal.h
sim/nic.c:pcap_lib.h sim/shared_client.h:backend.h sim/shared_server.c:filter_ops.h
sim/source.c:api_internal.h sim/source.c:pcap_lib.h"
for f in sim/*.c sim/*.h; do
	while IFS= read -r h; do
		[ -e "backends/$h" ] || continue
		case " $(echo $SIM_KNOWN) " in
		*" $f:$h "*) ;;
		*) say "$f includes \"$h\" from backends/: the simulated NIC stands below the library" ;;
		esac
	done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
done
[ $bad = 0 ] && echo "layers-check: core/ includes only core/ (host headers through port.h); sim/ adds no backends/ include"
exit $bad
