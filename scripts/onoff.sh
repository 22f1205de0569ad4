#!/usr/bin/env bash
# Experiment: where collapse on / off differ in the one-vCPU pairs.
# Boots make demo's patched kernel (build/demo-patched, initramfs from
# build/demo) ONOFF_BOOTS times (6) each way, alternating, with one vCPU:
# collapse on; on but switched off right before the pairs
# (demo.offtput=1); off from boot. Table from tools/onoff.py.
. "$(dirname "$0")/common.sh"

demo=$BUILD/demo
kernel=$BUILD/demo-patched/arch/arm64/boot/Image.gz
[ -f "$kernel" ] && [ -f "$demo/initramfs-patched.cpio" ] ||
	die "no demo kernel; run: make demo"
out=$BUILD/onoff
rm -rf "$out"
mkdir -p "$out"
boot() {   # LABEL CMDLINE...
	local label=$1
	shift
	single_boot "$kernel" "$demo/initramfs-patched.cpio" "$out/boot-single-$label.log" "$@"
}
n=${ONOFF_BOOTS:-6}
for i in $(seq 1 "$n"); do
	log "round $i of $n: on, offtput, off"
	boot "on-$i"
	boot "offtput-$i" demo.offtput=1
	boot "off-$i" sysctl.vm.linear_map_collapse=0
done
python3 "$TOP/tools/onoff.py" "$out" | tee "$out/table.md"
