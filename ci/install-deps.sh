#!/usr/bin/env bash
# Installs the Debian packages a make target needs (default: test). Idempotent: when all is
# present it returns at once without calling apt. Needs root (it is what `make test` runs
# for you when you are root; otherwise it prints this command for you to run with sudo).
#   bash ci/install-deps.sh [test|bench]
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
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
