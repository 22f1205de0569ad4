#!/usr/bin/env python3
"""make check's rows from make lifecycle's table: one per test and kernel.

Usage: lifecycle_rows.py TABLE.md; prints rows of build/results/check.tsv
(name, passed, failed, skipped, seconds, note).
"""
import re
import sys


def main(path):
    with open(path) as f:
        rows = [[c.strip() for c in line.strip().strip("|").split("|")]
                for line in f if line.startswith("|")]
    head, body = rows[0], [r for r in rows[2:] if r]
    for r in body:
        for kernel, cell in zip(head[1:], r[1:]):
            m = re.search(r"\((\d+) s\)$", cell)
            secs = m.group(1) if m else "0"
            ok = cell.startswith("pass")
            note = "" if ok else cell
            print(f"lifecycle {r[0]} {kernel}\t{int(ok)}\t{int(not ok)}\t0\t{secs}\t{note}")


if __name__ == "__main__":
    main(sys.argv[1])
