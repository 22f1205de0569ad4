#!/usr/bin/env python3
"""Mutants of the series that the torture test must catch.

    mutants.py --list          the names
    mutants.py NAME TREE       apply mutant NAME to the kernel tree TREE
"""
import sys

MMU = "arch/arm64/mm/mmu.c"

# name: (file, what it breaks, [(old, new), ...])
MUTANTS = {
    "no-split-mutex": (MMU, "splits not serialised: the split mutex taken out", [
        ("\tmutex_lock(&pgtable_split_lock);\n\tret = split_pgtables_alloc(&pt, start, end);",
         "\tret = split_pgtables_alloc(&pt, start, end);"),
        ("\tsplit_pgtables_free(&pt);\n\tmutex_unlock(&pgtable_split_lock);\n",
         "\tsplit_pgtables_free(&pt);\n"),
    ]),
    "first-entry-only": (MMU, "the lockless check reads the first entry of a contiguous range only", [
        ("for (i = 0; i < CONT_PTES; i++)\n\t\tany |= pte_val",
         "for (i = 0; i < 1; i++)\n\t\tany |= pte_val"),
        ("for (i = 0; i < CONT_PMDS; i++)\n\t\tany |= pmd_val",
         "for (i = 0; i < 1; i++)\n\t\tany |= pmd_val"),
    ]),
}


def main():
    if sys.argv[1:] == ["--list"]:
        print("\n".join(MUTANTS))
        return 0
    name, tree = sys.argv[1], sys.argv[2]
    path, _, edits = MUTANTS[name]
    path = f"{tree}/{path}"
    text = open(path).read()
    for old, new in edits:
        if text.count(old) != 1:
            print(f"mutant {name}: {old!r} is not in {path} once", file=sys.stderr)
            return 1
        text = text.replace(old, new)
    open(path, "w").write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
