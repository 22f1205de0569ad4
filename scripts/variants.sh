#!/usr/bin/env bash
# Experiment: one throwaway kernel per suspect, against 6.12 and the series,
# in the single-page steps (the bench file's "steps 400").
#
#   scripts/variants.sh NAME=DIFF ...
#
# Each DIFF is a patch against the demo's patched tree (paths from the
# kernel's top, as git diff writes them in build/src-demo-patched). It is
# applied, the demo's patched kernel rebuilt incrementally into
# build/demo-patched (what the diff touches; make demo's compiler, no
# ccache, or the next make demo would rebuild it all), its image kept as
# build/variants/NAME.Image.gz and the change undone; at the end the demo's
# patched kernel is rebuilt as it was. Then VARIANT_BOOTS (6) rounds of one
# boot each, one vCPU, demo.mode=steps, VARIANT_ARGS (arm64.nobbml2) on
# every kernel but base: base, patched, each variant. Needs make demo's
# kernels and initramfs (make demo, or DEMO_BUILD_ONLY=1 scripts/demo.sh).
# Table (tools/variants.py): each step / base, samples taken at the host's
# fast speed only, whole boots resampled.
. "$(dirname "$0")/common.sh"

[ $# -gt 0 ] || die "usage: scripts/variants.sh NAME=DIFF ..."
src=$BUILD/src-demo-patched
o=$BUILD/demo-patched
for k in base patched; do
	[ -f "$BUILD/demo-$k/arch/arm64/boot/Image.gz" ] || die "no demo kernel $k; run: make demo"
done
ird=$BUILD/demo
[ -f "$ird/initramfs-base.cpio" ] || ird=$BUILD/demo-build
[ -f "$ird/initramfs-base.cpio" ] || die "no demo initramfs; run: make demo"
out=$BUILD/variants
rm -rf "$out"
mkdir -p "$out"

mk() {
	make -s -C "$src" O="$o" ARCH=arm64 CROSS_COMPILE="$CROSS" CC="$DEMO_CC" \
		-j"$((JOBS + 1))" Image.gz >>"$out/build.log" 2>&1
}

names=()
for v in "$@"; do
	name=${v%%=*}
	diff=$(realpath "${v#*=}")
	[ -f "$diff" ] || die "$diff: no such diff"
	git -C "$src" apply --check "$diff" || die "$diff does not apply to $src"
	log "building variant $name"
	git -C "$src" apply "$diff"
	# a failed build leaves the demo's tree as it was
	mk || { git -C "$src" apply -R "$diff"; die "building $name failed; see $out/build.log"; }
	cp "$o/arch/arm64/boot/Image.gz" "$out/$name.Image.gz"
	git -C "$src" apply -R "$diff"
	names+=("$name")
done
log "rebuilding the demo's patched kernel as it was"
mk || die "rebuilding the demo's patched kernel failed; see $out/build.log"

args=${VARIANT_ARGS-arm64.nobbml2}
n=${VARIANT_BOOTS:-6}
for i in $(seq 1 "$n"); do
	log "round $i of $n: base patched ${names[*]}"
	for k in base patched "${names[@]}"; do
		mkdir -p "$out/$k"
		case $k in
		base) img=$BUILD/demo-base/arch/arm64/boot/Image.gz; cpio=$ird/initramfs-base.cpio; a= ;;
		patched) img=$BUILD/demo-patched/arch/arm64/boot/Image.gz; cpio=$ird/initramfs-patched.cpio; a=$args ;;
		*) img=$out/$k.Image.gz; cpio=$ird/initramfs-patched.cpio; a=$args ;;
		esac
		# shellcheck disable=SC2086
		single_boot "$img" "$cpio" "$out/$k/boot-$i.log" demo.mode=steps $a
	done
done
python3 "$TOP/tools/variants.py" "$out" base patched "${names[@]}" | tee "$out/table.md"
