# tests/pcap_shim/need_packages.sh - sourced by the application tests before harness.sh:
# need_packages LIST LABEL makes sure ci/packages.sh's list LIST is installed: when root it
# installs what is missing (ci/install-deps.sh); otherwise it prints a skip with the command
# to run and ends the script with LABEL's closing line (nothing run, nothing failed).
. ci/packages.sh
need_packages() {
	local list=$1 label=$2 missing
	mapfile -t missing < <(missing_packages "$list")
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "skip  $label: ${missing[*]} not installed (sudo bash ci/install-deps.sh $list)"
		echo "$label: 0 passed, 0 failed"
		exit 0
	fi
	bash ci/install-deps.sh "$list"
}
