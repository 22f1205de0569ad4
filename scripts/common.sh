# Shared settings for the workbench scripts (sourced, not run).
# shellcheck shell=bash
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
TREE=${TREE:-$BUILD/linux}
# The base: Debian's linux-source-6.12 tarball. Point BASE_TARBALL at another
# linux-source-6.12.y tarball to test a different stable release.
BASE_TARBALL=${BASE_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
# Debian's python3 (with python3-ply for checkpatch's spdxcheck) before any other.
export PATH=/usr/bin:/bin:$PATH
CROSS=${CROSS:-aarch64-linux-gnu-}
JOBS=${JOBS:-$(nproc)}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
# ccache keys on the absolute path of sources; let worktrees share hits.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$BUILD}
export CCACHE_NOHASHDIR=1

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# patches in series order
series_patches() {
	[ -f "$TOP/patches/series" ] || die "patches/series is missing"
	grep -v '^[[:space:]]*\(#\|$\)' "$TOP/patches/series" | sed "s|^|$TOP/patches/|"
}
