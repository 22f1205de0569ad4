#!/usr/bin/env bash
# Experiment: the host's speed beside each one-vCPU sample. Boots make
# demo's base and patched kernels (built by make demo or
# DEMO_BUILD_ONLY=1 scripts/demo.sh) SPEEDREF_BOOTS times (8) each with one
# vCPU, alternating base, patched, patched with arm64.nobbml2; /init is
# built again from tools/demo-init.c and times its fixed reference work
# before every sample. Table from tools/speedref.py: the patched / base
# intervals raw and corrected for the host's speed, each way.
. "$(dirname "$0")/common.sh"

out=$BUILD/speedref
for k in base patched; do
	[ -f "$BUILD/demo-$k/arch/arm64/boot/Image.gz" ] || die "no demo kernel $k; run: make demo"
done
src=$BUILD/demo
[ -f "$src/initramfs-base.list" ] || src=$BUILD/demo-build
[ -f "$src/initramfs-base.list" ] || die "no demo initramfs lists; run: make demo"
rm -rf "$out"
mkdir -p "$out"
"${CROSS}gcc" -static -O2 -Wall -o "$out/init" "$TOP/tools/demo-init.c"
gcc -O2 -o "$out/gen_init_cpio" "$TREE/usr/gen_init_cpio.c"
for k in base patched; do
	sed "s|^file /init .*|file /init $out/init 0755 0 0|" "$src/initramfs-$k.list" >"$out/initramfs-$k.list"
	"$out/gen_init_cpio" "$out/initramfs-$k.list" >"$out/initramfs-$k.cpio"
done
n=${SPEEDREF_BOOTS:-8}
for i in $(seq 1 "$n"); do
	log "round $i of $n: base, patched, patched-nobbml2"
	mkdir -p "$out/base" "$out/patched" "$out/patched-nobbml2"
	single_boot "$BUILD/demo-base/arch/arm64/boot/Image.gz" "$out/initramfs-base.cpio" "$out/base/boot-$i.log"
	single_boot "$BUILD/demo-patched/arch/arm64/boot/Image.gz" "$out/initramfs-patched.cpio" \
		"$out/patched/boot-$i.log"
	single_boot "$BUILD/demo-patched/arch/arm64/boot/Image.gz" "$out/initramfs-patched.cpio" \
		"$out/patched-nobbml2/boot-$i.log" arm64.nobbml2
done
python3 "$TOP/tools/speedref.py" "$out" | tee "$out/table.md"
