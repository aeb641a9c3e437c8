# plugin: the sample plugins build as modules from plugins/, register with
# pf_ring.ko (plugins_info lists them while loaded, and no longer after rmmod)
# and process packets. A rule on UDP port 5060 filtered by the sip plugin
# (INVITEs from alice) with the counter plugin as its action, under a drop
# policy, receives exactly those frames and the counter counts exactly them and
# their bytes; the counter alone on UDP 5060 counts every such frame. The
# expected numbers are the host's, from sip.pcap (fixture_facts.py: sip.facts).
need_module
P=/proc/net/pf_ring
dev=$(nic_if e1000e)
expect_eq "plugins before" "$(sed -n 's/^Total plugins *: //p' $P/info)" 0
modprobe pfring_plugin_counter || fail "modprobe pfring_plugin_counter"
modprobe pfring_plugin_sip || fail "modprobe pfring_plugin_sip"
cat $P/plugins_info
expect_eq "plugins loaded" "$(sed -n 's/^Total plugins *: //p' $P/info)" 2
grep -q ' counter \[' $P/plugins_info || fail "counter not in plugins_info"
grep -q ' sip \[' $P/plugins_info || fail "sip not in plugins_info"

cat $E2E_FACTS/sip.facts
set -- $(grep '^invite-alice-udp5060 ' $E2E_FACTS/sip.facts)
invites=$2 invite_bytes=$3
set -- $(grep '^udp5060 ' $E2E_FACTS/sip.facts)
udp5060=$2 udp5060_bytes=$3
expect_count sip
[ "$invites" -gt 0 ] && [ "$invites" -lt "$udp5060" ] && [ "$udp5060" -lt "$EXP" ] ||
	fail "sip.pcap does not tell the plugins apart: $invites / $udp5060 / $EXP frames"

pfe2e_start sip $dev -A 0 -W 1,fwd,17,5060,2 -S INVITE,alice -x -q 3 || fail "pfe2e -S"
inject e1000e sip 1 || fail "inject sip"
pfe2e_wait sip
expect_eq "frames the sip plugin let through" "$P_RECEIVED" "$invites"
expect_eq "counter behind the sip plugin: packets bytes" "$P_PLUGIN" "$invites $invite_bytes"

pfe2e_start counter $dev -W 2,fwd,17,5060,2 -x -q 3 || fail "pfe2e -W counter"
inject e1000e sip 1 || fail "inject sip"
pfe2e_wait counter
expect_eq "frames received with the counter rule" "$P_RECEIVED" "$EXP"
expect_eq "counter on UDP 5060: packets bytes" "$P_PLUGIN" "$udp5060 $udp5060_bytes"

rmmod pf_ring 2>$E2E_STATE/rmmod.err && fail "pf_ring unloaded under its plugins"
cat $E2E_STATE/rmmod.err
grep -q "Resource temporarily unavailable" $E2E_STATE/rmmod.err ||
	fail "rmmod pf_ring under its plugins failed for another reason: $(cat $E2E_STATE/rmmod.err)"
rmmod pfring_plugin_counter pfring_plugin_sip || fail "rmmod plugins"
expect_eq "plugins after" "$(sed -n 's/^Total plugins *: //p' $P/info)" 0
pass
