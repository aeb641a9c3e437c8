#!/usr/bin/env bash
# Called by make: are the packages for a target present? If not: install them when root,
# otherwise print the exact command and fail.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/packages.sh"
target=${1:-test}
declare -n pkgs="PKGS_$target"
missing=()
for entry in "${pkgs[@]}"; do
	pkg=${entry%%:*} probe=${entry#*:}
	[ -e "$probe" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
	exec bash "$here/install-deps.sh" "$target"
fi
echo "make: missing Debian packages: ${missing[*]}" >&2
echo "make: install them with:  sudo bash ci/install-deps.sh $target" >&2
exit 1
