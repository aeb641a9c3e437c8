#!/usr/bin/env bash
# tests/interpose/run.sh BIN_DIR - libpfring's libpcap is not the program's
# (util/pcap_lib.h): own_pcap, which defines and exports pcap_* of its own,
# captures and filters a fixture through sim: linked with libpfring.so and with
# libpfring.a, with libpcap's own counts; libpfring.so does not need libpcap.
set -uo pipefail
dir=$1
fix=tests/fixtures/many_flows.pcap
failed=0
all=$("$dir/pcap_count" "$fix") && tcp=$("$dir/pcap_count" "$fix" tcp) || { echo "interpose: pcap_count failed"; exit 1; }
for v in so a; do
	if "$dir/own_pcap_$v" "$fix" "$all" "$tcp"; then
		echo "ok    interpose: linked with libpfring.$v, the program's pcap_* never ran, exact counts"
	else
		echo "FAIL  interpose: linked with libpfring.$v"
		failed=1
	fi
done
if readelf -d build/libpfring.so | grep -q 'NEEDED.*libpcap'; then
	echo "FAIL  interpose: libpfring.so lists libpcap as DT_NEEDED"
	failed=1
else
	echo "ok    interpose: libpfring.so does not list libpcap as DT_NEEDED"
fi
exit $failed
