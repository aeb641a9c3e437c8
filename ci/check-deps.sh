#!/usr/bin/env bash
# Called by make: are the packages for a target present? If not: install them when root,
# otherwise print the exact command and fail.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/packages.sh"
target=${1:-test}
mapfile -t missing < <(missing_packages "$target")
[ ${#missing[@]} -eq 0 ] && exit 0
[ "$(id -u)" -eq 0 ] && exec bash "$here/install-deps.sh" "$target"
echo "make: missing Debian packages: ${missing[*]}" >&2
echo "make: install them with:  sudo bash ci/install-deps.sh $target" >&2
exit 1
