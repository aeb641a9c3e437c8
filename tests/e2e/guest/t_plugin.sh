# plugin: the sample plugins build as modules from plugins/ and register with
# pf_ring.ko: plugins_info lists them while loaded, and no longer after rmmod.
need_module
P=/proc/net/pf_ring
expect_eq "plugins before" "$(sed -n 's/^Total plugins *: //p' $P/info)" 0
modprobe pfring_plugin_counter || fail "modprobe pfring_plugin_counter"
modprobe pfring_plugin_sip || fail "modprobe pfring_plugin_sip"
cat $P/plugins_info
expect_eq "plugins loaded" "$(sed -n 's/^Total plugins *: //p' $P/info)" 2
grep -q ' counter \[' $P/plugins_info || fail "counter not in plugins_info"
grep -q ' sip \[' $P/plugins_info || fail "sip not in plugins_info"
rmmod pf_ring 2>/dev/null && fail "pf_ring unloaded under its plugins"
rmmod pfring_plugin_counter pfring_plugin_sip || fail "rmmod plugins"
expect_eq "plugins after" "$(sed -n 's/^Total plugins *: //p' $P/info)" 0
pass
