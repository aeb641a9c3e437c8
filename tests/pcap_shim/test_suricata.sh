#!/usr/bin/env bash
# tests/pcap_shim/test_suricata.sh - Debian's suricata 7 in live pcap mode (--pcap=DEV, libpcap)
# with libpfring-pcap.so preloaded (issue 15): on a sim: NIC replaying a fixture it raises the
# same alerts as suricata -r on the same file, and counts the file's packets, none dropped.
# Rules: tests/pcap_shim/suricata.rules (ours); configuration: tests/pcap_shim/suricata.yaml
# (ours, rule path filled in here). Both runs use -k none and --runmode single. A sim: device
# without loop= delivers the file once; the live run is stopped with SIGTERM once Suricata's
# stats (eve.json, every second) say it decoded every frame of the file. Run from the
# repository root by `make pcap-shim-apps-test`. Prints one closing line:
#   pcap-shim-suricata: N passed, N failed
set -euo pipefail

SHIM=${SHIM:-$PWD/build/libpfring-pcap.so}

# Its Debian packages (ci/packages.sh): installed when root, else a skip.
. tests/pcap_shim/need_packages.sh
need_packages pcap_suricata pcap-shim-suricata
. tests/tools/harness.sh

sed "s|@RULES_DIR@|$PWD/tests/pcap_shim|" tests/pcap_shim/suricata.yaml >"$TMP/suricata.yaml"
SURICATA=(suricata -c "$TMP/suricata.yaml" -k none --runmode single)
eve() { python3 tests/pcap_shim/eve_summary.py "$@"; }

# offline NAME FILE [BPF]: suricata -r FILE, logs in $TMP/NAME/, console in $TMP/NAME.log.
offline() {
	mkdir "$TMP/$1"
	run "$1" "${SURICATA[@]}" -l "$TMP/$1" -r "$2" ${3:+"$3"}
}

# live NAME FILE FRAMES [BPF]: suricata --pcap on sim: replaying FILE with the shim, stopped by
# SIGTERM once eve.json's stats count FRAMES decoded packets (or after 60 s, a guard
# against a hang: the checks then fail on the counts).
live() {
	local name=$1 file=$2 frames=$3 bpf=${4:-} pid i
	mkdir "$TMP/$name"
	LD_PRELOAD=$SHIM "${SURICATA[@]}" -l "$TMP/$name" --pcap="sim:x?pcap=$file" ${bpf:+"$bpf"} \
		>"$TMP/$name.log" 2>&1 &
	pid=$!
	for i in $(seq 1 600); do
		kill -0 "$pid" 2>/dev/null || break
		[ -f "$TMP/$name/eve.json" ] &&
			[ "$(eve pkts "$TMP/$name/eve.json")" -ge "$frames" ] && break
		sleep 0.1
	done
	[ "$i" -lt 600 ] || echo "test_suricata.sh: no $frames packets after 60 s" >>"$TMP/$name.log"
	kill -TERM "$pid" 2>/dev/null || true
	set +e; wait "$pid"; rc=$?; set -e
}

# sid_counts NAME: "SID COUNT" per rule that fired in NAME's eve.json.
sid_counts() { eve alerts "$TMP/$1/eve.json" | awk '{n[$1]++} END {for (s in n) print s, n[s]}' | sort; }

# check FIXTURE EXPECTED [BPF]: both runs on FIXTURE (with the capture filter BPF);
# EXPECTED is "SID COUNT" lines, the alerts the rules must raise on the file (what
# suricata -r must find, so that the comparison with the live run compares something).
check() {
	local fix=$1 expected=$2 bpf=${3:-} name label frames
	name=$(basename "$fix" .pcap)${bpf:+-bpf}      # its files in $TMP
	label=$(basename "$fix")${bpf:+ \'$bpf\'} # its lines
	frames=$(tcpdump -nn -r "$fix" ${bpf:+"$bpf"} 2>/dev/null | wc -l)

	offline "$name-r" "$fix" "$bpf"
	if [ "$rc" -eq 0 ] && grep -q "read 1 file, $frames packets" "$TMP/$name-r.log" &&
	   [ "$(sid_counts "$name-r")" = "$expected" ]; then
		pass "suricata -r $label: $frames packets, alerts per sid ${expected//$'\n'/, }"
	else
		sid_counts "$name-r" >>"$TMP/$name-r.log" 2>&1 || true
		fail "suricata -r $label" "exit $rc, not $frames packets or not alerts ${expected//$'\n'/, }" \
			"$TMP/$name-r.log"
	fi

	live "$name-live" "$fix" "$frames" "$bpf"
	# Suricata's closing lines for its pcap device: packets seen, and pcap_stats' count.
	if [ "$rc" -eq 0 ] && grep -q ": packets $frames, bytes " "$TMP/$name-live.log" &&
	   grep -q "pcap total:$frames recv:$frames drop:0 " "$TMP/$name-live.log"; then
		pass "suricata --pcap=sim:($label): $frames packets received, 0 dropped"
	else
		fail "suricata --pcap=sim:($label)" "exit $rc, or not $frames packets without drop" \
			"$TMP/$name-live.log"
	fi
	eve alerts "$TMP/$name-r/eve.json" >"$TMP/$name-r.alerts"
	eve alerts "$TMP/$name-live/eve.json" >"$TMP/$name-live.alerts"
	if [ -s "$TMP/$name-r.alerts" ] && cmp -s "$TMP/$name-r.alerts" "$TMP/$name-live.alerts"; then
		pass "suricata --pcap=sim:($label): the same $(wc -l <"$TMP/$name-r.alerts") alerts as -r (sid, time stamp, addresses, ports)"
	else
		diff "$TMP/$name-r.alerts" "$TMP/$name-live.alerts" >"$TMP/$name.diff" || true
		fail "suricata --pcap=sim:($label)" "alerts differ from suricata -r's" "$TMP/$name.diff"
	fi
}

# sip.pcap: 5 INVITEs to udp/5060 (1515001), alice's URI in 10 UDP payloads (1515002), the
# one non-SIP datagram on 5060 (1515003) (tests/fixtures/make_fixtures.py, sip()).
check tests/fixtures/sip.pcap "$(printf '1515001 5\n1515002 10\n1515003 1')"

# many_flows.pcap: every TCP frame is a SYN (client to server) or a SYN-ACK (back), so the
# SYN rule (1515004) fires on tcpdump's 'tcp dst port 80' and the SYN-ACK rule (1515005) on
# 'tcp src port 443'; 1515006 on 'udp dst port 53'.
mf=tests/fixtures/many_flows.pcap
count() { tcpdump -nn -r "$mf" "$1" 2>/dev/null | wc -l; }
check "$mf" "$(printf '1515004 %d\n1515005 %d\n1515006 %d' \
	"$(count 'tcp dst port 80')" "$(count 'tcp src port 443')" "$(count 'udp dst port 53')")"

# a capture filter on suricata's command line: pcap_setfilter hands it to the engine; the
# udp/53 rule no longer fires, the others as before, and only the filter's frames are seen.
check "$mf" "$(printf '1515004 %d\n1515005 %d' \
	"$(count 'tcp dst port 80')" "$(count 'tcp src port 443')")" 'not udp port 53'

harness_done pcap-shim-suricata
