#!/usr/bin/env python3
"""Summarise the linear map from the ptdump sections of a demo boot log.

usage: linmap.py LOG [LABEL [PAGE_KIB]]   -> prints one JSON object

For each ptdump section ("boot", "after" the benchmarks, "kfence-before"
and "kfence-after" KFENCE was switched on, when there are): leaves by size
(4K pages, or PAGE_KIB: 16 or 64), page-table bytes below the top level
(PTE and PMD tables), TLB entries (a contiguous run counts once),
and the segments of the map (start and end offsets from the start of the
linear map, kind of leaf) for the picture. Also the DirectMap lines of
/proc/meminfo and the W+X check of the boot log.
"""
import json
import re
import sys

import demolog

WHENS = ("boot", "after", "healed", "kfence-before", "kfence-after")


def size(b):
    for unit, shift in (("G", 30), ("M", 20), ("K", 10)):
        if b >= 1 << shift:
            return f"{b >> shift}{unit}"
    return str(b)


class Geometry:
    """arm64 leaf sizes of one granule: entries per table, contiguous runs"""

    def __init__(self, page_kib=4):
        page = page_kib << 10
        per = page // 8
        self.page = page
        self.entry = {"PTE": page, "PMD": page * per, "PUD": page * per * per}
        self.cont = {"PTE": {4: 16, 16: 128, 64: 32}[page_kib],
                     "PMD": {4: 16, 16: 32, 64: 32}[page_kib]}
        e, c = self.entry, self.cont
        self.kinds = [f"PUD {size(e['PUD'])}", f"contiguous PMD {size(e['PMD'] * c['PMD'])}",
                      f"PMD {size(e['PMD'])}", f"contiguous PTE {size(e['PTE'] * c['PTE'])}",
                      f"PTE {size(e['PTE'])}"]

    def kind_of(self, level, attrs):
        cont = " CON " in f" {attrs} "
        if level == "PUD":
            return self.kinds[0]
        if level == "PMD":
            return self.kinds[1] if cont else self.kinds[2]
        return self.kinds[3] if cont else self.kinds[4]


KINDS = Geometry(4).kinds
LINE = re.compile(r"^0x([0-9a-f]+)-0x([0-9a-f]+)\s+(\d+)([KMGT])\s+(PTE|PMD|PUD|PGD|P4D)\s+(.*)$")


def section(text, name, when):
    """The body between @@NAME-begin WHEN and @@NAME-end WHEN."""
    m = re.search(rf"@@{name}-begin {when}\n(.*?)@@{name}-end {when}", text, re.S)
    return m.group(1) if m else None


def summarise(body, g):
    leaves = {k: 0 for k in g.kinds}
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
        if level not in g.entry:
            continue
        if base is None:
            base = start
        n = (end - start) // g.entry[level]
        mapped += end - start
        kind = g.kind_of(level, attrs)
        leaves[kind] += n
        tlb += n // g.cont[level] if "contiguous" in kind else n
        # every PMD-sized region with PTEs has a PTE table, every PUD-sized
        # region with PMDs or PTEs a PMD table
        pmd, pud = g.entry["PMD"], g.entry["PUD"]
        if level == "PTE":
            pte_tables.update(range(start // pmd, (end - 1) // pmd + 1))
        if level in ("PTE", "PMD"):
            pmd_tables.update(range(start // pud, (end - 1) // pud + 1))
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
        "table_bytes": g.page * (len(pte_tables) + len(pmd_tables)),
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


def parse(text, label, page_kib=4):
    g = Geometry(page_kib)
    res = {"label": label, "maps": {}, "page_kib": page_kib, "kinds": g.kinds}
    for when in WHENS:
        body = section(text, "ptdump", when)
        if body is None:
            continue
        m = summarise(body, g)
        m["meminfo"] = meminfo(section(text, "meminfo", when))
        m["ok"] = m["descriptors"] > 0
        res["maps"][when] = m
    for when in ("after", "healed"):
        body = section(text, "collapse", when)
        if body is not None:
            c = {}
            for line in body.splitlines():
                k, _, v = line.replace(":", " ").partition(" ")
                if v.strip().isdigit():
                    c[k] = int(v.strip())
            res.setdefault("collapse", {})[when] = c
    wx = re.search(r"Checked W\+X mappings: (\w+), (\d+) W\+X pages found", text)
    wx_none = "Checked W+X mappings: passed, no W+X pages found" in text
    res["wx"] = "passed, none found" if wx_none else (f"{wx.group(1)}, {wx.group(2)} found" if wx else "not run")
    res["bbml2"] = "BBM level 2 without TLB conflict aborts" in text
    res["done"] = "@@done" in text
    res["ok"] = res["maps"].get("boot", {}).get("ok", False)
    return res


if __name__ == "__main__":
    text = demolog.read(sys.argv[1])
    print(json.dumps(parse(text, sys.argv[2] if len(sys.argv) > 2 else sys.argv[1],
                           int(sys.argv[3]) if len(sys.argv) > 3 else 4)))
