# module-load: /init's insmod of pf_ring.ko succeeded, the module is listed,
# and /proc/net/pf_ring/info exists and says something (procfs files have
# size 0, so read it rather than test -s).
need_module
grep -q '^pf_ring ' /proc/modules || fail "pf_ring not in /proc/modules"
[ -e /proc/net/pf_ring/info ] || fail "/proc/net/pf_ring/info missing"
info=$(cat /proc/net/pf_ring/info) || fail "cannot read /proc/net/pf_ring/info"
[ -n "$info" ] || fail "/proc/net/pf_ring/info is empty"
echo "$info"
pass
