#!/usr/bin/env bash
# Runs cmocka test binaries, plainly or under valgrind, and prints one closing line:
#   "<mode>: N passed, N failed"   (N counts cmocka test cases over all binaries)
# Under valgrind every binary must end with zero errors and zero leaks (definite, indirect,
# possible), and PF_TEST_QUICK=1 asks heavy tests for smaller (still exact) runs.
# Every binary runs under a timeout (TEST_TIMEOUT seconds, 900 by default): a hang is a
# failure with its log, never a stalled CI.
set -uo pipefail
mode=$1; shift
limit=${TEST_TIMEOUT:-900}
log_dir=build/test-logs/$mode
mkdir -p "$log_dir"
passed=0 failed=0 broken=()
for bin in "$@"; do
	name=$(basename "$bin")
	log=$log_dir/$name.log
	if [ "$mode" = valgrind ]; then
		PF_TEST_QUICK=1 timeout -k 10 "$limit" valgrind -q --error-exitcode=99 --leak-check=full \
			--show-leak-kinds=definite,indirect,possible \
			--errors-for-leak-kinds=definite,indirect,possible \
			"$bin" >"$log" 2>&1
	else
		timeout -k 10 "$limit" "$bin" >"$log" 2>&1
	fi
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	passed=$((passed + p)) failed=$((failed + f))
	if [ $rc -ne 0 ]; then
		broken+=("$name")
		[ "$f" -eq 0 ] && failed=$((failed + 1))  # crashed, or valgrind found errors
		[ $rc -eq 124 ] && echo "---- $mode: $name did not finish within ${limit}s"
		echo "---- $mode: $name exited $rc; its output ($log):"
		tail -n 60 "$log"
	else
		printf '%-10s %-28s %4d passed\n' "$mode" "$name" "$p"
	fi
done
echo "$mode: $passed passed, $failed failed"
[ ${#broken[@]} -eq 0 ]
