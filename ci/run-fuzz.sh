#!/usr/bin/env bash
# Runs each libFuzzer binary for a bounded time, from its seed corpus in
# tests/fuzz/corpus/<name without fuzz_>/ (copied, so new inputs do not dirty the tree).
set -euo pipefail
seconds=$1; shift
for bin in "$@"; do
	name=$(basename "$bin"); short=${name#fuzz_}
	work=build/fuzz-corpus/$short
	mkdir -p "$work"
	[ -d "tests/fuzz/corpus/$short" ] && cp -n tests/fuzz/corpus/"$short"/* "$work"/ 2>/dev/null || true
	echo "fuzz: $name for ${seconds}s"
	"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		"$work" >build/fuzz-corpus/$name.log 2>&1 || {
		echo "fuzz: $name FAILED; log: build/fuzz-corpus/$name.log"; tail -n 40 build/fuzz-corpus/$name.log; exit 1; }
	grep -E '^stat::number_of_executed_units' build/fuzz-corpus/$name.log | sed "s/^/fuzz: $name /"
done
echo "fuzz: $# targets, no crash"
