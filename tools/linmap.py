#!/usr/bin/env python3
"""Summarise the linear map from a ptdump dump (4K pages).

usage: linmap.py LOG [LABEL]   -> prints one JSON object

Counts leaves by size, the page-table bytes below the top level (PTE and
PMD tables) and TLB entries (a contiguous run of 16 entries counts once).
"""
import json
import re
import sys

UNIT = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
ENTRY = {"PTE": 4 << 10, "PMD": 2 << 20, "PUD": 1 << 30}
CONT = 16
LINE = re.compile(r"^0x([0-9a-f]+)-0x([0-9a-f]+)\s+(\d+)([KMGT])\s+(PTE|PMD|PUD|PGD|P4D)\s+(.*)$")


def summarise(text):
    body = text.split("@@ptdump-begin", 1)[-1].split("@@ptdump-end", 1)[0]
    leaves = {"PUD 1G": 0, "contiguous PMD 32M": 0, "PMD 2M": 0,
              "contiguous PTE 64K": 0, "PTE 4K": 0}
    tlb = 0
    pte_tables, pmd_tables = set(), set()
    mapped = 0
    for line in body.splitlines():
        m = LINE.match(line.strip())
        if not m:
            continue
        start, end = int(m.group(1), 16), int(m.group(2), 16)
        level, attrs = m.group(5), m.group(6)
        if level not in ENTRY:
            continue
        n = (end - start) // ENTRY[level]
        mapped += end - start
        cont = " CON " in f" {attrs} "
        if level == "PUD":
            leaves["PUD 1G"] += n
        elif level == "PMD":
            leaves["contiguous PMD 32M" if cont else "PMD 2M"] += n
        else:
            leaves["contiguous PTE 64K" if cont else "PTE 4K"] += n
        tlb += n // CONT if cont else n
        # table pages: every 2M region with PTEs has a PTE table, every 1G
        # region with PMDs or PTEs a PMD table
        if level == "PTE":
            pte_tables.update(range(start >> 21, ((end - 1) >> 21) + 1))
        if level in ("PTE", "PMD"):
            pmd_tables.update(range(start >> 30, ((end - 1) >> 30) + 1))
    return {
        "leaves": leaves,
        "descriptors": sum(leaves.values()),
        "tlb_entries": tlb,
        "pte_tables": len(pte_tables),
        "pmd_tables": len(pmd_tables),
        "table_bytes": 4096 * (len(pte_tables) + len(pmd_tables)),
        "mapped_bytes": mapped,
    }


def meminfo(text):
    body = text.split("@@meminfo-begin", 1)[-1].split("@@meminfo-end", 1)[0]
    out = {}
    for line in body.splitlines():
        k, _, v = line.partition(":")
        if k.strip().startswith(("DirectMap", "PageTables", "MemTotal")):
            out[k.strip()] = v.strip()
    return out


if __name__ == "__main__":
    text = open(sys.argv[1], errors="replace").read()
    res = summarise(text)
    res["meminfo"] = meminfo(text)
    res["label"] = sys.argv[2] if len(sys.argv) > 2 else sys.argv[1]
    res["ok"] = "@@ptdump-end" in text and res["descriptors"] > 0
    print(json.dumps(res))
