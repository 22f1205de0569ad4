#!/usr/bin/env bash
# Export the series (base..HEAD of build/linux) into patches/: cover letter,
# one file per patch, and a quilt-style patches/series.
. "$(dirname "$0")/common.sh"

[ -d "$TREE/.git" ] || die "no kernel tree at $TREE; run: make tree"
git -C "$TREE" diff --quiet HEAD -- || die "$TREE has uncommitted changes; commit them first"
n=$(git -C "$TREE" rev-list --count base..HEAD)
[ "$n" -gt 0 ] || die "no commits on top of base in $TREE"

cover=$TOP/doc/cover-letter.txt
[ -f "$cover" ] || die "missing $cover (first line: subject, then the body)"
branch=$(git -C "$TREE" symbolic-ref --short HEAD)
git -C "$TREE" config "branch.$branch.description" "$(cat "$cover")"

rm -f "$TOP"/patches/*.patch
git -C "$TREE" format-patch -q --zero-commit --base=base --cover-letter \
	--cover-from-description=subject --thread=shallow \
	--subject-prefix="PATCH" -o "$TOP/patches" base..HEAD
(cd "$TOP/patches" && ls [0-9]*.patch | grep -v '^0000-cover-letter' >series)
log "exported $n patches + cover letter to patches/"
# make check (CI) does not build each patch on its own; make bisect does.
# Changes beyond the threading and date headers (each export renews them)
# or new patch files mean the bisect has to run again.
changed=0
git -C "$TOP" diff HEAD --quiet -I '^(Message-I[Dd]|In-Reply-To|References|Date): ' -- patches/ || changed=1
[ -z "$(git -C "$TOP" ls-files --others --exclude-standard -- patches/)" ] || changed=1
[ "$changed" = 0 ] || log "the patches changed: run make bisect before committing them"
