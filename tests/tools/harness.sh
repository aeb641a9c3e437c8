# tests/tools/harness.sh - sourced by the tool tests: a scratch folder, pass/fail
# counting, and bounded command runs. The caller prints its closing line with
# harness_done LABEL.

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0 failed=0

pass() { passed=$((passed + 1)); echo "ok    $1"; }
fail() {
	failed=$((failed + 1))
	echo "FAIL  $1${2:+: $2}"
	if [ -n "${3:-}" ] && [ -f "$3" ]; then tail -n 25 "$3" | sed 's/^/      | /'; fi
}

# run NAME CMD...: output (stdout+stderr) in $TMP/NAME.log, exit status in $rc.
# A hung tool is a failure, not a hung test run.
run() {
	local name=$1; shift
	set +e
	timeout 60 "$@" >"$TMP/$name.log" 2>&1
	rc=$?
	set -e
}

# expect_error NAME PATTERN CMD...: non-zero exit (not a timeout or crash) and
# PATTERN (grep -E) in the output.
expect_error() {
	local name=$1 pattern=$2; shift 2
	run "$name" "$@"
	if [ "$rc" -eq 0 ]; then
		fail "$name" "exit status 0, expected non-zero" "$TMP/$name.log"
	elif [ "$rc" -ge 124 ]; then
		fail "$name" "exit status $rc (timeout or crash)" "$TMP/$name.log"
	elif ! grep -Eq -- "$pattern" "$TMP/$name.log"; then
		fail "$name" "no /$pattern/ in the output" "$TMP/$name.log"
	else
		pass "$name"
	fi
}

# harness_done LABEL: the closing line "LABEL: N passed, N failed"; fails if any failed.
harness_done() {
	echo "$1: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
