#!/usr/bin/env bash
# Configure a small kernel: arm64 allnoconfig plus configs/small.config plus
# the given fragments, in build directory O for source tree SRC.
#
#   scripts/smallconfig.sh SRC O [FRAGMENT...]
#
# Every option the fragments set (=y, =n, "is not set", =value) must hold
# in the resulting .config; one that does not (a typo, an unmet
# dependency) stops with the list, rather than testing another kernel
# than the one asked for.
. "$(dirname "$0")/common.sh"

src=${1:?usage: smallconfig.sh SRC O [FRAGMENT...]}
o=${2:?usage: smallconfig.sh SRC O [FRAGMENT...]}
shift 2
mkdir -p "$o"
o=$(cd "$o" && pwd)
frag=$o/small.fragment
cat "$TOP/configs/small.config" "$@" >"$frag"
make -s -C "$src" O="$o" ARCH=arm64 CROSS_COMPILE="$CROSS" \
	KCONFIG_ALLCONFIG="$frag" allnoconfig >"$o/small.log" 2>&1 ||
	die "allnoconfig failed in $o; see $o/small.log"
# what was asked for, as "NAME=VALUE" (VALUE n for "is not set"); a later
# fragment overrides an earlier one, as in kconfig
missing=$(sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(.*\)$/\1=\2/p' \
	-e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1=n/p' "$frag" | tac |
	awk -F= '!seen[$1]++' |
	while IFS='=' read -r name val; do
		have=$(sed -n "s/^$name=//p" "$o/.config")
		[ -n "$have" ] || have=n
		[ "$have" = "$val" ] || printf '%s=%s (have %s) ' "$name" "$val" "$have"
	done)
[ -z "$missing" ] || die "small config in $o lacks: $missing"
