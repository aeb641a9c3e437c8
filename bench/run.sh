#!/usr/bin/env bash
# Runs every bench program and prints one table: each figure beside the peer measured in
# the same run, and their ratio. Only ratios mean anything on a shared machine.
set -uo pipefail
rows=$(mktemp); trap 'rm -f "$rows"' EXIT
for bin in "$@"; do
	echo "bench: running $(basename "$bin") ..." >&2
	"$bin" 2> >(sed "s/^/  $(basename "$bin"): /" >&2) | grep '^ROW' >>"$rows" ||
		echo "bench: $(basename "$bin") failed" >&2
done
echo
echo "pfring $(git describe --always --dirty 2>/dev/null) on $(nproc) cores, $(date -u +%Y-%m-%d)"
awk -F'\t' '
BEGIN { printf "%-58s %10s  %-6s  %-40s %10s  %6s\n", "figure", "pfring", "unit", "peer", "peer", "ratio";
        printf "%-58s %10s  %-6s  %-40s %10s  %6s\n", "------", "------", "----", "----", "----", "-----" }
{ ratio = ($6 > 0) ? sprintf("%.2fx", $3 / $6) : "-";
  printf "%-58s %10s  %-6s  %-40s %10s  %6s\n", $2, $3, $4, $5, ($5 == "-") ? "-" : $6, ratio }' "$rows"
