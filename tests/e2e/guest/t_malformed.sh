# malformed: every fixture with odd or broken headers (truncated, bad lengths,
# stacked tags, tunnels, IPv6 extension chains) goes through the kernel's parser
# (long headers and a per-flow cluster make it parse every frame) and arrives,
# each frame exactly once.
need_module
dev=$(nic_if e1000e)
for fix in malformed qinq gtpu gtpc gre_key ipv6_ext_headers sctp ipv4_options; do
	fixture_count $fix
	pfe2e_start bad $dev -c 11 -t 0 -q 2 || fail "$fix: pfe2e did not start"
	inject e1000e $fix 1 || fail "$fix: inject"
	pfe2e_wait bad
	expect_eq "$fix frames" "$P_RECEIVED" "$FIX_FRAMES"
done
pass
