#!/usr/bin/env bash
# make demo: base 6.12 and the patched kernel side by side on the same QEMU
# machine (virt, -cpu max, 4 vCPUs, 4 GiB), both built from Debian's own
# arm64 config (scripts/democonfig.sh: the arm64 flavour of the package
# linux-config-6.12:arm64, without what only costs build time).
#
#   1. builds base and patched with the same config, each with the
#      workbench's benchmark file (tools/bench/pageattr_bench.c, as
#      lib/pageattr_bench.c; not part of the series) and the kernel's
#      test_module (CONFIG_TEST_LKM=m), plus the patched kernel of each
#      further flavour (DEMO_FLAVOURS, default arm64; arm64,arm64-16k adds
#      the 16K flavour);
#   2. builds an initramfs per kernel: tools/demo-init.c, the kernel's
#      memfd_secret selftest (static arm64 programs) and that kernel's
#      test_module.ko;
#   3. boots base, patched and patched with arm64.nobbml2 (a linear map
#      of PTEs, as base has) through the benchmarks and the clients,
#      DEMO_BOOTS times each (2), alternating, and once patched with the
#      linear map's collapse off (sysctl.vm.linear_map_collapse=0); after them,
#      each waits 3 s for the collapse worker and shows the linear map
#      again ("healed"); the patched kernel with
#      rodata=off (the limit); and, for each further flavour, the patched
#      kernel's linear map after boot, with rodata=full, arm64.nobbml2 and
#      rodata=off; then the same four kernels again
#      with one vCPU (DEMO_SINGLE_BOOTS times each, 6): the single-thread
#      costs and clients without TCG's cross-vCPU TLB synchronisation,
#      on which the report judges the targets, each sample with the
#      host's speed timed beside it (speed_ref() in tools/demo-init.c);
#      then the same four kernels with one vCPU under QEMU -icount
#      (DEMO_ICOUNT_BOOTS times each, 6, two boots at a time): the
#      instructions each executes,
#      whatever the host's speed, TCG's soft TLB left out;
#      and the patched kernel with one vCPU and demo.toggle=2
#      (DEMO_TOGGLE_BOOTS times, 8): collapse on / off for the pairs and
#      for secretmem faults within each boot (the toggled parts alone);
#   4. writes build/demo/report.md, report.json and linear-map.svg.
#
# DEMO_SMOKE=1 (make check): the patched kernel of the first flavour only,
# few repetitions, and one toggle boot with one vCPU. DEMO_KUNIT=1: also run the pageattr KUnit suites.
# DEMO_BUILD_ONLY=1 (make lifecycle): steps 1 and 2 only, into
# build/demo-build (with DEMO_SMOKE=1: the patched kernel only).
. "$(dirname "$0")/common.sh"

smoke=${DEMO_SMOKE:-0}
out=$BUILD/demo${DEMO_SUFFIX:-}
[ "$smoke" = 1 ] && out=$BUILD/demo-smoke
build_only=${DEMO_BUILD_ONLY:-0}
[ "$build_only" = 1 ] && out=$BUILD/demo-build
# the previous full run stays beside the new one, to check that they agree
if [ "$smoke" != 1 ] && [ "$build_only" != 1 ] && [ -f "$out/report.json" ]; then
	rm -rf "$out-prev"
	mv "$out" "$out-prev"
fi
rm -rf "$out"
mkdir -p "$out"
mapfile -t pats < <(series_patches)
t0=$(date +%s)
step() { log "[$(( $(date +%s) - t0 ))s] $*"; }

# The demo kernels compile without ccache. Filling an empty cache costs
# about a sixth of a build on a fresh machine (run 26, 2026-12-03: base
# 606 s without ccache, patched 699 s through it), and a warm one gives
# these builds nothing make does not: their build directories stay, and
# worktree() below keeps the times of the files a changed series leaves
# as they were, so make rebuilds what changed and only that (a changed
# header misses in ccache's depend mode as in make). The same compiler
# every time, or a changed CC would rebuild it all: $DEMO_CC (common.sh).

for tool in qemu-system-aarch64 "${CROSS}gcc" gcc python3; do
	command -v "$tool" >/dev/null || die "$tool is missing; run: make deps"
done
[ -f /usr/aarch64-linux-gnu/lib/libc.a ] ||
	die "static arm64 libc is missing; run: make deps (libc6-dev-arm64-cross)"

worktree() {   # DIR REV [patches...]: a worktree at REV, patches and bench applied
	local dir=$1 rev=$2 stamp kept t h f
	shift 2
	# what the tree should be; when it is that already (a rerun), leave it,
	# so that make rebuilds only what changed
	stamp=$(git -C "$TREE" rev-parse "$rev"; [ $# -eq 0 ] || cat "$@" | sha1sum)
	if [ ! -e "$dir/.git" ]; then
		# checkout.workers: the files written by both cores
		git -C "$TREE" -c checkout.workers=0 worktree add -q --detach "$dir" "$rev"
	fi
	if [ "$(cat "$dir/.demo-stamp" 2>/dev/null)" != "$stamp" ] ||
		[ -n "$(git -C "$dir" status --porcelain -- . ':!lib/Makefile' ':!lib/pageattr_bench.c' ':!.demo-stamp')" ]; then
		rm -f "$dir/.demo-stamp"
		git -C "$dir" am --abort >/dev/null 2>&1 || true
		# the files the series in the tree changes, with their times
		# and contents, before they are checked out again
		kept=$({ git -C "$dir" diff --name-only "$rev" HEAD -- 2>/dev/null || true
			echo lib/Makefile; echo lib/pageattr_bench.c; } | sort -u |
			while read -r f; do
				[ -f "$dir/$f" ] || continue
				printf '%s %s %s\n' "$(stat -L -c %.9Y "$dir/$f")" \
					"$(sha1sum <"$dir/$f" | cut -c1-40)" "$f"
			done)
		git -C "$dir" checkout -q -f --detach "$rev"
		# whatever else is in the tree (a file a patch adds, left by an
		# earlier series or by hand) would stop git am
		git -C "$dir" clean -q -fd
		[ $# -eq 0 ] || git -C "$dir" am -q --keep-cr "$@" ||
			die "the series does not apply; see git -C $dir am --show-current-patch"
		echo 'obj-y += pageattr_bench.o' >>"$dir/lib/Makefile"
		cp "$TOP/tools/bench/pageattr_bench.c" "$dir/lib/pageattr_bench.c"
		# a file the new series leaves as the old one had it gets its
		# time back, so that make does not rebuild what includes it
		while read -r t h f; do
			if [ -z "$f" ] || [ ! -f "$dir/$f" ]; then continue; fi
			[ "$(sha1sum <"$dir/$f" | cut -c1-40)" != "$h" ] || touch -d "@$t" "$dir/$f"
		done <<<"$kept"
		echo "$stamp" >"$dir/.demo-stamp"
	fi
	cmp -s "$TOP/tools/bench/pageattr_bench.c" "$dir/lib/pageattr_bench.c" ||
		cp "$TOP/tools/bench/pageattr_bench.c" "$dir/lib/pageattr_bench.c"
}

step "sources: base = $(git -C "$TREE" log -1 --format=%s base), patched = base + ${#pats[@]} patches; both + the workbench's lib/pageattr_bench.c"
# the two worktrees side by side, each checkout with a worker per core:
# 27 s for both on a fresh machine, 99 s one after the other (2026-12-03)
git -C "$TREE" worktree prune
# (each a background job, where set -e holds, and both waited for before
# a failure ends the run)
wt_pids=() wt_ok=1
if [ "$smoke" != 1 ]; then
	worktree "$BUILD/src-demo-base" base &
	wt_pids+=("$!")
fi
worktree "$BUILD/src-demo-patched" base "${pats[@]}" &
wt_pids+=("$!")
for p in "${wt_pids[@]}"; do wait "$p" || wt_ok=0; done
[ "$wt_ok" = 1 ] || die "making the worktrees failed (above)"

if [ "${DEMO_KUNIT:-0}" = 1 ]; then
	step "the pageattr KUnit suites on the patched tree"
	SRC=$BUILD/src-demo-patched BDIR=demo-kunit "$TOP/scripts/kunit.sh" demo-kunit >/dev/null || true
	cat "$BUILD/results/demo-kunit.sum"
fi

IFS=, read -r -a flavours <<<"${DEMO_FLAVOURS:-arm64}"
[ "$smoke" = 1 ] && flavours=("${flavours[0]}")
main=${flavours[0]}
extra=$out/patched.config
# QEMU's -cpu max has BBML2_NOABORT only in a kernel built for TCG
echo CONFIG_ARM64_BBML2_NOABORT_EMULATED=y >"$extra"

build_kernel() {   # NAME SRC FLAVOUR [FRAGMENT]
	local o=$BUILD/demo-$1 opt
	step "  $1: config (Debian $3), then Image.gz and test_module.ko"
	"$TOP/scripts/democonfig.sh" "$3" "$2" "$o" ${4:+"$4"} 2>>"$out/build-$1.log" ||
		die "the $1 demo config failed; see $out/build-$1.log"
	for opt in BLK_DEV_INITRD PTDUMP DEBUG_WX DEBUG_FS SECRETMEM BPF_SYSCALL KFENCE; do
		grep -q "^CONFIG_$opt=y" "$o/.config" || die "the $1 demo config lacks CONFIG_$opt"
	done
	grep -q '^CONFIG_TEST_LKM=m' "$o/.config" || die "the $1 demo config lacks CONFIG_TEST_LKM=m"
	[ -z "${4:-}" ] || grep -q '^CONFIG_ARM64_BBML2_NOABORT_EMULATED=y' "$o/.config" ||
		die "the $1 demo kernel lacks CONFIG_ARM64_BBML2_NOABORT_EMULATED"
	make -s -C "$2" O="$o" ARCH=arm64 CROSS_COMPILE="$CROSS" CC="$DEMO_CC" \
		-j"$((JOBS + 1))" Image.gz modules >>"$out/build-$1.log" 2>&1 ||
		die "building the $1 kernel failed; see $out/build-$1.log"
	cp "$o/demo-config.diff" "$out/config-$1.diff"
	cp "$o/.config" "$out/config-$1"
}

kernels=()
if [ "$smoke" = 1 ]; then
	step "building the patched kernel (Debian's $main config; bench, test_module)"
else
	step "building base and patched with the same config, Debian's $main (bench, test_module)"
	build_kernel base "$BUILD/src-demo-base" "$main"
	kernels+=(base)
fi
build_kernel patched "$BUILD/src-demo-patched" "$main" "$extra"
kernels+=(patched)
for f in "${flavours[@]:1}"; do
	build_kernel "patched-$f" "$BUILD/src-demo-patched" "$f" "$extra"
	kernels+=("patched-$f")
done
if [ "$smoke" != 1 ]; then
	diff "$out/config-base" "$out/config-patched" >"$out/config-base-patched.diff" || true
	log "base and patched configs differ only where the series adds options: $out/config-base-patched.diff"
fi

step "building the initramfs: /init and the memfd_secret selftest, static arm64"
capinc=$out/capinc
mkdir -p "$capinc/sys"
[ -f /usr/lib/aarch64-linux-gnu/libcap.a ] && [ -f /usr/include/sys/capability.h ] ||
	die "arm64 libcap is missing; run: make deps (or apt-get install libcap-dev:arm64)"
cp /usr/include/sys/capability.h "$capinc/sys/"
"${CROSS}gcc" -static -O2 -Wall -o "$out/init" "$TOP/tools/demo-init.c"
st=$BUILD/src-demo-patched/tools/testing/selftests
"${CROSS}gcc" -static -O2 -I "$st" -I "$capinc" -o "$out/memfd_secret" \
	"$st/mm/memfd_secret.c" /usr/lib/aarch64-linux-gnu/libcap.a
gcc -O2 -o "$out/gen_init_cpio" "$TREE/usr/gen_init_cpio.c"
for k in "${kernels[@]}"; do
	ko=$BUILD/demo-$k/lib/test_module.ko
	[ -f "$ko" ] || die "$ko was not built"
	cat >"$out/initramfs-$k.list" <<LIST
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
nod /dev/null 0666 0 0 c 1 3
dir /proc 0755 0 0
dir /sys 0755 0 0
dir /tmp 01777 0 0
file /init $out/init 0755 0 0
file /memfd_secret $out/memfd_secret 0755 0 0
file /test_module.ko $ko 0644 0 0
LIST
	"$out/gen_init_cpio" "$out/initramfs-$k.list" >"$out/initramfs-$k.cpio"
done
if [ "$build_only" = 1 ]; then
	step "built: ${kernels[*]} (build/demo-NAME), /init and the initramfs in $out"
	exit 0
fi

boot() {   # LOG KERNEL CMDLINE...: one boot, its console in boot-LOG.log
	local label=$1 k=$2 kernel=$BUILD/demo-$2/arch/arm64/boot/Image.gz s
	shift 2
	s=$(date +%s)
	timeout 1200 qemu-system-aarch64 -nodefaults -nographic -serial stdio -no-reboot \
		-machine virt -cpu max,pauth-impdef=on -smp "${SMP:-4}" -m 4096 \
		${ICOUNT:+-icount shift=0,sleep=off} \
		-kernel "$kernel" -initrd "$out/initramfs-$k.cpio" \
		-append "console=ttyAMA0 rdinit=/init panic=-1 $*" >"$out/boot-$label.log" 2>&1 || true
	grep -q '^@@done' "$out/boot-$label.log" ||
		log "warning: the $label boot did not finish; see $out/boot-$label.log"
	log "    $label: $(( $(date +%s) - s ))s"
}

analyse() {   # LABEL [PAGE_KIB]: linear map from the first boot, benchmarks from all
	local label=$1 page=${2:-4} logs
	logs=$(ls "$out"/boot-"$label"-[0-9]*.log 2>/dev/null || true)
	[ -n "$logs" ] || logs=$out/boot-$label.log
	# shellcheck disable=SC2086
	python3 "$TOP/tools/linmap.py" $(echo $logs | cut -d' ' -f1) "$label" "$page" >"$out/linmap-$label.json"
	# shellcheck disable=SC2086
	python3 "$TOP/tools/bench.py" $logs >"$out/bench-$label.json"
}

if [ "$smoke" = 1 ]; then
	step "booting the patched kernel through the benchmarks (quick)"
	boot patched patched demo.mode=full demo.quick=1
	analyse patched
	# and the one-vCPU suite once, with collapse toggled: what the targets
	# are judged on is parsed as make demo parses it
	step "booting the patched kernel with one vCPU and collapse toggled"
	SMP=1 boot toggle-1 patched demo.mode=single demo.toggle=1
	python3 "$TOP/tools/bench.py" "$out/boot-toggle-1.log" >"$out/bench-single-patched.json"
	python3 "$TOP/tools/toggle.py" --json "$out/boot-toggle-1.log" >"$out/toggle.json" ||
		rm -f "$out/toggle.json"
	step "booting the patched kernel with one vCPU under QEMU -icount"
	ICOUNT=1 SMP=1 boot icount-patched-1 patched demo.mode=single demo.settle=2
	python3 "$TOP/tools/bench.py" "$out/boot-icount-patched-1.log" >"$out/bench-icount-patched.json"
else
	# Boots alternate between the kernels, so that whatever the host does
	# meanwhile falls on all of them alike; samples of a kernel are pooled.
	# The kernel with its collapse off once: its linear map after the
	# benchmarks (the storm as it stays); its costs are compared at one
	# vCPU below.
	n=${DEMO_BOOTS:-2}
	for i in $(seq 1 "$n"); do
		if [ "$i" = 1 ]; then
			step "boot $i of $n of each kernel through the benchmarks: base 6.12, patched, patched with arm64.nobbml2 (PTEs only), and once patched with collapse off"
		else
			step "boot $i of $n of each kernel through the benchmarks: base 6.12, patched, patched with arm64.nobbml2 (PTEs only)"
		fi
		# the report reads the linear map and KFENCE from the first
		# boot; the later ones run the benchmarks alone (demo.maps=0:
		# the walks of base's map of pages took 11 s of its 47 s)
		maps=
		[ "$i" = 1 ] || maps=demo.maps=0
		boot "base-$i" base demo.mode=full ${maps:+"$maps"}
		boot "patched-$i" patched demo.mode=full ${maps:+"$maps"}
		boot "patched-nobbml2-$i" patched demo.mode=full arm64.nobbml2 ${maps:+"$maps"}
		[ "$i" != 1 ] ||
			boot "patched-nocollapse-$i" patched demo.mode=full sysctl.vm.linear_map_collapse=0
	done
	# The single-thread costs again, each kernel booted with one vCPU: TCG
	# emulates a broadcast TLBI by stopping all vCPUs, which with four on
	# two host cores costs 6x a 1-page set_memory_ro+rw pair and makes it
	# vary by 40% within a boot and 30% between boots (with one: 1%, 2%).
	n1=${DEMO_SINGLE_BOOTS:-6}
	for i in $(seq 1 "$n1"); do
		step "boot $i of $n1 of each kernel with one vCPU: the single-thread costs and clients"
		SMP=1 boot "single-base-$i" base demo.mode=single
		SMP=1 boot "single-patched-$i" patched demo.mode=single
		SMP=1 boot "single-patched-nobbml2-$i" patched demo.mode=single arm64.nobbml2
		SMP=1 boot "single-patched-nocollapse-$i" patched demo.mode=single \
			sysctl.vm.linear_map_collapse=0
	done
	# The same suite under QEMU -icount shift=0,sleep=off: the guest's clock
	# advances 1 ns for each instruction executed, whatever the host does,
	# and an idle guest jumps to its next timer. So these boots count the
	# kernels' instructions (TCG's soft TLB, and the host, cost nothing in
	# them); 2 s of guest sleep before each part lets the work of the part
	# before (frees, purges, workers) end first, at no host time. One such
	# boot takes about 8 s. What they count does not depend on the host,
	# so they run two at a time, one per host core (140 s for the 24
	# boots instead of 217 s one at a time, 2026-12-03).
	# Six boots of each: every interval but BPF's is its median to two
	# places, but BPF's rounds vary by half whatever the kernel (the
	# deferred frees land in some rounds and not others), and with four
	# boots its block-map interval reached down to 0.94-0.95, below the
	# bar, in three runs of four (30-32), where six gave 0.96 (runs 26
	# and 28).
	ni=${DEMO_ICOUNT_BOOTS:-6}
	for i in $(seq 1 "$ni"); do
		step "boot $i of $ni of each kernel with one vCPU under QEMU -icount: instructions (two at a time)"
		ICOUNT=1 SMP=1 boot "icount-base-$i" base demo.mode=single demo.settle=2 &
		ICOUNT=1 SMP=1 boot "icount-patched-$i" patched demo.mode=single demo.settle=2
		wait
		ICOUNT=1 SMP=1 boot "icount-patched-nobbml2-$i" patched demo.mode=single \
			demo.settle=2 arm64.nobbml2 &
		ICOUNT=1 SMP=1 boot "icount-patched-nocollapse-$i" patched demo.mode=single \
			demo.settle=2 sysctl.vm.linear_map_collapse=0
		wait
	done
	# Collapse on / off for the pairs within each boot (as scripts/toggle.sh):
	# between boots this host's speed varies more than the difference.
	# Eight boots (twelve until 2026-12-03, for the 30 minutes of a cold
	# run): these ratios are the healing's cost, not a target of the demo.
	nt=${DEMO_TOGGLE_BOOTS:-8}
	for i in $(seq 1 "$nt"); do
		step "boot $i of $nt of the patched kernel with one vCPU, collapse switched on and off between pairs samples"
		SMP=1 boot "toggle-$i" patched demo.mode=single demo.toggle=2
	done
	if [ "$nt" -gt 0 ] && ! python3 "$TOP/tools/toggle.py" --json "$out"/boot-toggle-[0-9]*.log \
		>"$out/toggle.json"; then
		log "warning: tools/toggle.py failed on the toggle boots; the report leaves them out"
		rm -f "$out/toggle.json"
	fi
	step "booting the patched kernel with rodata=off (the limit)"
	boot limit patched demo.mode=map rodata=off
	for label in base patched patched-nobbml2 patched-nocollapse limit; do
		analyse "$label"
	done
	# base against itself, its odd boots over its even ones (section 12)
	mapfile -t sb < <(ls "$out"/boot-single-base-[0-9]*.log | sort -V)
	odd=() even=()
	for i in "${!sb[@]}"; do
		if [ $((i % 2)) = 0 ]; then odd+=("${sb[$i]}"); else even+=("${sb[$i]}"); fi
	done
	[ "${#even[@]}" = 0 ] || {
		python3 "$TOP/tools/bench.py" "${odd[@]}" >"$out/bench-single-base-odd.json"
		python3 "$TOP/tools/bench.py" "${even[@]}" >"$out/bench-single-base-even.json"
	}
	for label in base patched patched-nobbml2 patched-nocollapse; do
		python3 "$TOP/tools/bench.py" "$out"/boot-single-"$label"-[0-9]*.log \
			>"$out/bench-single-$label.json"
		[ "$ni" = 0 ] ||
			python3 "$TOP/tools/bench.py" "$out"/boot-icount-"$label"-[0-9]*.log \
				>"$out/bench-icount-$label.json"
	done
	for f in "${flavours[@]:1}"; do
		page=$(sed -n 's/^CONFIG_ARM64_\([0-9]*\)K_PAGES=y$/\1/p' "$BUILD/demo-patched-$f/.config")
		step "the $f flavour (${page}K pages): the patched kernel's linear map after boot"
		boot "$f-patched" "patched-$f" demo.mode=map
		boot "$f-patched-nobbml2" "patched-$f" demo.mode=map arm64.nobbml2
		boot "$f-limit" "patched-$f" demo.mode=map rodata=off
		for label in patched patched-nobbml2 limit; do
			analyse "$f-$label" "$page"
		done
	done
fi

step "writing the report and the picture"
python3 "$TOP/tools/picture.py" "$out/linear-map.svg" "$out"
DEMO_FLAVOURS="${flavours[*]}" python3 "$TOP/tools/report.py" "$out" >"$out/report.md"
if [ "$smoke" != 1 ] && [ -f "$out-prev/report.json" ]; then
	python3 "$TOP/tools/agree.py" "$out-prev" "$out" >"$out/agreement.md" &&
		cat "$out/agreement.md" >>"$out/report.md"
fi
cat "$out/report.md"
step "done: $out/report.md, report.json, linear-map.svg"
