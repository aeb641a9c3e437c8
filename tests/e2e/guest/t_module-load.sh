# module-load: /init's insmod of pf_ring.ko succeeded, the module is listed,
# and /proc/net/pf_ring/info exists and is not empty.
need_module
grep -q '^pf_ring ' /proc/modules || fail "pf_ring not in /proc/modules"
[ -s /proc/net/pf_ring/info ] || fail "/proc/net/pf_ring/info missing or empty"
cat /proc/net/pf_ring/info
pass
