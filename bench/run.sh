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
# Capture rows from a QEMU guest (ci/bench-guest.sh, docs/bench.md); it prints a
# note and no rows when QEMU or the guest kernels are missing. BENCH_GUEST=0 skips it.
if [ "${BENCH_GUEST:-1}" != 0 ]; then
	echo "bench: running ci/bench-guest.sh (one QEMU guest, about 5 minutes) ..." >&2
	bash "$(dirname "$0")/../ci/bench-guest.sh" 2> >(sed 's/^/  /' >&2) | grep '^ROW' >>"$rows" ||
		echo "bench: ci/bench-guest.sh gave no rows" >&2
fi
echo
echo "pfring $(git describe --always --dirty 2>/dev/null) on $(nproc) cores, $(date -u +%Y-%m-%d)"
awk -F'\t' '
{ fig[NR] = $2; ours[NR] = $3; unit[NR] = $4; peer[NR] = $5; pv[NR] = $6
  if (length($2) > w) w = length($2); if (length($5) > pw) pw = length($5) }
END {
  fmt = "%-" w "s  %9s %-7s  %-" pw "s  %9s  %6s\n"
  printf fmt, "figure", "pfring", "", "peer", "peer", "ratio"
  for (i = 1; i <= NR; i++)
    printf fmt, fig[i], ours[i], unit[i], peer[i], (peer[i] == "-") ? "-" : pv[i],
           (pv[i] > 0) ? sprintf("%.2fx", ours[i] / pv[i]) : "-"
}' "$rows"
