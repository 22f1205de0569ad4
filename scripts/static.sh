#!/usr/bin/env bash
# Static checks of the series, on the worktree make check made (build/check-src):
#   - W=1 and sparse (C=1) on the objects the series touches, for arm64
#     defconfig with 4K/48-bit, 4K/39-bit, 16K and 64K pages: no warning in a
#     touched file that the same build of the base does not have;
#   - scripts/kernel-doc -none on the touched C files;
#   - make htmldocs SPHINXDIRS=arch/arm64: no warning from the new document;
#   - get_maintainer.pl names the arm64 and mm lists for the series.
# Appends rows (name pass fail skip secs note) to build/results/check.tsv.
. "$(dirname "$0")/common.sh"

src=${SRC:-$BUILD/check-src}
res=$BUILD/results
tsv=$res/check.tsv
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$tsv"; }
[ -e "$src/.git" ] || die "no $src; run make check"

objs="arch/arm64/mm/pageattr.o arch/arm64/mm/mmu.o mm/pagewalk.o
      arch/arm64/kernel/cpufeature.o arch/arm64/kernel/smp.o"
files=$(git -C "$src" diff --name-only base HEAD -- '*.c' '*.h' | tr '\n' ' ')

# warnings for the touched files from one build of the given objects
warnings() {   # SRC O CONFIG-FRAGMENT -> prints "file:line: warning" lines
	local s=$1 o=$2 frag=$3
	mkdir -p "$o"
	make -s -C "$s" O="$o" ARCH=arm64 CROSS_COMPILE="$CROSS" defconfig >/dev/null
	if [ -n "$frag" ]; then
		printf '%s\n' $frag >>"$o/.config"
		make -s -C "$s" O="$o" ARCH=arm64 CROSS_COMPILE="$CROSS" olddefconfig >/dev/null
	fi
	make -s -C "$s" O="$o" ARCH=arm64 CROSS_COMPILE="$CROSS" \
		CC="ccache ${CROSS}gcc" -j"$JOBS" prepare >/dev/null 2>&1
	# force a recompile so that warnings are printed again
	for f in $objs; do rm -f "$o/$f"; done
	make -k -C "$s" O="$o" ARCH=arm64 CROSS_COMPILE="$CROSS" \
		CC="${CROSS}gcc" -j"$JOBS" W=1 C=1 $objs 2>&1 |
		grep -E '(warning|error):' | sed -e "s|^$s/||" -e 's|^\.\./[^/]*/||' |
		grep -F -f <(printf '%s\n' $files) | sed -E 's/:[0-9]+:[0-9]+:/:/' | sort -u
}

for cfg in "4k-48:CONFIG_ARM64_VA_BITS_48=y" "4k-39:CONFIG_ARM64_VA_BITS_39=y" \
	   "16k:CONFIG_ARM64_16K_PAGES=y" "64k:CONFIG_ARM64_64K_PAGES=y"; do
	name=${cfg%%:*}
	t0=$(date +%s)
	log "W=1 + sparse, defconfig $name"
	warnings "$src" "$BUILD/static-$name" "${cfg#*:}" >"$res/static-$name.patched"
	warnings "$BUILD/src-base" "$BUILD/static-base-$name" "${cfg#*:}" >"$res/static-$name.base"
	new=$(comm -23 "$res/static-$name.patched" "$res/static-$name.base" | wc -l)
	if [ "$new" = 0 ]; then
		row "W=1+sparse $name" 1 0 0 $(( $(date +%s) - t0 )) \
			"$(wc -l <"$res/static-$name.base") in base, none new"
	else
		row "W=1+sparse $name" 0 1 0 $(( $(date +%s) - t0 )) \
			"$new new: build/results/static-$name.patched"
	fi
done

# kernel-doc: warnings in the touched files that base does not have
kdoc() {   # TREE -> warnings without line numbers
	(cd "$1" && for f in $files; do [ -f "$f" ] && ./scripts/kernel-doc -none "$f"; done) 2>&1 |
		grep -v '^$' | sed -E 's/:[0-9]+: /: /' | sort -u
}
t0=$(date +%s)
kdoc "$src" >"$res/kernel-doc.patched"
kdoc "$BUILD/src-base" >"$res/kernel-doc.base"
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
