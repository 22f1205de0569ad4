#!/usr/bin/env bash
# make check: everything that says the series is fit to send.
#   1. patches/ applies with git am to the pristine base, and build/linux is
#      exactly that (so what is tested is what is exported);
#   2. checkpatch --strict: 0 errors, 0 warnings on every patch;
#   3. bisectability: every patch builds and boots on its own;
#   4. the pageattr KUnit suites under QEMU.
# Each item is one row of build/results/check.tsv; the last line printed is
# "N passed, N failed, N skipped" over all rows (KUnit cases count one each).
. "$(dirname "$0")/common.sh"

res=$BUILD/results
mkdir -p "$res"
tsv=$res/check.tsv
: >"$tsv"
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$tsv"; }   # name pass fail skip secs note
from_sum() {   # add a kunit.sh summary line as a row
	read -r n p f s t note <"$1" || true
	row "$n" "${p:-0}" "${f:-1}" "${s:-0}" "${t:-0}" "${note:-}"
}

"$TOP/scripts/deps.sh"
"$TOP/scripts/mktree.sh"
mapfile -t pats < <(series_patches)
[ ${#pats[@]} -gt 0 ] || die "patches/series lists no patch"

# --- 1. the series applies to the pristine base ------------------------------
bis=$BUILD/bisect-src
t0=$(date +%s)
if [ ! -d "$bis" ]; then
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q --detach "$bis" base
fi
git -C "$bis" am --abort >/dev/null 2>&1 || true
git -C "$bis" checkout -q --detach base
if git -C "$bis" am -q --keep-cr "${pats[@]}" >"$res/apply.log" 2>&1; then
	if [ "$(git -C "$bis" rev-parse 'HEAD^{tree}')" = "$(git -C "$TREE" rev-parse 'HEAD^{tree}')" ] &&
	   git -C "$TREE" diff --quiet HEAD --; then
		row apply 1 0 0 $(( $(date +%s) - t0 )) "${#pats[@]} patches"
	else
		row apply 0 1 0 $(( $(date +%s) - t0 )) "build/linux differs from patches/: make series (export) or rm -rf build/linux && make tree"
	fi
else
	row apply 0 1 0 $(( $(date +%s) - t0 )) "git am failed, see build/results/apply.log"
	git -C "$bis" am --abort >/dev/null 2>&1 || true
fi

# --- 2. checkpatch --strict ---------------------------------------------------
for p in "${pats[@]}"; do
	b=$(basename "$p" .patch)
	out=$(cd "$TREE" && ./scripts/checkpatch.pl --strict --show-types "$p" 2>&1 || true)
	printf '%s\n' "$out" >"$res/checkpatch-$b.log"
	tot=$(printf '%s\n' "$out" | grep -E '^total: ' | tail -1)
	e=$(printf '%s' "$tot" | sed -n 's/^total: \([0-9]*\) errors, \([0-9]*\) warnings, \([0-9]*\) checks.*/\1 \2 \3/p')
	read -r ne nw nc <<<"${e:-1 1 1}"
	if [ "$ne" = 0 ] && [ "$nw" = 0 ]; then
		row "checkpatch ${b:0:4}" 1 0 0 0 "$nc checks"
	else
		row "checkpatch ${b:0:4}" 0 1 0 0 "$ne errors, $nw warnings: build/results/checkpatch-$b.log"
	fi
done

# --- 3. every patch builds and boots on its own ------------------------------
if [ "${SKIP_BISECT:-0}" != 1 ]; then
	printf 'CONFIG_KUNIT=y\nCONFIG_KUNIT_EXAMPLE_TEST=y\n' >"$BUILD/bisect.kunitconfig"
	mapfile -t commits < <(git -C "$bis" rev-list --reverse base..HEAD)
	i=0
	for c in "${commits[@]}"; do
		i=$((i + 1))
		git -C "$bis" checkout -q --detach "$c"
		subj=$(git -C "$bis" log -1 --format=%s "$c")
		log "bisect $i/${#commits[@]}: $subj"
		KUNITCONFIG=$BUILD/bisect.kunitconfig SRC=$bis FILTER="example*" \
			"$TOP/scripts/kunit.sh" bisect \
			>/dev/null || true
		read -r _ p f _ t note <"$res/bisect.sum"
		if [ "$p" -gt 0 ] && [ "$f" = 0 ]; then
			row "bisect $(printf '%04d' $i)" 1 0 0 "$t" "builds and boots"
		else
			cp "$res/bisect.log" "$res/bisect-$i.log"
			row "bisect $(printf '%04d' $i)" 0 1 0 "$t" "see build/results/bisect-$i.log"
		fi
	done
fi

# --- 4. KUnit -------------------------------------------------------------------
log "KUnit 4K pages, 4 vCPUs, 4 GiB"
"$TOP/scripts/kunit.sh" 4k >/dev/null || true
from_sum "$res/4k.sum"

"$TOP/scripts/summary.sh" "$tsv"
