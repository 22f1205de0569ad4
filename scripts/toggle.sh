#!/usr/bin/env bash
# Experiment: collapse on / off for the one-vCPU pairs within each boot.
# Boots make demo's patched kernel (build/demo-patched) TOGGLE_BOOTS times
# (10) with one vCPU and demo.toggle=1: the demo's /init switches collapse
# on and off between pairs samples (on, off, off, on, ... 16 samples of
# each layout), so that both states run in the same boot, at whatever speed
# the host gives that boot. The initramfs is make demo's, with /init built
# again from tools/demo-init.c. Table from tools/toggle.py.
. "$(dirname "$0")/common.sh"

demo=$BUILD/demo
kernel=$BUILD/demo-patched/arch/arm64/boot/Image.gz
list=$demo/initramfs-patched.list
[ -f "$kernel" ] && [ -f "$list" ] || die "no demo kernel or initramfs list; run: make demo"
out=$BUILD/toggle
rm -rf "$out"
mkdir -p "$out"
"${CROSS}gcc" -static -O2 -Wall -o "$out/init" "$TOP/tools/demo-init.c"
gcc -O2 -o "$out/gen_init_cpio" "$TREE/usr/gen_init_cpio.c"
sed "s|^file /init .*|file /init $out/init 0755 0 0|" "$list" >"$out/initramfs.list"
"$out/gen_init_cpio" "$out/initramfs.list" >"$out/initramfs.cpio"
n=${TOGGLE_BOOTS:-10}
for i in $(seq 1 "$n"); do
	log "boot $i of $n"
	single_boot "$kernel" "$out/initramfs.cpio" "$out/boot-$i.log" demo.toggle=1
done
python3 "$TOP/tools/toggle.py" "$out" | tee "$out/table.md"
