#!/usr/bin/env bash
# Build a kernel from build/linux for one configuration and run the pageattr
# KUnit suites in it under QEMU (virt, -cpu max) through the tree's kunit.py.
#
#   scripts/kunit.sh NAME [kunit.py options...]
#
# NAME names the build directory (build/kunit-NAME, or build/kunit-$BDIR
# to share one kernel between runs) and the result files
# (build/results/NAME.{json,log,sum}). Extra options go to kunit.py run,
# e.g. --kconfig_add CONFIG_ARM64_16K_PAGES=y or --kernel_args arm64.nobbml2.
# Set SMP/MEM to change the machine (default 4 vCPUs, 4096 MiB), FILTER to
# run other suites (default pageattr*), SRC to use another source tree,
# SPLAT_CHECK=1 to fail the run on any kernel splat in the log,
# TORTURE_SECS to run pageattr_torture for that many seconds (30).
# KUNITCONFIG is a space-separated list of fragments (default lib/tests).
# SMALL=1 builds the small configuration (scripts/smallconfig.sh: arm64
# allnoconfig + configs/small.config + the KUnit fragments and
# --kconfig_add options) instead of kunit.py's default (olddefconfig);
# SMALL_FRAGS is a space-separated list of more fragments for it, applied
# last, that kunit.py does not see (Debian's options, debug options).
. "$(dirname "$0")/common.sh"

name=${1:?usage: kunit.sh NAME [kunit.py options]}
shift
src=${SRC:-$TREE}
[ -e "$src/.git" ] || die "no kernel tree at $src; run: make tree"
smp=${SMP:-4}
mem=${MEM:-4096}
res=$BUILD/results
bdir=$BUILD/kunit-${BDIR:-$name}
mkdir -p "$res" "$bdir"
# one build at a time per build directory
exec 9>"$bdir.lock"
flock 9
rm -f "$res/$name.json" "$res/$name.sum"

kcs=()
for k in ${KUNITCONFIG:-lib/tests/.kunitconfig}; do kcs+=(--kunitconfig="$k"); done
adds=()   # the --kconfig_add options, for the small configuration
a=("$@")
for ((i = 0; i < ${#a[@]}; i++)); do
	case ${a[i]} in
	--kconfig_add) adds+=(--kconfig_add "${a[i + 1]}"); i=$((i + 1)) ;;
	--kconfig_add=*) adds+=("${a[i]}") ;;
	esac
done

start=$(date +%s)
set +e
(
	cd "$src" &&
	if [ "${SMALL:-0}" = 1 ]; then
		# kunit.py writes the fragments it wants in $bdir/last_used_kunitconfig
		# and keeps a .config that holds all of them without regenerating it
		python3 tools/testing/kunit/kunit.py config \
			--arch=arm64 --cross_compile="$CROSS" --build_dir="$bdir" \
			"${kcs[@]}" "${adds[@]}" --make_options CC="ccache ${CROSS}gcc" &&
		# shellcheck disable=SC2086
		"$TOP/scripts/smallconfig.sh" "$src" "$bdir" "$bdir/last_used_kunitconfig" \
			${SMALL_FRAGS:-}
	fi &&
	python3 tools/testing/kunit/kunit.py run \
		--arch=arm64 --cross_compile="$CROSS" \
		--build_dir="$bdir" \
		"${kcs[@]}" \
		--make_options CC="ccache ${CROSS}gcc" \
		--jobs="$JOBS" --timeout="${KUNIT_TIMEOUT:-900}" \
		--qemu_args "-smp $smp -m $mem" \
		--json="$res/$name.json" \
		${TORTURE_SECS:+--kernel_args "pageattr_kunit.torture_secs=$TORTURE_SECS"} \
		"$@" "${FILTER:-pageattr*}"
) >"$res/$name.log" 2>&1
rc=$?
set -e
secs=$(( $(date +%s) - start ))
cp "$bdir/test.log" "$res/$name.raw.log" 2>/dev/null || : >"$res/$name.raw.log"
python3 "$TOP/scripts/kunit_count.py" "$name" "$res/$name.json" "$secs" "$rc" \
	"${SPLAT_CHECK:+$res/$name.raw.log}" >"$res/$name.sum"
cat "$res/$name.sum"
