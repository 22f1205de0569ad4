#!/usr/bin/env bash
# make demo: base 6.12 and the patched kernel side by side on the same QEMU
# machine (virt, -cpu max, 4 vCPUs, 4 GiB, 4K pages).
#   1. the pageattr KUnit suites on the patched kernel;
#   2. the linear map of each kernel, from the kernel's own ptdump: leaves by
#      size, page-table bytes, TLB entries; the patched kernel at rodata=off
#      is the limit.
# Report: build/demo/report.md and report.json.
. "$(dirname "$0")/common.sh"

out=$BUILD/demo
mkdir -p "$out"
mapfile -t pats < <(series_patches)

worktree() {   # DIR REV [patches...]: a worktree at REV with patches applied
	local dir=$1 rev=$2
	shift 2
	if [ ! -e "$dir/.git" ]; then
		git -C "$TREE" worktree prune
		git -C "$TREE" worktree add -q --detach "$dir" "$rev"
	fi
	git -C "$dir" am --abort >/dev/null 2>&1 || true
	git -C "$dir" checkout -q --detach "$rev"
	[ $# -eq 0 ] || git -C "$dir" am -q --keep-cr "$@" || die "the series does not apply; see git -C $dir am --show-current-patch"
}

log "sources: base $(git -C "$TREE" log -1 --format=%s base), patched = base + ${#pats[@]} patches"
worktree "$BUILD/src-base" base
worktree "$BUILD/src-patched" base "${pats[@]}"

# --- 1. KUnit --------------------------------------------------------------
log "[1/3] building the patched KUnit kernel and running the pageattr suites"
SRC=$BUILD/src-patched BDIR=demo-kunit "$TOP/scripts/kunit.sh" demo-kunit >/dev/null || true
read -r _ kp kf ks kt knote <"$BUILD/results/demo-kunit.sum"

# --- 2. linear map, base vs patched -------------------------------------------
frag=$out/demo.config
cat >"$frag" <<'CFG'
CONFIG_SERIAL_AMBA_PL011=y
CONFIG_SERIAL_AMBA_PL011_CONSOLE=y
CONFIG_BLK_DEV_INITRD=y
CONFIG_DEBUG_KERNEL=y
CONFIG_DEBUG_FS=y
CONFIG_PTDUMP_DEBUGFS=y
CONFIG_PROC_FS=y
CONFIG_SYSFS=y
CFG

build_kernel() {   # NAME SRC
	local o=$BUILD/demo-$1
	mkdir -p "$o"
	cp "$frag" "$o/.config"
	make -s -C "$2" O="$o" ARCH=arm64 CROSS_COMPILE="$CROSS" CC="ccache ${CROSS}gcc" olddefconfig
	for opt in BLK_DEV_INITRD PTDUMP_DEBUGFS; do
		grep -q "^CONFIG_$opt=y" "$o/.config" || die "demo config lacks CONFIG_$opt"
	done
	make -s -C "$2" O="$o" ARCH=arm64 CROSS_COMPILE="$CROSS" CC="ccache ${CROSS}gcc" \
		-j"$JOBS" Image.gz >"$out/build-$1.log" 2>&1 ||
		die "building the $1 kernel failed; see $out/build-$1.log"
}

log "[2/3] building base and patched kernels with the same config (ptdump)"
build_kernel base "$BUILD/src-base"
build_kernel patched "$BUILD/src-patched"

# initramfs: a static /init that prints the linear map section of ptdump
"${CROSS}gcc" -static -O2 -o "$out/init" "$TOP/tools/demo-init.c"
gcc -O2 -o "$out/gen_init_cpio" "$TREE/usr/gen_init_cpio.c"
cat >"$out/initramfs.list" <<LIST
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0755 0 0
dir /sys 0755 0 0
file /init $out/init 0755 0 0
LIST
"$out/gen_init_cpio" "$out/initramfs.list" >"$out/initramfs.cpio"

boot() {   # LABEL KERNEL CMDLINE...
	local label=$1 kernel=$2
	shift 2
	timeout 300 qemu-system-aarch64 -nodefaults -nographic -serial stdio -no-reboot \
		-machine virt -cpu max,pauth-impdef=on -smp 4 -m 4096 \
		-kernel "$kernel" -initrd "$out/initramfs.cpio" \
		-append "console=ttyAMA0 rdinit=/init $*" >"$out/boot-$label.log" 2>&1 || true
	python3 "$TOP/tools/linmap.py" "$out/boot-$label.log" "$label" >"$out/linmap-$label.json"
}

log "[3/3] booting each kernel and reading its linear map"
boot base "$BUILD/demo-base/arch/arm64/boot/Image.gz"
boot patched "$BUILD/demo-patched/arch/arm64/boot/Image.gz"
boot patched-nobbml2 "$BUILD/demo-patched/arch/arm64/boot/Image.gz" arm64.nobbml2
boot limit "$BUILD/demo-patched/arch/arm64/boot/Image.gz" rodata=off

python3 "$TOP/tools/report.py" "$out" "$kp" "$kf" "$ks" >"$out/report.md"
cat "$out/report.md"
[ "$kf" = 0 ]
