#!/usr/bin/env bash
# make lifecycle: hibernation and resume, kexec and kdump on base 6.12, on
# the patched kernel and on the patched kernel with arm64.nobbml2, each
# starting from a linear map that has been split and changed. The kernels
# are make demo's (Debian's arm64 config, scripts/democonfig.sh, which adds
# VIRTIO_BLK=y and KEXEC_FILE=y for this); /init is tools/demo-init.c, and
# the kernel side of the checks is the bench file's "life" commands.
#
#   hotremove  (mem=3G, the rest left out) the same changes, then the bench
#              file hot-adds the 1 GiB mem= left out, onlines it movable,
#              writes into each memory block but the middle one, removes
#              that one: both sides stay mapped and keep what was written,
#              the block is gone from the linear map, every linear-map entry
#              maps its own address, and DirectMap (the patched kernel's)
#              follows each step
#   hibernate  boot 1 (demo.mode=hibernate): test_module and a BPF program
#              loaded, a read-only vmalloc area, pages out of the linear
#              map, 64 MiB of pattern; swap on a virtio-blk disk;
#              echo disk > /sys/power/state. Boot 2 (demo.mode=resume)
#              restores the image; the program that hibernated checks its
#              pattern, the kernel state and the ptdump of the linear map
#   kexec      the same changes, kexec_file_load() of this kernel and
#              reboot(LINUX_REBOOT_CMD_KEXEC); the new kernel reaches /init
#              and walks its linear map
#   kdump      the same changes and a page of pattern, crashkernel=, the
#              crash kernel loaded with KEXEC_FILE_ON_CRASH, sysrq c; the
#              crash kernel reads /proc/vmcore (ELF headers, VMCOREINFO, the
#              pattern page at its physical address, 256 MiB)
#
# Each boot's console: build/lifecycle/LABEL.log; the table:
# build/lifecycle/table.md. A test passes when every "@@life" check of it
# passed and no log shows a splat (WARNING, BUG, Oops, lockdep, KASAN) other
# than kdump's own panic.
#
# Kernels: base 6.12 and the patched kernel as QEMU's -cpu max runs them,
# with five levels of tables (52-bit VA, LPA2), and with arm64.nolva (48-bit
# VA, four levels, as on most CPUs today); the patched kernel also with
# arm64.nobbml2. Base 6.12 cannot kexec or resume with five levels: its
# trans_pgd_create_copy() faults (patch 1 of the series fixes it); the
# table says so where that is the failure.
#
# LIFE_SMOKE=1 (make check): the patched kernel only, with and without
# arm64.nobbml2 (base 6.12 needs a kernel of its own; make lifecycle has it).
# LIFE_TESTS, LIFE_RUNS: subsets, e.g. LIFE_TESTS=kexec LIFE_RUNS=patched.
. "$(dirname "$0")/common.sh"

smoke=${LIFE_SMOKE:-0}
out=$BUILD/lifecycle
[ "$smoke" = 1 ] && out=$BUILD/lifecycle-smoke
read -r -a tests <<<"${LIFE_TESTS:-hotremove hibernate kexec kdump}"
command -v mkswap >/dev/null || [ -x /sbin/mkswap ] ||
	die "mkswap is missing; run: apt-get install util-linux"
MKSWAP=$(command -v mkswap || echo /sbin/mkswap)
t0=$(date +%s)
step() { log "[$(( $(date +%s) - t0 ))s] $*"; }

step "building the kernels and /init (make demo's, scripts/demo.sh with DEMO_BUILD_ONLY=1)"
DEMO_BUILD_ONLY=1 DEMO_SMOKE=$smoke "$TOP/scripts/demo.sh" ||
	die "building the demo kernels failed; see $BUILD/demo-build"
rm -rf "$out"
mkdir -p "$out"
db=$BUILD/demo-build

if [ "$smoke" = 1 ]; then
	runs=(patched patched-nobbml2)
else
	runs=(base base-nolva patched patched-nolva patched-nobbml2)
fi
[ -z "${LIFE_RUNS:-}" ] || read -r -a runs <<<"$LIFE_RUNS"
kernel_of() { case $1 in base) echo base ;; *) echo patched ;; esac; }
args_of() { case $1 in *-nobbml2) echo arm64.nobbml2 ;; *-nolva) echo arm64.nolva ;; esac; }

# per kernel: the small initramfs the next kernel boots (just /init), and
# the one the first boots (with /Image, that initramfs and test_module)
for k in $(printf '%s\n' "${runs[@]}" | while read -r r; do kernel_of "$r"; done | sort -u); do
	kd=$BUILD/demo-$k
	cat >"$out/initrd2-$k.list" <<LIST
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
nod /dev/null 0666 0 0 c 1 3
dir /proc 0755 0 0
dir /sys 0755 0 0
dir /tmp 01777 0 0
file /init $db/init 0755 0 0
LIST
	"$db/gen_init_cpio" "$out/initrd2-$k.list" >"$out/initrd2-$k.cpio"
	cp "$out/initrd2-$k.list" "$out/initrd-$k.list"
	cat >>"$out/initrd-$k.list" <<LIST
file /test_module.ko $kd/lib/test_module.ko 0644 0 0
file /Image $kd/arch/arm64/boot/Image 0644 0 0
file /initrd2.cpio $out/initrd2-$k.cpio 0644 0 0
LIST
	"$db/gen_init_cpio" "$out/initrd-$k.list" >"$out/initrd-$k.cpio"
done

qboot() {   # LABEL KERNEL DISK|- CMDLINE...: one boot, console in LABEL.log
	local label=$1 k=$2 disk=$3 s
	local -a dev=()
	shift 3
	# shellcheck disable=SC2054 # QEMU options, not array elements
	[ "$disk" = - ] || dev=(-drive "file=$disk,format=raw,if=none,id=swap"
		-device virtio-blk-pci,drive=swap)
	s=$(date +%s)
	timeout 300 qemu-system-aarch64 -nodefaults -nographic -serial stdio -no-reboot \
		-machine virt -cpu max,pauth-impdef=on -smp 4 -m 4096 "${dev[@]}" \
		-kernel "$BUILD/demo-$k/arch/arm64/boot/Image.gz" -initrd "$out/initrd-$k.cpio" \
		-append "console=ttyAMA0 rdinit=/init panic=-1 $*" >"$out/$label.log" 2>&1 || true
	log "    $label: $(( $(date +%s) - s ))s"
}

# splats in a log, from the line matching FROM (or the start) on
splats() {   # LOG [FROM] [UNTIL]
	awk -v from="${2:-}" -v until="${3:-}" '
		from != "" && !on && index($0, from) { on = 1 }
		from == "" { on = 1 }
		until != "" && index($0, until) { on = 0 }
		on && /(WARNING:|BUG:|Oops|Unable to handle|Call trace:|possible circular|inconsistent lock|sleeping function called|KASAN|kernel BUG|Kernel panic)/ { print; n++ }
		END { exit n > 0 }' "$1"
}

# the verdict of a test from its logs: "pass" or "FAIL: what"
verdict() {   # LOG...: the last log holds @@life-result
	local last=${*: -1} fails
	fails=$(cat "$@" | sed -n 's/^@@life \([^ ]*\) FAIL.*/\1/p' | paste -sd, -)
	if [ -n "$fails" ]; then
		echo "FAIL: $fails"
	elif ! grep -q '^@@life-result ok' "$last"; then
		echo "FAIL: did not finish ($(grep '^@@life ' "$@" | tail -1 | cut -d' ' -f2- | tr -d '\r'))"
	else
		echo pass
	fi
}

declare -A cell
for r in "${runs[@]}"; do
	k=$(kernel_of "$r")
	# shellcheck disable=SC2046
	set -- $(args_of "$r")
	for t in "${tests[@]}"; do
		s=$(date +%s)
		step "$t on $r"
		case $t in
		hotremove)
			qboot "$r-hotremove" "$k" - demo.mode=hotplug mem=3G memhp_default_state=offline "$@"
			v=$(verdict "$out/$r-hotremove.log")
			if [ "$v" = pass ] && ! sp=$(splats "$out/$r-hotremove.log"); then
				v="FAIL: splat: $(echo "$sp" | head -1)"
			fi
			;;
		hibernate)
			disk=$out/swap-$r.img
			rm -f "$disk"
			truncate -s 2G "$disk"
			"$MKSWAP" -q "$disk" >/dev/null
			qboot "$r-hibernate" "$k" "$disk" demo.mode=hibernate no_console_suspend "$@"
			qboot "$r-resume" "$k" "$disk" demo.mode=resume no_console_suspend "$@"
			rm -f "$disk"
			v=$(verdict "$out/$r-hibernate.log" "$out/$r-resume.log")
			grep -q '^@@life hibernating' "$out/$r-hibernate.log" || v="FAIL: did not hibernate"
			if [ "$v" = pass ] && ! sp=$(splats "$out/$r-hibernate.log"; splats "$out/$r-resume.log"); then
				v="FAIL: splat: $(echo "$sp" | head -1)"
			fi
			;;
		kexec)
			qboot "$r-kexec" "$k" - demo.mode=kexec "$@"
			v=$(verdict "$out/$r-kexec.log")
			if [ "$v" = pass ] && ! sp=$(splats "$out/$r-kexec.log"); then
				v="FAIL: splat: $(echo "$sp" | head -1)"
			fi
			;;
		kdump)
			qboot "$r-kdump" "$k" - demo.mode=kdump crashkernel=384M "$@"
			v=$(verdict "$out/$r-kdump.log")
			# sysrq c panics on purpose: splats before it, and in the crash kernel
			if [ "$v" = pass ] && ! sp=$(splats "$out/$r-kdump.log" "" "@@life crashing"; \
				splats "$out/$r-kdump.log" "Starting crashdump kernel"); then
				v="FAIL: splat: $(echo "$sp" | head -1)"
			fi
			;;
		*) die "unknown lifecycle test '$t' (hotremove, hibernate, kexec, kdump)" ;;
		esac
		# 6.12's own bug with five levels, which patch 1 fixes: expected on base
		if [ "$k" = base ] && [ "$v" != pass ] &&
			cat "$out/$r-$t.log" "$out/$r-resume.log" 2>/dev/null |
			grep -q 'pc : trans_pgd_create_copy'; then
			v="6.12 bug: trans_pgd_create_copy() oops (patch 1 fixes it)"
		fi
		cell[$r,$t]="$v ($(( $(date +%s) - s )) s)"
		log "    $t on $r: ${cell[$r,$t]}"
	done
done

{
	printf '| test |'; printf ' %s |' "${runs[@]}"; echo
	printf '|---|'; printf -- '---|%.0s' "${runs[@]}"; echo
	for t in "${tests[@]}"; do
		printf '| %s |' "$t"
		for r in "${runs[@]}"; do printf ' %s |' "${cell[$r,$t]}"; done
		echo
	done
} >"$out/table.md"
cat "$out/table.md"
step "done: $out/table.md, logs in $out"
! grep -q FAIL "$out/table.md"
