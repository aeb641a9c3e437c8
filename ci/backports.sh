# ci/backports.sh - sourced by ci/e2e-env.sh and ci/install-deps.sh (as root):
# ensure_backports adds Debian's bookworm-backports suite, from the same archive the
# machine already uses, when no apt source names it yet (QEMU's igb model and suricata 7
# come from there).
ensure_backports() {
	grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/ && return 0
	local uri
	# The URI of the entry that serves the bookworm suite itself (not security, not a vendor).
	uri=$(awk '/^URIs:/ {u=$2} /^Suites:.*bookworm( |$)/ && u !~ /security/ {print u; exit}' \
		/etc/apt/sources.list.d/*.sources 2>/dev/null || true)
	[ -n "$uri" ] || uri=$(awk '/^deb / && $3 == "bookworm" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
	[ -n "$uri" ] || uri=http://deb.debian.org/debian
	printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
		"$uri" > /etc/apt/sources.list.d/pfring-backports.sources
	apt-get update -qq
}
