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
# The compiler of make demo's kernels (scripts/demo.sh, democonfig.sh,
# variants.sh), without ccache (scripts/demo.sh says why): one CC for
# every build of their directories, or kbuild rebuilds all of it.
DEMO_CC="${CROSS}gcc"
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
# ccache keys on the absolute path of sources; let worktrees share hits.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$BUILD}
export CCACHE_NOHASHDIR=1
# Depend mode: on a miss ccache compiles once, without running the
# preprocessor for its own hash first. Measured here on 81 objects of the
# Debian demo kernel from an empty cache: 26.6 s without ccache, 34.8 s
# with ccache's default mode, 27.4 s with depend mode; hits come as before
# (8.8 s). What it gives up, hits on preprocessed output that stayed the
# same under a changed header, these builds never had. On a whole small
# kernel (another machine, 2026-12-02) an empty cache cost more: 356 s
# without ccache, 434 s in depend mode; so .ci/run, which starts with an
# empty cache and builds each configuration once, compiles without it.
export CCACHE_DEPEND=${CCACHE_DEPEND:-1}

log() { printf '==> %s\n' "$*" >&2; }
# One boot of a demo kernel with one vCPU, as the single-page experiments
# (scripts/onoff.sh, scripts/toggle.sh) take them; warns when the guest's
# /init did not finish.
single_boot() {   # KERNEL INITRD LOG CMDLINE...
	local kernel=$1 initrd=$2 out=$3
	shift 3
	timeout 600 qemu-system-aarch64 -nodefaults -nographic -serial stdio -no-reboot \
		-machine virt -cpu max,pauth-impdef=on -smp 1 -m 4096 \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyAMA0 rdinit=/init panic=-1 demo.mode=single $*" \
		>"$out" 2>&1 || true
	grep -q '^@@done' "$out" || log "warning: $(basename "$out" .log) did not finish"
}
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# patches in series order
series_patches() {
	[ -f "$TOP/patches/series" ] || die "patches/series is missing"
	grep -v '^[[:space:]]*\(#\|$\)' "$TOP/patches/series" | sed "s|^|$TOP/patches/|"
}

# Debian's FLAVOUR fragment OUT, but for the options DEBUG sets: the debug
# fragment's options win, and KASAN's sub-options with KASAN.
debian_frag() {   # FLAVOUR-FRAGMENT OUT DEBUG-FRAGMENT
	local names
	names=$(sed -n 's/^\(CONFIG_[A-Za-z0-9_]*\)=.*/\1/p' "$3" | paste -sd'|')
	grep -v -E "^(# )?($names|CONFIG_KASAN_[A-Z_]*)[= ]" "$1" >"$2"
}

# The Debian arm64 kernel as a debug kernel: KASAN, lockdep,
# DEBUG_ATOMIC_SLEEP, DEBUG_VM, DEBUG_PAGEALLOC (off unless
# debug_pagealloc=on) and KFENCE built in, off at boot as Debian has it,
# with its KUnit suite. Writes the fragments under build/ and prints them,
# for SMALL_FRAGS.
debian_debug_frags() {
	"$TOP/scripts/debconfig.sh" arm64 "$BUILD/debian-arm64.config" >&2
	printf '%s\n' CONFIG_DEBUG_KERNEL=y CONFIG_KASAN=y CONFIG_KASAN_GENERIC=y \
		CONFIG_PROVE_LOCKING=y CONFIG_DEBUG_ATOMIC_SLEEP=y CONFIG_DEBUG_VM=y \
		CONFIG_DEBUG_PAGEALLOC=y CONFIG_KFENCE=y CONFIG_KFENCE_SAMPLE_INTERVAL=0 \
		CONFIG_KFENCE_KUNIT_TEST=y CONFIG_FTRACE=y CONFIG_ENABLE_DEFAULT_TRACERS=y \
		>"$BUILD/debug.config"
	debian_frag "$BUILD/debian-arm64.config" "$BUILD/debian-arm64-debug.config" "$BUILD/debug.config"
	echo "$TOP/configs/debian-deps.config $BUILD/debian-arm64-debug.config $BUILD/debug.config"
}
