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
        ("\tmutex_lock(&pgtable_split_lock);\n\tret = split_kernel_leaf_mapping_locked(start, end);"
         "\n\tmutex_unlock(&pgtable_split_lock);\n",
         "\tret = split_kernel_leaf_mapping_locked(start, end);\n"),
        ("\tlockdep_assert_held(&pgtable_split_lock);\n\tif (!kernel_range_cuts_leaf(start, end))",
         "\tif (!kernel_range_cuts_leaf(start, end))"),
        ("void kernel_leaf_lock(void)\n{\n\tmutex_lock(&pgtable_split_lock);\n}",
         "void kernel_leaf_lock(void)\n{\n}"),
        ("void kernel_leaf_unlock(void)\n{\n\tmutex_unlock(&pgtable_split_lock);\n}",
         "void kernel_leaf_unlock(void)\n{\n}"),
        ("\tlockdep_assert_held(&pgtable_split_lock);\n\tif (!linear || !direct_map_counted)",
         "\tif (!linear || !direct_map_counted)"),
    ]),
    "first-entry-only": (MMU, "the lockless check reads the first entry of a contiguous range only", [
        ("for (i = 0; i < CONT_PTES; i++)\n\t\tany |= pte_val",
         "for (i = 0; i < 1; i++)\n\t\tany |= pte_val"),
        ("for (i = 0; i < CONT_PMDS; i++)\n\t\tany |= pmd_val",
         "for (i = 0; i < 1; i++)\n\t\tany |= pmd_val"),
    ]),
    "collapse-no-freeze": (MMU, "the collapser checks the entries, then writes the block, without freezing them", [
        ("\t\t    cmpxchg(&pte_val(ptep[i]), cur, cur | PTE_COLLAPSE_FROZEN) != cur) {",
         "\t\t    false) {"),
    ]),
    "collapse-no-grace": (MMU, "the collapser frees tables without waiting for a grace period", [
        ("\tsynchronize_rcu();\n\tlist_for_each_entry_safe(page, next, &cp->tables, lru) {",
         "\tlist_for_each_entry_safe(page, next, &cp->tables, lru) {"),
    ]),
    "collapse-no-dtor": (MMU, "the collapser frees split-allocated tables without their destructor (NR_PAGETABLE)", [
        ("\tif (folio_test_pgtable(ptdesc_folio(ptdesc))) {\n\t\tif (pmd)",
         "\tif (false) {\n\t\tif (pmd)"),
    ]),
    "collapse-no-exclusion": (MMU, "the collapser does not ask whether a region must stay PAGE_SIZE", [
        ("\tif (!linear_map_collapse_excluded(addr, addr + PMD_SIZE) &&\n",
         "\tif (\n"),
    ]),
    "collapse-reread-walk": (MMU, "the lockless walk reads the entry above again (pmd_offset() of the pointer)", [
        ("\tkl->pmdp = pmd_offset_lockless(kl->pudp, kl->pud, addr);",
         "\tkl->pmdp = pmd_offset(kl->pudp, addr);"),
        ("\tkl->ptep = pte_offset_kernel(&kl->pmd, addr);",
         "\tkl->ptep = pte_offset_kernel(kl->pmdp, addr);"),
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
