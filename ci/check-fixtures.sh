#!/usr/bin/env bash
# The fixture captures are committed; this proves they are what the script makes today.
set -euo pipefail
script=tests/fixtures/make_fixtures.py
[ -f "$script" ] || { echo "fixtures: $script missing"; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$script" "$tmp" >/dev/null
stale=0
for f in "$tmp"/*.pcap; do
	name=$(basename "$f")
	if ! cmp -s "$f" "tests/fixtures/$name"; then
		echo "fixtures: tests/fixtures/$name is not what $script makes now"; stale=1
	fi
done
[ $stale -eq 0 ] || { echo "fixtures: regenerate with: /usr/bin/python3 $script"; exit 1; }
echo "fixtures: $(ls "$tmp"/*.pcap | wc -l) captures current"
