#!/usr/bin/env bash
# Make build/linux: the pristine base as one commit (tag "base") with the
# series from patches/ applied on top by git am.
. "$(dirname "$0")/common.sh"

[ -f "$BASE_TARBALL" ] || die "no $BASE_TARBALL; run: make deps (installs linux-source-6.12)"

if [ -d "$TREE/.git" ]; then
	git -C "$TREE" rev-parse -q --verify base >/dev/null ||
		die "$TREE exists but has no tag 'base'; remove it (rm -rf $TREE) and run make tree"
	log "$TREE exists (base $(git -C "$TREE" rev-parse --short base)); leaving it as it is"
	exit 0
fi

mkdir -p "$BUILD"
tmp=$BUILD/.linux.tmp
rm -rf "$tmp"
mkdir -p "$tmp"
log "extracting $(basename "$BASE_TARBALL")"
tar -C "$tmp" -xf "$BASE_TARBALL" --strip-components=1
# Debian's top-level .gitignore ends with "/*" (ignore everything at the
# top level, for packaging); drop it so the tree can be tracked normally.
sed -i '\|^/\*$|d' "$tmp/.gitignore"
version=$(make -s -C "$tmp" kernelversion)
(
	cd "$tmp"
	git init -q -b base-branch
	git config user.name "pageattr workbench"
	git config user.email "workbench@localhost"
	git config core.autocrlf false
	git add -A .
	GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
		git commit -q -m "Linux $version (Debian linux-source-6.12)"
	git tag base
	git checkout -q -b series
)
mv "$tmp" "$TREE"
log "base: Linux $version at $(git -C "$TREE" rev-parse --short base)"

mapfile -t pats < <(series_patches)
if [ ${#pats[@]} -gt 0 ]; then
	git -C "$TREE" am -q --keep-cr "${pats[@]}" ||
		die "the series does not apply to this base ($version); see git -C $TREE am --show-current-patch"
	log "applied ${#pats[@]} patches"
fi
