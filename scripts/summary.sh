#!/usr/bin/env bash
# Print a results table (name pass fail skip secs note) and the closing line.
tsv=${1:?usage: summary.sh FILE}
awk -F'\t' '
BEGIN { printf "%-22s %6s %6s %6s %6s  %s\n", "item", "passed", "failed", "skip", "secs", "note" }
{ printf "%-22s %6d %6d %6d %6d  %s\n", $1, $2, $3, $4, $5, $6; p += $2; f += $3; s += $4 }
END { printf "%d passed, %d failed, %d skipped\n", p, f, s; exit (f > 0 || p == 0) }' "$tsv"
