#!/usr/bin/env bash
# Static checks of the series, on the worktree make check made (build/check-src),
# besides W=1 and sparse (which check.sh runs in its KUnit build directories):
#   - scripts/kernel-doc -none on the touched C files: no warning that the
#     same files of the base do not have;
#   - make htmldocs SPHINXDIRS=arch/arm64: no warning from the new document;
#   - get_maintainer.pl names the arm64 and mm lists for the series.
# Appends rows (name pass fail skip secs note) to build/results/check.tsv.
. "$(dirname "$0")/common.sh"

src=${SRC:-$BUILD/check-src}
res=$BUILD/results
tsv=$res/check.tsv
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$tsv"; }
[ -e "$src/.git" ] || die "no $src; run make check"

files=$(git -C "$src" diff --name-only base HEAD -- '*.c' '*.h' | tr '\n' ' ')

# kernel-doc: warnings in the touched files that base does not have
kdoc() {   # TREE -> warnings without line numbers
	(cd "$1" && for f in $files; do [ -f "$f" ] && ./scripts/kernel-doc -none "$f"; done) 2>&1 |
		grep -v '^$' | sed -E 's/:[0-9]+: /: /' | sort -u
}
t0=$(date +%s)
kdoc "$src" >"$res/kernel-doc.patched"
# the base's versions of the touched files that it has, and its kernel-doc
kb=$BUILD/kernel-doc-base
rm -rf "$kb"
mkdir -p "$kb"
# shellcheck disable=SC2046,SC2086
git -C "$src" archive base scripts/kernel-doc $(git -C "$src" ls-tree -r --name-only base -- $files) |
	tar -x -C "$kb"
kdoc "$kb" >"$res/kernel-doc.base"
new=$(comm -23 "$res/kernel-doc.patched" "$res/kernel-doc.base" | tee "$res/kernel-doc.log" | wc -l)
if [ "$new" = 0 ]; then
	row kernel-doc 1 0 0 $(( $(date +%s) - t0 )) "$(wc -l <"$res/kernel-doc.base") in base, none new"
else
	row kernel-doc 0 1 0 $(( $(date +%s) - t0 )) "$new new: build/results/kernel-doc.log"
fi

t0=$(date +%s)
if make -C "$src" O="$BUILD/htmldocs" SPHINXDIRS=arch/arm64 htmldocs \
	>"$res/htmldocs.log" 2>&1; then
	nw=$(grep -c 'pageattr.rst.*\(WARNING\|ERROR\)' "$res/htmldocs.log" || true)
	if [ "$nw" = 0 ]; then
		row htmldocs 1 0 0 $(( $(date +%s) - t0 )) "arch/arm64, no warning from pageattr.rst"
	else
		row htmldocs 0 1 0 $(( $(date +%s) - t0 )) "$nw warnings: build/results/htmldocs.log"
	fi
else
	row htmldocs 0 1 0 $(( $(date +%s) - t0 )) "make htmldocs failed: build/results/htmldocs.log"
fi

t0=$(date +%s)
gm=$(cd "$src" && ./scripts/get_maintainer.pl --no-rolestats "$TOP"/patches/0*.patch 2>/dev/null)
printf '%s\n' "$gm" >"$res/get_maintainer.log"
miss=""
for want in linux-arm-kernel@lists.infradead.org linux-mm@kvack.org \
	    catalin.marinas@arm.com will@kernel.org akpm@linux-foundation.org; do
	grep -q "$want" <<<"$gm" || miss="$miss $want"
done
if [ -z "$miss" ]; then
	row get_maintainer 1 0 0 $(( $(date +%s) - t0 )) "arm64 and mm maintainers and lists"
else
	row get_maintainer 0 1 0 $(( $(date +%s) - t0 )) "missing:$miss"
fi
