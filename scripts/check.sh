#!/usr/bin/env bash
# make check: everything that says the series is fit to send.
#   1. patches/ applies with git am to the pristine base, in a worktree of
#      its own (build/check-src), so what is tested is what is exported,
#      whatever work in progress build/linux holds;
#   2. checkpatch --strict: 0 errors, 0 warnings on every patch;
#   3. bisectability: every patch builds and boots on its own;
#   4. the pageattr KUnit suites under QEMU, for every configuration of
#      the matrix below;
#   5. a smoke run of make demo: the patched kernel through every benchmark
#      once (SKIP_DEMO=1 leaves it out);
#   6. static checks: W=1 and sparse, kernel-doc, htmldocs, get_maintainer
#      (scripts/static.sh; SKIP_STATIC=1 leaves them out).
# Each item is one row of build/results/check.tsv; the last line printed is
# "N passed, N failed, N skipped" over all rows (KUnit cases count one each).
. "$(dirname "$0")/common.sh"

res=$BUILD/results
mkdir -p "$res"
tsv=$res/check.tsv
: >"$tsv"
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$tsv"; }   # name pass fail skip secs note
from_sum() {   # add a kunit.sh summary line as a row
	read -r n p f s t note <"$1" || true
	row "$n" "${p:-0}" "${f:-1}" "${s:-0}" "${t:-0}" "${note:-}"
}

"$TOP/scripts/deps.sh"
"$TOP/scripts/mktree.sh"
mapfile -t pats < <(series_patches)
[ ${#pats[@]} -gt 0 ] || die "patches/series lists no patch"

# --- 1. the series applies to the pristine base ------------------------------
bis=$BUILD/check-src
t0=$(date +%s)
if [ ! -d "$bis" ]; then
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q --detach "$bis" base
fi
git -C "$bis" am --abort >/dev/null 2>&1 || true
git -C "$bis" checkout -q --detach base
if git -C "$bis" am -q --keep-cr "${pats[@]}" >"$res/apply.log" 2>&1; then
	row apply 1 0 0 $(( $(date +%s) - t0 )) "${#pats[@]} patches"
	if [ "$(git -C "$bis" rev-parse 'HEAD^{tree}')" != "$(git -C "$TREE" rev-parse 'HEAD^{tree}')" ] ||
	   ! git -C "$TREE" diff --quiet HEAD --; then
		log "note: build/linux differs from patches/ (not exported yet); testing patches/"
	fi
else
	row apply 0 1 0 $(( $(date +%s) - t0 )) "git am failed, see build/results/apply.log"
	git -C "$bis" am --abort >/dev/null 2>&1 || true
	"$TOP/scripts/summary.sh" "$tsv"
	exit 1
fi
head=$(git -C "$bis" rev-parse HEAD)

# --- 2. checkpatch --strict ---------------------------------------------------
for p in "${pats[@]}"; do
	b=$(basename "$p" .patch)
	out=$(cd "$bis" && ./scripts/checkpatch.pl --strict --show-types "$p" 2>&1 || true)
	printf '%s\n' "$out" >"$res/checkpatch-$b.log"
	tot=$(printf '%s\n' "$out" | grep -E '^total: ' | tail -1)
	e=$(printf '%s' "$tot" | sed -n 's/^total: \([0-9]*\) errors, \([0-9]*\) warnings, \([0-9]*\) checks.*/\1 \2 \3/p')
	read -r ne nw nc <<<"${e:-1 1 1}"
	if [ "$ne" = 0 ] && [ "$nw" = 0 ]; then
		row "checkpatch ${b:0:4}" 1 0 0 0 "$nc checks"
	else
		row "checkpatch ${b:0:4}" 0 1 0 0 "$ne errors, $nw warnings: build/results/checkpatch-$b.log"
	fi
done

# --- 3. every patch builds and boots on its own ------------------------------
# Built in the same directory as the 4K KUnit runs below: Kbuild rebuilds
# only what a patch or a config option touches.
if [ "${SKIP_BISECT:-0}" != 1 ]; then
	printf 'CONFIG_KUNIT=y\nCONFIG_KUNIT_EXAMPLE_TEST=y\n' >"$BUILD/bisect.kunitconfig"
	mapfile -t commits < <(git -C "$bis" rev-list --reverse base..HEAD)
	i=0
	for c in "${commits[@]}"; do
		i=$((i + 1))
		git -C "$bis" checkout -q --detach "$c"
		subj=$(git -C "$bis" log -1 --format=%s "$c")
		log "bisect $i/${#commits[@]}: $subj"
		KUNITCONFIG=$BUILD/bisect.kunitconfig SRC=$bis FILTER="example*" BDIR=check-4k \
			"$TOP/scripts/kunit.sh" bisect >/dev/null || true
		read -r _ p f _ t note <"$res/bisect.sum" || { p=0; f=1; t=0; }
		if [ "$p" -gt 0 ] && [ "$f" = 0 ]; then
			row "bisect $(printf '%04d' $i)" 1 0 0 "$t" "builds and boots"
		else
			cp "$res/bisect.log" "$res/bisect-$i.log"
			row "bisect $(printf '%04d' $i)" 0 1 0 "$t" "see build/results/bisect-$i.log"
		fi
	done
fi

# --- 4. KUnit -------------------------------------------------------------------
git -C "$bis" checkout -q --detach "$head"
kunit() {   # NAME BUILD [kunit.py options]: one configuration, one row
	log "KUnit $1"
	BDIR=check-$2 SRC=$bis "$TOP/scripts/kunit.sh" "check-$1" "${@:3}" >/dev/null || true
	from_sum "$res/check-$1.sum"
}
# 4 vCPUs, 4 GiB unless said otherwise. 4K pages: BBML2_NOABORT on (QEMU
# -cpu max), off, and on for the boot CPU only (a test hook denies it to
# CPU 2, so the linear map is repainted with PTEs once all CPUs are up);
# one vCPU; 39-bit VA (3 levels). 16K and 64K pages, on and off.
kunit 4k 4k
kunit 4k-nobbml2 4k --kernel_args arm64.nobbml2
kunit 4k-denycpu 4k --kernel_args pageattr_test.bbml2_deny_cpu=2
SMP=1 kunit 4k-smp1 4k
kunit 4k-va39 4k-va39 --kconfig_add CONFIG_ARM64_VA_BITS_39=y
kunit 16k 16k --kconfig_add CONFIG_ARM64_16K_PAGES=y
kunit 16k-nobbml2 16k --kconfig_add CONFIG_ARM64_16K_PAGES=y --kernel_args arm64.nobbml2
kunit 64k 64k --kconfig_add CONFIG_ARM64_64K_PAGES=y
kunit 64k-nobbml2 64k --kconfig_add CONFIG_ARM64_64K_PAGES=y --kernel_args arm64.nobbml2
# A debug kernel: any splat in its log fails the run.
debug=(--kconfig_add CONFIG_DEBUG_KERNEL=y --kconfig_add CONFIG_KASAN=y
       --kconfig_add CONFIG_KASAN_GENERIC=y --kconfig_add CONFIG_PROVE_LOCKING=y
       --kconfig_add CONFIG_DEBUG_ATOMIC_SLEEP=y --kconfig_add CONFIG_DEBUG_VM=y
       --kconfig_add CONFIG_DEBUG_PAGEALLOC=y --kconfig_add CONFIG_KFENCE=y)
SPLAT_CHECK=1 kunit 4k-debug 4k-debug "${debug[@]}"
SPLAT_CHECK=1 kunit 4k-debug-dpa 4k-debug "${debug[@]}" --kernel_args debug_pagealloc=on

# --- 5. a smoke run of make demo ---------------------------------------------------
# The patched kernel only, with the demo config, through every benchmark
# once: the path make demo takes works (the benchmarks themselves are
# compared in make demo, not here).
if [ "${SKIP_DEMO:-0}" != 1 ]; then
	log "demo smoke"
	t0=$(date +%s)
	DEMO_SMOKE=1 "$TOP/scripts/demo.sh" >"$res/demo-smoke.log" 2>&1 ||
		row "demo smoke" 0 1 0 $(( $(date +%s) - t0 )) "scripts/demo.sh failed: build/results/demo-smoke.log"
	python3 "$TOP/tools/smoke_check.py" "$BUILD/demo-smoke" $(( $(date +%s) - t0 )) >>"$tsv" ||
		row "demo smoke" 0 1 0 0 "tools/smoke_check.py failed"
fi

# --- 6. static checks ------------------------------------------------------------
if [ "${SKIP_STATIC:-0}" != 1 ]; then
	git -C "$TREE" worktree prune
	[ -e "$BUILD/src-base/.git" ] || git -C "$TREE" worktree add -q --detach "$BUILD/src-base" base
	SRC=$bis "$TOP/scripts/static.sh" || row static 0 1 0 0 "scripts/static.sh failed"
fi

"$TOP/scripts/summary.sh" "$tsv"
