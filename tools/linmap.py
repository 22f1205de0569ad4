#!/usr/bin/env python3
"""Summarise the linear map from the ptdump sections of a demo boot log.

usage: linmap.py LOG [LABEL]   -> prints one JSON object

For each ptdump section ("boot", and "after" the benchmarks when there is
one): leaves by size (4K pages), page-table bytes below the top level (PTE
and PMD tables), TLB entries (a contiguous run of 16 entries counts once),
and the segments of the map (start and end offsets from the start of the
linear map, kind of leaf) for the picture. Also the DirectMap lines of
/proc/meminfo and the W+X check of the boot log.
"""
import json
import re
import sys

ENTRY = {"PTE": 4 << 10, "PMD": 2 << 20, "PUD": 1 << 30}
CONT = 16
KINDS = ["PUD 1G", "contiguous PMD 32M", "PMD 2M", "contiguous PTE 64K", "PTE 4K"]
LINE = re.compile(r"^0x([0-9a-f]+)-0x([0-9a-f]+)\s+(\d+)([KMGT])\s+(PTE|PMD|PUD|PGD|P4D)\s+(.*)$")


def section(text, name, when):
    """The body between @@NAME-begin WHEN and @@NAME-end WHEN."""
    m = re.search(rf"@@{name}-begin {when}\n(.*?)@@{name}-end {when}", text, re.S)
    return m.group(1) if m else None


def kind_of(level, attrs):
    cont = " CON " in f" {attrs} "
    if level == "PUD":
        return "PUD 1G"
    if level == "PMD":
        return "contiguous PMD 32M" if cont else "PMD 2M"
    return "contiguous PTE 64K" if cont else "PTE 4K"


def summarise(body):
    leaves = {k: 0 for k in KINDS}
    tlb = 0
    pte_tables, pmd_tables = set(), set()
    mapped = 0
    segments = []
    base = None
    for line in body.splitlines():
        m = LINE.match(line.strip())
        if not m:
            continue
        start, end = int(m.group(1), 16), int(m.group(2), 16)
        level, attrs = m.group(5), m.group(6)
        if level not in ENTRY:
            continue
        if base is None:
            base = start
        n = (end - start) // ENTRY[level]
        mapped += end - start
        kind = kind_of(level, attrs)
        leaves[kind] += n
        tlb += n // CONT if "contiguous" in kind else n
        # every 2M region with PTEs has a PTE table, every 1G region with
        # PMDs or PTEs a PMD table
        if level == "PTE":
            pte_tables.update(range(start >> 21, ((end - 1) >> 21) + 1))
        if level in ("PTE", "PMD"):
            pmd_tables.update(range(start >> 30, ((end - 1) >> 30) + 1))
        s, e = start - base, end - base
        if segments and segments[-1][2] == kind and segments[-1][1] == s:
            segments[-1][1] = e
        else:
            segments.append([s, e, kind])
    return {
        "leaves": leaves,
        "descriptors": sum(leaves.values()),
        "tlb_entries": tlb,
        "pte_tables": len(pte_tables),
        "pmd_tables": len(pmd_tables),
        "table_bytes": 4096 * (len(pte_tables) + len(pmd_tables)),
        "mapped_bytes": mapped,
        "segments": segments,
    }


def meminfo(body):
    out = {}
    for line in (body or "").splitlines():
        k, _, v = line.partition(":")
        if k.strip().startswith(("DirectMap", "PageTables", "MemTotal")):
            out[k.strip()] = v.strip()
    return out


def parse(text, label):
    res = {"label": label, "maps": {}}
    for when in ("boot", "after"):
        body = section(text, "ptdump", when)
        if body is None:
            continue
        m = summarise(body)
        m["meminfo"] = meminfo(section(text, "meminfo", when))
        m["ok"] = m["descriptors"] > 0
        res["maps"][when] = m
    wx = re.search(r"Checked W\+X mappings: (\w+), (\d+) W\+X pages found", text)
    wx_none = "Checked W+X mappings: passed, no W+X pages found" in text
    res["wx"] = "passed, none found" if wx_none else (f"{wx.group(1)}, {wx.group(2)} found" if wx else "not run")
    res["bbml2"] = "BBM level 2 without TLB conflict aborts" in text
    res["done"] = "@@done" in text
    res["ok"] = res["maps"].get("boot", {}).get("ok", False)
    return res


if __name__ == "__main__":
    text = open(sys.argv[1], errors="replace").read()
    print(json.dumps(parse(text, sys.argv[2] if len(sys.argv) > 2 else sys.argv[1])))
