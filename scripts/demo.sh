#!/usr/bin/env bash
# make demo: build the patched kernel, boot it under QEMU and run the
# pageattr suites, then print a short summary.
. "$(dirname "$0")/common.sh"

log "series: $(git -C "$TREE" rev-list --count base..HEAD) patches on $(git -C "$TREE" log -1 --format=%s base)"
log "building the patched kernel (4K pages) and running the pageattr suites under QEMU (-cpu max, 4 vCPUs, 4 GiB)"
"$TOP/scripts/kunit.sh" 4k >/dev/null || true
read -r _ p f s t note <"$BUILD/results/4k.sum"
grep -E '^\[[0-9:]+\] +(ok|not ok|# pageattr|    # Subtest)|^\[[0-9:]+\] =+ ' "$BUILD/results/4k.log" | sed 's/^\[[0-9:]*\] //' | grep -E '^(ok|not ok|=)' || true
printf '\npageattr KUnit, 4K pages: %s passed, %s failed, %s skipped (%s s incl. build) %s\n' "$p" "$f" "$s" "$t" "$note"
[ "$f" = 0 ]
