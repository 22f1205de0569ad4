#!/usr/bin/env bash
# make mbox: the series' patches as one mbox, checked to
# apply with git am to the pristine base.
. "$(dirname "$0")/common.sh"

mbox=$BUILD/pageattr.mbox
# patches only, as b4 am would give them; the cover letter stays in patches/
cat $(series_patches) >"$mbox"
chk=$BUILD/mbox-check
[ -e "$chk/.git" ] || { git -C "$TREE" worktree prune; git -C "$TREE" worktree add -q --detach "$chk" base; }
git -C "$chk" am --abort >/dev/null 2>&1 || true
git -C "$chk" checkout -q --detach base
git -C "$chk" am -q "$mbox" || die "the mbox does not apply to base; see git -C $chk am --show-current-patch"
log "$mbox: $(grep -c '^From 0000' "$mbox") messages, applies to base ($(git -C "$chk" rev-list --count base..HEAD) commits)"
