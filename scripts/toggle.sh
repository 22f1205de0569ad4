#!/usr/bin/env bash
# Experiment: collapse on / off for the one-vCPU pairs within each boot.
# Boots make demo's patched kernel (build/demo-patched) TOGGLE_BOOTS times
# (10) with one vCPU and demo.toggle=1: the demo's /init switches collapse
# on and off between pairs samples (on, off, off, on, ... 16 samples of
# each layout), so that both states run in the same boot, at whatever speed
# the host gives that boot. The initramfs is make demo's, with /init built
# again from tools/demo-init.c. Table from tools/toggle.py.
#
# TOGGLE_KERNELS="NAME=IMAGE.gz ..." boots other kernels built from the
# demo's config instead, such as two variants of the series, alternating
# boot by boot, each into a directory NAME of its own with its own table;
# TOGGLE_OUT puts the boots and tables elsewhere than build/toggle. The
# initramfs list is make demo's, else that of a build-only run
# (DEMO_SMOKE=1 DEMO_BUILD_ONLY=1 scripts/demo.sh: the patched kernel only).
. "$(dirname "$0")/common.sh"

read -r -a kernels <<<"${TOGGLE_KERNELS:-.=$BUILD/demo-patched/arch/arm64/boot/Image.gz}"
list=$BUILD/demo/initramfs-patched.list
[ -f "$list" ] || list=$BUILD/demo-build/initramfs-patched.list
[ -f "$list" ] || die "no demo initramfs list; run: make demo"
names=" "
for k in "${kernels[@]}"; do
	case $k in *=*) ;; *) die "TOGGLE_KERNELS takes NAME=IMAGE pairs, not '$k'" ;; esac
	[ -n "${TOGGLE_KERNELS:-}" ] || break
	[[ ${k%%=*} =~ ^[A-Za-z0-9_-]+$ ]] || die "TOGGLE_KERNELS: '${k%%=*}' is no name (letters, digits, _ and -)"
	case $names in *" ${k%%=*} "*) die "TOGGLE_KERNELS names ${k%%=*} twice" ;; esac
	names="$names${k%%=*} "
	[ -f "${k#*=}" ] || die "no kernel ${k#*=}; run: make demo"
done
[ -f "${kernels[0]#*=}" ] || die "no kernel ${kernels[0]#*=}; run: make demo"
out=${TOGGLE_OUT:-$BUILD/toggle}
# it is emptied first: only a directory this script made, or a new one
[ ! -e "$out" ] || [ -f "$out/initramfs.list" ] || [ -z "$(ls -A "$out")" ] ||
	die "TOGGLE_OUT=$out holds something else than an earlier toggle run"
rm -rf "$out"
mkdir -p "$out"
"${CROSS}gcc" -static -O2 -Wall -o "$out/init" "$TOP/tools/demo-init.c"
gcc -O2 -o "$out/gen_init_cpio" "$TREE/usr/gen_init_cpio.c"
sed "s|^file /init .*|file /init $out/init 0755 0 0|" "$list" >"$out/initramfs.list"
"$out/gen_init_cpio" "$out/initramfs.list" >"$out/initramfs.cpio"
n=${TOGGLE_BOOTS:-10}
for i in $(seq 1 "$n"); do
	for k in "${kernels[@]}"; do
		log "boot $i of $n: ${k%%=*}"
		mkdir -p "$out/${k%%=*}"
		single_boot "${k#*=}" "$out/initramfs.cpio" "$out/${k%%=*}/boot-$i.log" demo.toggle=1
	done
done
for k in "${kernels[@]}"; do
	[ "${#kernels[@]}" = 1 ] || echo "${k%%=*} (${k#*=}):"
	python3 "$TOP/tools/toggle.py" "$out/${k%%=*}" | tee "$out/${k%%=*}/table.md"
done
