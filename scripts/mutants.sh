#!/usr/bin/env bash
# make mutants: the tests must fail on broken splitting. Each mutant of the
# series (tools/mutants.py) is applied to a worktree of build/linux
# (build/mutant), and the pageattr_torture suite runs for its default
# duration in the 4K small kernel, RUNS times each (3); a mutant is caught
# in a run that reports violations. The table is build/results/mutants.md.
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
for m in $(python3 "$TOP/tools/mutants.py" --list); do
	git -C "$wt" checkout -q -f --detach "$(git -C "$TREE" rev-parse HEAD)"
	python3 "$TOP/tools/mutants.py" "$m" "$wt" || die "mutant $m does not apply"
	for r in $(seq 1 "$runs"); do
		log "mutant $m, run $r of $runs"
		SMALL=1 SRC=$wt BDIR=mutant FILTER=pageattr_torture \
			"$TOP/scripts/kunit.sh" "mutant-$m-$r" >/dev/null || true
		v=$(sed -n 's/.*pageattr_torture: violations: //p' "$BUILD/results/mutant-$m-$r.raw.log" | tail -1)
		caught=no
		echo "$v" | grep -qE '=[1-9]' && caught=yes
		printf '| %s | %s | %s | %s |\n' "$m" "$r" "$caught" "${v:-no report}" >>"$out"
	done
done
git -C "$wt" checkout -q -f --detach "$(git -C "$TREE" rev-parse HEAD)"
cat "$out"
