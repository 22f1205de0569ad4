#!/usr/bin/env bash
# make check: everything that says the series is fit to send.
#   1. patches/ applies with git am to the pristine base, in a worktree of
#      its own (build/check-src), so what is tested is what is exported,
#      whatever work in progress build/linux holds;
#   2. checkpatch --strict: 0 errors, 0 warnings on every patch;
#   3. bisectability (make bisect and make check-full, not make check):
#      the base and every patch on it build in the small configuration
#      with 4K pages (configs/small.config), boot under QEMU and pass the
#      KUnit suites they have;
#   4. the pageattr KUnit suites under QEMU, for every configuration of
#      the matrix below (the small configuration unless said otherwise);
#   5. a smoke run of make demo: the patched kernel through every benchmark
#      once; then make lifecycle on that kernel, with and without
#      arm64.nobbml2 (SKIP_DEMO=1 leaves both out);
#   6. static checks: W=1 and sparse on the touched objects against the
#      same build of the base, kernel-doc, htmldocs, get_maintainer
#      (SKIP_STATIC=1 leaves them out).
# CHECK_FULL=1 (make check-full) adds the bisect and the rest of the
# matrix: kunit.py's own configuration (olddefconfig) with 4K pages, 39-bit
# VA, and the debug kernel on kunit.py's own configuration as well as on
# the small one. BISECT_ONLY=1 (make bisect) runs steps 1 to 3 only.
# BISECT_FROM=N starts the bisect at patch N, without the base: for a
# change to the last patches only, as the steps before it are unchanged
# (make bisect BISECT_FROM=20).
#
# Why make check leaves the bisect out: the six patches that touch headers
# every object includes rebuild the whole kernel, so the bisect is seven
# full builds and 22 boots, two thirds of a cold CI run on a slow machine
# of this kind (the CI of stop 22 took 5,402 s with it). The bisect only
# changes when patches/ does; make bisect runs it after each export,
# before patches/ is committed.
#
# Each item is one row of build/results/check.tsv; the output ends with the
# wall time of each step, the table of items and the line
# "N passed, N failed, N skipped" (KUnit cases count one each).
. "$(dirname "$0")/common.sh"

full=0 bisect_only=0
[ "${CHECK_FULL:-0}" != 1 ] || full=1
[ "${BISECT_ONLY:-0}" != 1 ] || bisect_only=1
bisect=$full
# 64K pages (42-bit VA, two levels) in make check-full only: Debian builds
# 4K and 16K kernels (arm64, arm64-16k), and the 16K kernel of make check
# has the same folded levels
full_64k=""
[ "$full" = 0 ] || full_64k=64k
[ "$bisect_only" = 0 ] || bisect=1
[ "${SKIP_BISECT:-0}" != 1 ] || [ "$bisect_only" = 1 ] || bisect=0
# pageattr_torture runs for 5 s (pageattr_kunit.torture_secs) in every
# kernel but two, the 4K small one and the Debian debug one, which run it
# for its default 30 s; make torture runs it for minutes.
export TORTURE_SECS=${TORTURE_SECS-5}
res=$BUILD/results
mkdir -p "$res"
tsv=$res/check.tsv
steps=$res/steps.tsv
: >"$tsv"
: >"$steps"
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$tsv"; }   # name pass fail skip secs note
from_sum() {   # NAME SUMFILE: add a kunit.sh summary line as a row
	local n p f s t note
	if ! read -r n p f s t note <"$2"; then
		row "$1" 0 1 0 0 "no result: build/results/$1.log"
		return
	fi
	row "$n" "${p:-0}" "${f:-1}" "${s:-0}" "${t:-0}" "${note:-}"
}
check_start=$(date +%s)
step_name="" step_t0=0
step() {   # NAME: close the step before, open this one
	local now
	now=$(date +%s)
	[ -z "$step_name" ] || printf '%s\t%s\n' "$step_name" $((now - step_t0)) >>"$steps"
	step_name=$1 step_t0=$now
	[ -z "$1" ] || log "[$((now - check_start))s] $1"
}
finished=0
finish() {
	finished=1
	step ""
	printf '%s\t%s\n' "total" $(( $(date +%s) - check_start )) >>"$steps"
	printf '\nwall time of each step (s):\n'
	awk -F'\t' '{ printf "  %-34s %6d\n", $1, $2 }' "$steps"
	printf '\n'
	"$TOP/scripts/summary.sh" "$tsv"
}

# Whatever stops this script early still ends with the table and the line.
on_exit() {
	local rc=$?
	[ "$finished" = 1 ] && return
	row "check.sh" 0 1 0 0 "stopped early (exit $rc) in step: ${step_name:-?}"
	finish || true
	exit 1
}
trap on_exit EXIT

step "Debian packages"
"$TOP/scripts/deps.sh"
step "base tree"
"$TOP/scripts/mktree.sh"
mapfile -t pats < <(series_patches)
[ ${#pats[@]} -gt 0 ] || die "patches/series lists no patch"

# --- 1. the series applies to the pristine base ------------------------------
step "apply"
bis=$BUILD/check-src
t0=$(date +%s)
if [ ! -d "$bis" ]; then
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q --detach "$bis" base
fi
git -C "$bis" am --abort >/dev/null 2>&1 || true
# a run stopped during the Debian kernel leaves its workbench file behind
rm -f "$bis/lib/check_kfence_late.c"
git -C "$bis" checkout -q -f --detach base
if git -C "$bis" am -q --keep-cr "${pats[@]}" >"$res/apply.log" 2>&1; then
	row apply 1 0 0 $(( $(date +%s) - t0 )) "${#pats[@]} patches"
	if [ "$(git -C "$bis" rev-parse 'HEAD^{tree}')" != "$(git -C "$TREE" rev-parse 'HEAD^{tree}')" ] ||
	   ! git -C "$TREE" diff --quiet HEAD --; then
		log "note: build/linux differs from patches/ (not exported yet); testing patches/"
	fi
else
	row apply 0 1 0 $(( $(date +%s) - t0 )) "git am failed, see build/results/apply.log"
	git -C "$bis" am --abort >/dev/null 2>&1 || true
	finish
	exit 1
fi
head=$(git -C "$bis" rev-parse HEAD)
mapfile -t commits < <(git -C "$bis" rev-list --reverse base..HEAD)
from=${BISECT_FROM:-1}
case $from in '' | *[!0-9]*) die "BISECT_FROM must be a patch number, not '$from'" ;; esac
from=$((10#$from))
[ "$from" -ge 1 ] && [ "$from" -le "${#commits[@]}" ] ||
	die "BISECT_FROM=$from: the series has patches 1 to ${#commits[@]}"
# make check-full takes its 4K static baseline from the bisect's base
[ "$from" = 1 ] || [ "$bisect_only" = 1 ] ||
	die "BISECT_FROM goes with make bisect only, not make check or check-full"

# --- 2. checkpatch --strict ---------------------------------------------------
step "checkpatch"
for p in "${pats[@]}"; do
	b=$(basename "$p" .patch)
	out=$(cd "$bis" && ./scripts/checkpatch.pl --strict --show-types "$p" 2>&1 || true)
	printf '%s\n' "$out" >"$res/checkpatch-$b.log"
	tot=$(printf '%s\n' "$out" | grep -E '^total: ' | tail -1 || true)
	e=$(printf '%s' "$tot" | sed -n 's/^total: \([0-9]*\) errors, \([0-9]*\) warnings, \([0-9]*\) checks.*/\1 \2 \3/p')
	read -r ne nw nc <<<"${e:-1 1 1}"
	if [ "$ne" = 0 ] && [ "$nw" = 0 ]; then
		row "checkpatch ${b:0:4}" 1 0 0 0 "$nc checks"
	else
		row "checkpatch ${b:0:4}" 0 1 0 0 "$ne errors, $nw warnings: build/results/checkpatch-$b.log"
	fi
done

# --- the static checks' baseline: the base, in the configurations below ------
# W=1 and sparse warnings in the files the series touches, for the base and
# the patched tree in the same configuration and build directory: the
# baseline is taken here, with the worktree at base, before the directory's
# kernel is built for the series (so that nothing is built twice).
static_objs="arch/arm64/mm/pageattr.o arch/arm64/mm/mmu.o mm/pagewalk.o
	arch/arm64/kernel/cpufeature.o arch/arm64/kernel/smp.o lib/tests/pageattr_kunit.o"
touched=$(git -C "$bis" diff --name-only base HEAD -- '*.c' '*.h' | tr '\n' ' ')
warnings() {   # BUILD-DIR: W=1 + sparse warnings in the touched files
	local o=$1 f objs=""
	command -v sparse >/dev/null || { echo "error: sparse is missing"; return 0; }
	make -s -C "$bis" O="$o" ARCH=arm64 CROSS_COMPILE="$CROSS" \
		CC="ccache ${CROSS}gcc" -j"$JOBS" prepare >/dev/null 2>&1 ||
		{ echo "error: make prepare failed in $o"; return 0; }
	# those of the objects this tree has, compiled again so that the
	# warnings are printed
	for f in $static_objs; do
		[ -f "$bis/${f%.o}.c" ] || continue
		rm -f "$o/$f"
		objs="$objs $f"
	done
	# shellcheck disable=SC2086
	{ make -k -C "$bis" O="$o" ARCH=arm64 CROSS_COMPILE="$CROSS" \
		CC="${CROSS}gcc" -j"$JOBS" W=1 C=1 $objs 2>&1 || true; } |
		{ grep -E '(warning|error):' || true; } | sed -e "s|^$bis/||" -e 's|^\.\./[^/]*/||' |
		{ grep -F -f <(printf '%s\n' $touched) || true; } |
		sed -E 's/:[0-9]+:[0-9]+:/:/' | sort -u
}
static_row() {   # NAME: compare build/results/static-NAME.{base,patched}
	local n=$1 new
	if [ ! -f "$res/static-$n.base" ] || [ ! -f "$res/static-$n.patched" ]; then
		row "W=1+sparse $n" 0 1 0 "${2:-0}" "no baseline or no result for $n"
		return
	fi
	new=$(comm -23 "$res/static-$n.patched" "$res/static-$n.base" | wc -l)
	if [ "$new" = 0 ]; then
		row "W=1+sparse $n" 1 0 0 "${2:-0}" "$(wc -l <"$res/static-$n.base") in base, none new"
	else
		row "W=1+sparse $n" 0 1 0 "${2:-0}" "$new new: build/results/static-$n.patched"
	fi
}
# The options of the series' final .kunitconfig that a revision has: the
# bisect builds every step with those its tree has (so that each option's
# code is compiled from the patch that adds it, and the patch that adds an
# option to .kunitconfig rebuilds nothing else; KFENCE reaches every user
# of slab.h), and the W=1 baselines are taken with those the base has.
kunit_at() {   # REV OUT: the options of the series' .kunitconfig that REV has
	local sym
	git -C "$bis" show "$head:lib/tests/.kunitconfig" | while read -r line; do
		sym=${line#CONFIG_}
		sym=${sym%%=*}
		if git -C "$bis" grep -q -E "^(menu)?config $sym\$" "$1" -- '*Kconfig*'; then
			printf '%s\n' "$line"
		fi
	done >"$2"
}
base_kunit=$BUILD/base-kunit.config
kunit_at base "$base_kunit"
# the small configuration with the options kunit.py adds for arm64
kunit_frag=$BUILD/kunit-arm64.config
printf '%s\n' CONFIG_KUNIT=y CONFIG_SERIAL_AMBA_PL010=y CONFIG_SERIAL_AMBA_PL010_CONSOLE=y \
	CONFIG_SERIAL_AMBA_PL011=y CONFIG_SERIAL_AMBA_PL011_CONSOLE=y >"$kunit_frag"
cat "$base_kunit" >>"$kunit_frag"
static_base() {   # NAME BUILD-DIR [OPTION...]: configure at base, baseline
	local n=$1 o=$2 frag
	shift 2
	frag=$BUILD/static-$n.config
	printf '%s\n' "$@" >"$frag"
	"$TOP/scripts/smallconfig.sh" "$bis" "$o" "$kunit_frag" "$frag"
	warnings "$o" >"$res/static-$n.base"
}
declare -A static_t=()
# 16K and 64K pages with a folded level: 36-bit VA with 16K pages and
# 42-bit VA with 64K pages have two levels of tables, so the PUD and PMD
# levels are folded (split_pud() must compile away). With high-resolution
# timers, as Debian's kernels have them: without, the 20-40 us sleeps of
# the split race's static stub last a jiffy each, and the race took 265 s
# of a CI run with 16K pages (128 entries to a contiguous range) instead
# of seconds.
declare -A folded=(
	[16k]="CONFIG_ARM64_16K_PAGES=y CONFIG_EXPERT=y CONFIG_ARM64_VA_BITS_36=y CONFIG_HIGH_RES_TIMERS=y"
	[64k]="CONFIG_ARM64_64K_PAGES=y CONFIG_ARM64_VA_BITS_42=y CONFIG_HIGH_RES_TIMERS=y")
if [ "${SKIP_STATIC:-0}" != 1 ] && [ "$bisect_only" = 0 ]; then
	step "static baseline (base)"
	git -C "$bis" checkout -q --detach base
	if [ "$bisect" = 0 ]; then
		# the bisect's base build takes the 4K baseline when it runs
		t0=$(date +%s)
		static_base 4k "$BUILD/kunit-check-4k"
		static_t[4k]=$(( $(date +%s) - t0 ))
	fi
	for pg in 16k ${full_64k:-}; do
		t0=$(date +%s)
		# shellcheck disable=SC2086
		static_base "$pg" "$BUILD/kunit-check-$pg" ${folded[$pg]}
		static_t[$pg]=$(( $(date +%s) - t0 ))
	done
	if [ "$full" = 1 ]; then
		t0=$(date +%s)
		static_base 4k-va39 "$BUILD/kunit-check-4k-va39" CONFIG_ARM64_VA_BITS_39=y
		static_t[4k-va39]=$(( $(date +%s) - t0 ))
	fi
fi

# --- 3. the base and every patch build and boot ----------------------------------
# In the small configuration with 4K pages (the build directory of the 4K
# KUnit runs below): a patch that touches a header rebuilds a few hundred
# objects, not thousands. Each kernel boots and runs the KUnit suites it
# has (the example suite, and the pageattr suites from the patch that adds
# them on), but for their slow cases (KUNIT_CASE_SLOW: the races and the
# torture test, 70 to 90 s a kernel), which the KUnit runs of the whole
# series below run in every configuration. The base is built first, so
# that its W=1 baseline costs nothing.
printf 'CONFIG_KUNIT=y\nCONFIG_KUNIT_EXAMPLE_TEST=y\n' >"$BUILD/bisect.kunitconfig"
bisect_one() {   # LABEL REV
	local label=$1 rev=$2 kc=$BUILD/bisect-step.kunitconfig p=0 f=1 t=0
	git -C "$bis" checkout -q --detach "$rev"
	kunit_at "$rev" "$kc"
	cat "$BUILD/bisect.kunitconfig" >>"$kc"
	rm -f "$res/bisect.sum"
	KUNITCONFIG=$kc SRC=$bis FILTER='*' BDIR=check-4k SMALL=1 \
		"$TOP/scripts/kunit.sh" bisect --filter 'speed>slow' >/dev/null || true
	read -r _ p f _ t _ <"$res/bisect.sum" || { p=0; f=1; t=0; }
	if [ "$p" -gt 0 ] && [ "$f" = 0 ]; then
		row "bisect $label" 1 0 0 "$t" "builds, boots, $p KUnit cases pass (not the slow ones)"
	else
		cp "$res/bisect.log" "$res/bisect-$label.log" 2>/dev/null || true
		row "bisect $label" 0 1 0 "$t" "see build/results/bisect-$label.log"
	fi
}
if [ "$bisect" = 1 ] && [ "$from" = 1 ]; then
	step "bisect: base"
	bisect_one base base
	if [ "${SKIP_STATIC:-0}" != 1 ] && [ "$bisect_only" = 0 ]; then
		t0=$(date +%s)
		warnings "$BUILD/kunit-check-4k" >"$res/static-4k.base"
		static_t[4k]=$(( $(date +%s) - t0 ))
	fi
fi
if [ "$bisect" = 1 ]; then
	i=0
	for c in "${commits[@]}"; do
		i=$((i + 1))
		[ "$i" -ge "$from" ] || continue
		step "bisect: patch $i/${#commits[@]}"
		log "    $(git -C "$bis" log -1 --format=%s "$c")"
		bisect_one "$(printf '%04d' $i)" "$c"
	done
fi
if [ "$bisect_only" = 1 ]; then
	finish
	exit 0
fi

# --- 4. KUnit -------------------------------------------------------------------
git -C "$bis" checkout -q --detach "$head"
kunit() {   # NAME BUILD [kunit.py options]: one configuration, one row
	log "    KUnit $1"
	rm -f "$res/check-$1.sum"
	BDIR=check-$2 SRC=$bis "$TOP/scripts/kunit.sh" "check-$1" "${@:3}" >/dev/null || true
	from_sum "check-$1" "$res/check-$1.sum"
}
# 4 vCPUs, 4 GiB unless said otherwise. 4K pages: BBML2_NOABORT on (QEMU
# -cpu max), off, and on for the boot CPU only (a test hook denies it to
# CPU 2, so the linear map is repainted with PTEs once all CPUs are up);
# one vCPU. With the bisect, the kernel of its last step, run again.
export SMALL=1
step "KUnit 4K (small)"
KUNITCONFIG="$BUILD/matrix-4k.kunitconfig"
kunit_at "$head" "$KUNITCONFIG"
cat "$BUILD/bisect.kunitconfig" >>"$KUNITCONFIG"
export KUNITCONFIG
TORTURE_SECS= kunit 4k 4k
kunit 4k-nobbml2 4k --kernel_args arm64.nobbml2
kunit 4k-denycpu 4k --kernel_args bbml2_emulated.deny_cpu=2
SMP=1 kunit 4k-smp1 4k
# Memory hot-add and hot-remove: the 1G that mem=3G leaves out of 4G,
# added, onlined, used, a memory block taken out of its middle.
hp=(--kernel_args mem=3G --kernel_args memhp_default_state=offline
    --kernel_args pageattr_kunit.hotplug_ram=1)
FILTER=pageattr_split.pageattr_hotplug kunit 4k-hotplug 4k "${hp[@]}"
FILTER=pageattr_split.pageattr_hotplug kunit 4k-hotplug-nobbml2 4k "${hp[@]}" \
	--kernel_args arm64.nobbml2
FILTER=pageattr_split.pageattr_hotplug kunit 4k-hotplug-rodata-off 4k "${hp[@]}" \
	--kernel_args rodata=off
unset KUNITCONFIG
if [ "${SKIP_STATIC:-0}" != 1 ]; then
	# the base's baseline: the bisect's first step, or the static baseline step
	t0=$(date +%s)
	warnings "$BUILD/kunit-check-4k" >"$res/static-4k.patched"
	static_row 4k $(( ${static_t[4k]:-0} + $(date +%s) - t0 ))
fi
# 16K and 64K pages with a folded level, on and off; each build directory
# holds the base's W=1 baseline already.
for pg in 16k ${full_64k:-}; do
	step "KUnit $pg, folded level (small)"
	opts=()
	for o in ${folded[$pg]}; do opts+=(--kconfig_add "$o"); done
	kunit "$pg" "$pg" "${opts[@]}"
	kunit "$pg-nobbml2" "$pg" "${opts[@]}" --kernel_args arm64.nobbml2
	if [ "${SKIP_STATIC:-0}" != 1 ]; then
		t0=$(date +%s)
		warnings "$BUILD/kunit-check-$pg" >"$res/static-$pg.patched"
		static_row "$pg" $(( ${static_t[$pg]:-0} + $(date +%s) - t0 ))
	fi
done
# Debian's own arm64 kernels: the options that decide how the kernel maps
# itself, as Debian's arm64 and rt-arm64 flavours set them, from the
# package linux-config-6.12:arm64 (scripts/debconfig.sh): 52-bit VA with
# 4K pages (five levels), KFENCE built in but off at boot, rodata=full,
# NUMA, memory hotplug, hibernation, kexec, secretmem, BPF JIT.
step "Debian configurations"
"$TOP/scripts/debconfig.sh" arm64 "$BUILD/debian-arm64.config"
"$TOP/scripts/debconfig.sh" rt-arm64 "$BUILD/debian-rt-arm64.config"
# The Debian arm64 kernel as a debug kernel: any splat in its log fails
# the run. KASAN, lockdep, DEBUG_ATOMIC_SLEEP, DEBUG_VM, DEBUG_PAGEALLOC
# (off unless debug_pagealloc=on) and KFENCE's own KUnit suite. The last
# run switches KFENCE on at the end of the initcalls, as a write of its
# sample_interval parameter does (the workbench's tools/check/kfence_late.c,
# built into this kernel only), and runs KFENCE's suite on that late pool.
SMALL_FRAGS=$(debian_debug_frags)
export SMALL_FRAGS
step "KUnit Debian arm64 debug kernel (small)"
cp "$TOP/tools/check/kfence_late.c" "$bis/lib/check_kfence_late.c"
echo 'obj-y += check_kfence_late.o' >>"$bis/lib/Makefile"
# the torture test for its default 30 s here (5 s elsewhere)
TORTURE_SECS= SPLAT_CHECK=1 kunit debian-debug debian-debug
FILTER=pageattr_split.pageattr_hotplug SPLAT_CHECK=1 \
	kunit debian-debug-hotplug debian-debug "${hp[@]}"
SPLAT_CHECK=1 kunit debian-debug-dpa debian-debug --kernel_args debug_pagealloc=on
SPLAT_CHECK=1 SPLAT_ALLOW='BUG: KFENCE: ' FILTER='kfence' \
	kunit debian-debug-kfence-late debian-debug --kernel_args check_kfence_late
if ! grep -q 'check_kfence_late: kfence.sample_interval=100 at run time: 0' \
	"$res/check-debian-debug-kfence-late.raw.log" 2>/dev/null; then
	row "debian-debug-kfence-late enabled late" 0 1 0 0 "no late enablement in the log"
fi
# The issue's bar: right after boot, with BBML2_NOABORT, the linear map of
# Debian's kernel has at most 64 KiB more page tables with rodata=full
# than the limit, rodata=off.
geo='pageattr_split.pageattr_linear_map_geometry'
FILTER=$geo kunit debian-geometry debian-debug
FILTER=$geo kunit debian-geometry-rodata-off debian-debug --kernel_args rodata=off
tables() { sed -n 's/.*pageattr_linear_map_geometry: BBML2_NOABORT on, .*, \([0-9]*\) KiB of PMD and PTE tables.*/\1/p' \
	"$res/check-$1.raw.log" 2>/dev/null | head -1; }
full_kib=$(tables debian-geometry) off_kib=$(tables debian-geometry-rodata-off)
if [ -n "$full_kib" ] && [ -n "$off_kib" ] && [ "$full_kib" -le $((off_kib + 64)) ]; then
	row "debian linear map tables" 1 0 0 0 "rodata=full ${full_kib} KiB, rodata=off ${off_kib} KiB"
else
	row "debian linear map tables" 0 1 0 0 "rodata=full ${full_kib:-?} KiB, rodata=off ${off_kib:-?} KiB (bar: +64 KiB)"
fi
rm -f "$bis/lib/check_kfence_late.c"
git -C "$bis" checkout -q -- lib/Makefile
# The Debian rt-arm64 kernel (PREEMPT_RT), with lockdep and
# DEBUG_ATOMIC_SLEEP: sleeping locks and the split mutex as RT has them.
printf '%s\n' CONFIG_DEBUG_KERNEL=y CONFIG_PROVE_LOCKING=y CONFIG_DEBUG_ATOMIC_SLEEP=y \
	>"$BUILD/rt-debug.config"
debian_frag "$BUILD/debian-rt-arm64.config" "$BUILD/debian-rt-arm64-debug.config" "$BUILD/rt-debug.config"
step "KUnit Debian rt-arm64 kernel (small)"
export SMALL_FRAGS="$TOP/configs/debian-deps.config $BUILD/debian-rt-arm64-debug.config $BUILD/rt-debug.config"
SPLAT_CHECK=1 kunit debian-rt debian-rt
SPLAT_CHECK=1 kunit debian-rt-denycpu debian-rt --kernel_args bbml2_emulated.deny_cpu=2
unset SMALL_FRAGS
# The debug options alone, on the small configuration
debug=(--kconfig_add CONFIG_DEBUG_KERNEL=y --kconfig_add CONFIG_KASAN=y
       --kconfig_add CONFIG_KASAN_GENERIC=y --kconfig_add CONFIG_PROVE_LOCKING=y
       --kconfig_add CONFIG_DEBUG_ATOMIC_SLEEP=y --kconfig_add CONFIG_DEBUG_VM=y
       --kconfig_add CONFIG_DEBUG_PAGEALLOC=y --kconfig_add CONFIG_KFENCE=y
       --kconfig_add CONFIG_KFENCE_SAMPLE_INTERVAL=0)
if [ "$full" = 1 ]; then
	step "KUnit debug kernel (small)"
	SPLAT_CHECK=1 kunit 4k-debug 4k-debug "${debug[@]}"
	SPLAT_CHECK=1 kunit 4k-debug-dpa 4k-debug "${debug[@]}" --kernel_args debug_pagealloc=on
	for pg in 16k 64k; do
		step "KUnit $pg, 48-bit VA (small)"
		kunit "$pg-va48" "$pg-va48" --kconfig_add "CONFIG_ARM64_${pg^^}_PAGES=y" \
			--kconfig_add CONFIG_ARM64_VA_BITS_48=y
	done
	step "KUnit 39-bit VA (small)"
	kunit 4k-va39 4k-va39 --kconfig_add CONFIG_ARM64_VA_BITS_39=y
	if [ "${SKIP_STATIC:-0}" != 1 ]; then
		t0=$(date +%s)
		warnings "$BUILD/kunit-check-4k-va39" >"$res/static-4k-va39.patched"
		static_row 4k-va39 $(( ${static_t[4k-va39]:-0} + $(date +%s) - t0 ))
	fi
	# kunit.py's own configuration, as kunit.py run --kunitconfig=lib/tests
	# makes it
	unset SMALL
	step "KUnit 4K (kunit.py's configuration)"
	kunit 4k-kunitpy 4k-kunitpy
	step "KUnit debug kernel (kunit.py's configuration)"
	SPLAT_CHECK=1 kunit 4k-kunitpy-debug 4k-kunitpy-debug "${debug[@]}"
fi
unset SMALL

# --- 5. a smoke run of make demo ---------------------------------------------------
# The patched kernel only, with the demo config, through every benchmark
# once: the path make demo takes works (the benchmarks themselves are
# compared in make demo, not here).
if [ "${SKIP_DEMO:-0}" != 1 ]; then
	step "demo smoke"
	t0=$(date +%s)
	DEMO_SMOKE=1 "$TOP/scripts/demo.sh" >"$res/demo-smoke.log" 2>&1 ||
		row "demo smoke" 0 1 0 $(( $(date +%s) - t0 )) "scripts/demo.sh failed: build/results/demo-smoke.log"
	python3 "$TOP/tools/smoke_check.py" "$BUILD/demo-smoke" $(( $(date +%s) - t0 )) >>"$tsv" ||
		row "demo smoke" 0 1 0 0 "tools/smoke_check.py failed"
fi

# --- 5b. the lifecycles, on the demo smoke's kernel ------------------------------
# make lifecycle on the patched kernel, with and without arm64.nobbml2: one
# row per test and kernel (make lifecycle adds base 6.12).
if [ "${SKIP_DEMO:-0}" != 1 ]; then
	step "lifecycle: hot-remove, hibernation, kexec, kdump (patched)"
	t0=$(date +%s)
	LIFE_SMOKE=1 "$TOP/scripts/lifecycle.sh" >"$res/lifecycle.log" 2>&1 || true
	t=$(( $(date +%s) - t0 ))
	if [ -f "$BUILD/lifecycle-smoke/table.md" ]; then
		python3 "$TOP/tools/lifecycle_rows.py" "$BUILD/lifecycle-smoke/table.md" >>"$tsv"
	else
		row lifecycle 0 1 0 "$t" "scripts/lifecycle.sh failed: build/results/lifecycle.log"
	fi
fi

# --- 6. the other static checks ----------------------------------------------------
if [ "${SKIP_STATIC:-0}" != 1 ]; then
	step "kernel-doc, htmldocs, get_maintainer"
	SRC=$bis "$TOP/scripts/static.sh" || row static 0 1 0 0 "scripts/static.sh failed"
fi

finish
