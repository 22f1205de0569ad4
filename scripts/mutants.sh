#!/usr/bin/env bash
# make mutants: the tests must fail on broken splitting. Each mutant of the
# series (tools/mutants.py) is applied to a worktree of build/linux
# (build/mutant), and the pageattr_torture suite runs for its default
# duration in the 4K small kernel, RUNS times each (3); a mutant is caught
# in a run that reports violations. The table is build/results/mutants.md.
# MUTANTS="a b" runs only those; RACE_MS sets pageattr_kunit.collapse_race_ms
# for the collapse mutants (default: the test's own 3 s, as in make check).
. "$(dirname "$0")/common.sh"

[ -e "$TREE/.git" ] || die "no kernel tree at $TREE; run: make tree"
runs=${RUNS:-3}
wt=$BUILD/mutant
if [ ! -e "$wt/.git" ]; then
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q --detach "$wt" HEAD
fi
out=$BUILD/results/mutants.md
mkdir -p "$BUILD/results"
printf '| mutant | run | caught | violations |\n|---|---|---|---|\n' >"$out"
for m in ${MUTANTS:-$(python3 "$TOP/tools/mutants.py" --list)}; do
	git -C "$wt" checkout -q -f --detach "$(git -C "$TREE" rev-parse HEAD)"
	python3 "$TOP/tools/mutants.py" "$m" "$wt" || die "mutant $m does not apply"
	# collapse mutants: the collapse suite too (its race test); freeing
	# without a grace period shows as a use-after-free: KASAN, in the
	# Debian debug kernel
	filter=pageattr_torture bdir=mutant frags= args=()
	case $m in
	collapse-*) filter='pageattr_[ct]o*'
		[ -z "${RACE_MS:-}" ] ||
			args=(--kernel_args "pageattr_kunit.collapse_race_ms=$RACE_MS") ;;
	esac
	if [ "$m" = collapse-no-grace ]; then
		bdir=mutant-debug frags=$(debian_debug_frags)
	fi
	for r in $(seq 1 "$runs"); do
		log "mutant $m, run $r of $runs"
		SMALL=1 SMALL_FRAGS="$frags" SPLAT_CHECK=1 SRC=$wt BDIR=$bdir FILTER=$filter \
			"$TOP/scripts/kunit.sh" "mutant-$m-$r" "${args[@]}" >/dev/null || true
		raw=$BUILD/results/mutant-$m-$r.raw.log
		v=$(sed -n 's/.*pageattr_torture: violations: //p' "$raw" | tail -1)
		caught=no
		echo "$v" | grep -qE '=[1-9]' && caught=yes
		# a failed case (the collapse race: a change lost) or a splat
		f=$(awk '{print $3}' "$BUILD/results/mutant-$m-$r.sum" 2>/dev/null)
		lost=$(sed -n 's/.*pageattr_collapse_race: .*; \(lost [0-9]*, wrong [0-9]*\)/\1/p' "$raw" | tail -1)
		kasan=$(grep -c 'BUG: KASAN' "$raw" || true)
		[ "${f:-1}" != 0 ] && caught=yes
		[ "${kasan:-0}" != 0 ] && caught=yes
		v="${v:-no torture report}${lost:+; race: $lost}${kasan:+; KASAN reports: $kasan}"
		printf '| %s | %s | %s | %s |\n' "$m" "$r" "$caught" "$v" >>"$out"
	done
done
git -C "$wt" checkout -q -f --detach "$(git -C "$TREE" rev-parse HEAD)"
cat "$out"
