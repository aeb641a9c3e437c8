#!/usr/bin/env bash
# Installs the Debian packages a make target needs (default: test). Idempotent: when all is
# present it returns at once without calling apt. Needs root (it is what `make test` runs
# for you when you are root; otherwise it prints this command for you to run with sudo).
#   bash ci/install-deps.sh [test|bench|pcap_apps|pcap_tshark|pcap_suricata]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/packages.sh"
target=${1:-test}
mapfile -t missing < <(missing_packages "$target")
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "ci/install-deps.sh: missing ${missing[*]}; run: sudo bash ci/install-deps.sh $target" >&2
	exit 1
fi
echo "ci/install-deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
printf '%s\n' "${PKG_PRESEED[@]}" | debconf-set-selections
apt-get update -qq
. "$here/backports.sh"
# Packages of the default release in one call, each other release in its own call (-t makes
# that release's versions win for the package's dependencies too).
plain=()
declare -A by_release=()
for pkg in "${missing[@]}"; do
	rel=${PKG_RELEASE[$pkg]:-}
	if [ -z "$rel" ]; then plain+=("$pkg"); else by_release[$rel]+=" $pkg"; fi
done
[ ${#plain[@]} -eq 0 ] || apt-get install -y -qq --no-install-recommends "${plain[@]}" >/dev/null
for rel in "${!by_release[@]}"; do
	[ "$rel" != bookworm-backports ] || ensure_backports
	# shellcheck disable=SC2086 # the release's packages, split on purpose
	apt-get install -y -qq --no-install-recommends -t "$rel" ${by_release[$rel]} >/dev/null
done
