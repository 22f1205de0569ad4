#!/usr/bin/env bash
# Install what the workbench needs, from Debian packages only.
. "$(dirname "$0")/common.sh"

PKGS=(linux-source-6.12 gcc-aarch64-linux-gnu libc6-dev-arm64-cross
      qemu-system-arm bc bison flex libelf-dev libssl-dev python3 make
      ccache xz-utils cpio git sparse perl python3-ply python3-git
      python3-sphinx python3-sphinx-rtd-theme python3-yaml
      libcap-dev:arm64)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	SUDO=
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
	SUDO=sudo
else
	die "missing packages; run: sudo apt-get install -y --no-install-recommends ${missing[*]}"
fi
log "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# the static memfd_secret selftest links arm64 libcap
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	$SUDO dpkg --add-architecture arm64 ||
		die "cannot add the arm64 architecture; run: dpkg --add-architecture arm64"
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
	die "apt-get install failed; run: apt-get install -y --no-install-recommends ${missing[*]}"
