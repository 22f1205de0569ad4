#!/usr/bin/env bash
# The kernel config of make demo: Debian's own config of one arm64 flavour
# (package linux-config-6.12:arm64, fetched by scripts/debconfig.sh), with
# only what costs build time and cannot change the linear map taken out:
#
#   - modules: every =m option is turned off, except CONFIG_TEST_LKM=m (the
#     kernel's test_module, the demo's module load/unload client);
#   - the SoC platforms (ARCH_* of arch/arm64/Kconfig.platforms): QEMU virt
#     is none of them, and they only select drivers and pin/clock tables;
#   - the drivers QEMU virt does not have: every option defined under a
#     directory of drivers/ (or sound/) other than those of the devices and
#     core code a virt machine booted with -kernel and a device tree uses
#     (KEEP_DRIVERS below); a driver with no device probes nothing;
#   - EFI, ACPI, KVM and Xen: with -kernel and a device tree there is no
#     EFI and no ACPI, and at EL1 with no hypervisor KVM and Xen stay idle
#     (as for the kernels of make check);
#   - of PCI (virt's ECAM host bridge; make lifecycle's swap disk is
#     virtio-blk-pci), the other SoCs' host bridges, hotplug slots and
#     endpoint mode: drivers/pci/{controller,hotplug,endpoint} but the
#     generic host;
#   - the network protocols (every option under net/ but the core, netlink,
#     AF_UNIX and the BPF and XDP glue: the demo has no network device),
#     netfilter and ethtool's netlink interface, with nothing to filter or
#     configure,
#     the file systems beyond the in-memory ones the demo mounts (proc,
#     sysfs, debugfs, tmpfs, hugetlbfs, ramfs; it has no disk) and io_uring:
#     code that no benchmark or client runs and that never changes the
#     permissions of kernel memory (none of them calls set_memory_*() or
#     set_direct_map_*() in 6.12);
#   - debug info and BTF (DEBUG_INFO_NONE) and module compression: build
#     artefacts, not code the guest runs. (Modules stay signed at install, as
#     lockdown selects MODULE_SIG; the demo loads test_module.ko unsigned.)
#   - MODVERSIONS: the CRCs of exported symbols. Making them runs the
#     preprocessor a second time over every file that exports a symbol
#     (genksyms): 809 of the base kernel's 2,489 compiler runs, 18% of its
#     compile time (2026-12-03, this machine). In the guest it only adds a
#     CRC compare per symbol test_module imports, to base and patched
#     alike; no code that maps kernel memory reads it.
#
# Two options are added for make lifecycle, in every demo kernel alike:
# CONFIG_VIRTIO_BLK=y (its swap disk for hibernation; Debian builds it as a
# module) and CONFIG_KEXEC_FILE=y (kexec_file_load(), which builds the next
# kernel's device tree and the crash kernel's ELF core header itself;
# Debian's arm64 flavours have CONFIG_KEXEC only). Neither changes how 6.12
# maps the kernel: no code under arch/arm64/mm tests either, and the crash
# kernel region has been block-mapped like the rest since 6.2, which took
# its protection away (arch_kexec_protect_crashkres() is not defined for
# arm64 in 6.12).
#
# Everything else keeps Debian's value: the LSMs (lockdown, IMA, AppArmor,
# SELinux...), BPF, the network stack, file systems, crypto, and all that
# kernel/, mm/ and arch/ build. The script then checks, after
# olddefconfig, that each option of configs/debian-linear-map.list (what
# decides how the kernel maps itself) has exactly Debian's value, and writes
# the full list of differences beside the config.
#
# Usage: scripts/democonfig.sh FLAVOUR SRC OUT_DIR [EXTRA_FRAGMENT]
#   FLAVOUR is arm64 or arm64-16k; OUT_DIR gets .config (olddefconfig'd in
#   SRC with O=OUT_DIR), debian.config, and demo-config.diff.
. "$(dirname "$0")/common.sh"

[ $# -ge 3 ] || die "usage: $0 arm64|arm64-16k SRC OUT_DIR [EXTRA_FRAGMENT]"
flav=$1 src=$2 o=$3 extra=${4:-}
case $flav in
arm64) cfg=config.arm64_none_arm64.xz ;;
arm64-16k) cfg=config.arm64_none_arm64-16k.xz ;;
*) die "unknown demo flavour '$flav' (arm64, arm64-16k)" ;;
esac
cfgdir=$BUILD/debian-config/usr/src/linux-config-6.12
mkdir -p "$o"
# fetches the package when it is not there yet (and writes the fragment of
# the options that decide the linear map, for reference)
[ -f "$cfgdir/$cfg" ] || "$TOP/scripts/debconfig.sh" "$flav" "$o/debian-linear-map.config"
[ -f "$cfgdir/$cfg" ] || die "$cfgdir/$cfg is missing; run: scripts/debconfig.sh $flav /tmp/x.config"
xz -dc "$cfgdir/$cfg" >"$o/debian.config"

KEEP_DRIVERS=" base of irqchip clocksource clk tty char virtio pci firmware rtc block
	cpuidle perf reset dma-buf dma nvmem "
# the options to turn off: platforms, drivers, EFI, ACPI, KVM, Xen
off=$o/demo-off.list
{
	sed -n 's/^config \(ARCH_[A-Z0-9_]*\)$/\1/p' "$src/arch/arm64/Kconfig.platforms"
	(cd "$src" && grep -rH --include='Kconfig*' -E '^[[:space:]]*(menu)?config [A-Z0-9_]+[[:space:]]*$' drivers sound) |
		sed -E 's/^([^:]*):[[:space:]]*(menu)?config ([A-Z0-9_]+).*$/\3 \1/' |
		while read -r sym file; do
			d=${file#*/}; d=${d%%/*}
			case $file in sound/*) d=sound ;; esac
			# of PCI, the core and ECAM host bridge virt has (make
			# lifecycle's swap disk is virtio-blk-pci): other SoCs'
			# host bridges, hotplug slots and endpoint mode go
			case $file in drivers/pci/controller/* | drivers/pci/hotplug/* | drivers/pci/endpoint/*)
				case $sym in PCI_HOST_COMMON | PCI_HOST_GENERIC) ;; *) echo "$sym" ;; esac
				continue ;;
			esac
			case " ${KEEP_DRIVERS//[[:space:]]/ } " in *" $d "*) ;; *) echo "$sym" ;; esac
		done
	(cd "$src" && grep -rH --include='Kconfig*' -E '^[[:space:]]*(menu)?config [A-Z0-9_]+[[:space:]]*$' net fs) |
		sed -E 's/^([^:]*):[[:space:]]*(menu)?config ([A-Z0-9_]+).*$/\3 \1/' |
		while read -r sym file; do
			case $file in
			net/Kconfig | net/core/* | net/netlink/* | net/unix/* | net/bpf/* | net/xdp/* | \
			fs/Kconfig* | fs/proc/* | fs/sysfs/* | fs/kernfs/* | fs/debugfs/* | fs/tracefs/* | \
			fs/ramfs/* | fs/hugetlbfs/* | fs/notify/* | fs/devpts/*) ;;
			*) echo "$sym" ;;
			esac
		done
	printf '%s\n' EFI ACPI KVM XEN INET IO_URING NETFILTER ETHTOOL_NETLINK
} | sort -u >"$off"
{
	sed -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=m$/# \1 is not set/' "$o/debian.config" |
		awk 'NR == FNR { off["CONFIG_" $1] = 1; next }
		/^CONFIG_/ { k = substr($0, 1, index($0, "=") - 1); if (k in off) next }
		{ print }' "$off" -
	sed 's/^\(.*\)$/# CONFIG_\1 is not set/' "$off"
	cat <<'CFG'
CONFIG_TEST_LKM=m
CONFIG_DEBUG_INFO_NONE=y
# CONFIG_DEBUG_INFO is not set
# CONFIG_DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT is not set
# CONFIG_DEBUG_INFO_BTF is not set
# CONFIG_MODULE_COMPRESS is not set
# CONFIG_MODVERSIONS is not set
CONFIG_MODULE_COMPRESS_NONE=y
CONFIG_SYSTEM_TRUSTED_KEYS=""
CONFIG_SYSTEM_REVOCATION_KEYS=""
CONFIG_VIRTIO_BLK=y
CONFIG_KEXEC_FILE=y
CFG
	[ -z "$extra" ] || cat "$extra"
} >"$o/.config"
make -s -C "$src" O="$o" ARCH=arm64 CROSS_COMPILE="$CROSS" \
	CC="$DEMO_CC" olddefconfig >/dev/null

# what changed from Debian's config, and that nothing listed did
norm() { sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(.*\)$/\1 \2/p' \
	-e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1 n/p' "$1" | sort; }
join -a1 -a2 -e n -o 0,1.2,2.2 <(norm "$o/debian.config") <(norm "$o/.config") |
	awk '$2 != $3 && !($2 == "m" && $3 == "n") { print $1, $2, "->", $3 }' >"$o/demo-config.diff"
bad=
while read -r opt; do
	opt=${opt%%#*}; opt=${opt//[[:space:]]/}
	[ -n "$opt" ] || continue
	d=$(norm "$o/debian.config" | awk -v k="CONFIG_$opt" '$1 == k { print $2 }')
	n=$(norm "$o/.config" | awk -v k="CONFIG_$opt" '$1 == k { print $2 }')
	[ "${d:-n}" = m ] && d=n
	# added for make lifecycle (above): must be on, whatever Debian has
	case $opt in KEXEC_FILE) d=y ;; esac
	[ "${d:-n}" = "${n:-n}" ] || bad="$bad CONFIG_$opt=${d:-n}->${n:-n}"
done <"$TOP/configs/debian-linear-map.list"
[ -z "$bad" ] ||
	die "the demo config changes options that decide the linear map:$bad"
log "demo config $flav: Debian $cfg with $(grep -c . "$o/demo-config.diff") options changed (=m dropped not counted): $o/demo-config.diff"
