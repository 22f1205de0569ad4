#!/usr/bin/env bash
# make torture [DURATION=300]: the pageattr_torture KUnit suite for DURATION
# seconds in the Debian arm64 debug kernel (Debian's arm64 config, small,
# with KASAN, lockdep, DEBUG_ATOMIC_SLEEP, DEBUG_VM and KFENCE, which is
# switched on from boot here), under QEMU -cpu max with 4 vCPUs; any splat
# in the log fails the run. TORTURE_ARGS adds kernel arguments (for
# example arm64.nobbml2). Results: build/results/torture.{sum,raw.log}.
. "$(dirname "$0")/common.sh"

secs=${DURATION:-300}
[[ $secs =~ ^[1-9][0-9]*$ ]] || die "DURATION must be a number of seconds, not '$secs'"
[ -e "$TREE/.git" ] || die "no kernel tree at $TREE; run: make tree"
frags=$(debian_debug_frags)
log "pageattr_torture for ${secs}s in the Debian arm64 debug kernel (build/kunit-torture-debug)"
args=(--kernel_args kfence.sample_interval=100)
for a in ${TORTURE_ARGS:-}; do args+=(--kernel_args "$a"); done
SMALL=1 SMALL_FRAGS="$frags" SPLAT_CHECK=1 FILTER=pageattr_torture TORTURE_SECS=$secs \
	KUNIT_TIMEOUT=$((secs * 2 + 1200)) BDIR=torture-debug \
	"$TOP/scripts/kunit.sh" torture "${args[@]}" || true
raw=$BUILD/results/torture.raw.log
grep -E 'pageattr_torture: |pageattr_torture violation' "$raw" | sed 's/^ *# *//' || true
tail -1 "$BUILD/results/torture.sum"
