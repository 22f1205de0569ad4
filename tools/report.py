#!/usr/bin/env python3
"""Write the demo report (markdown to stdout, JSON to DIR/report.json).

usage: report.py DIR KUNIT_PASSED KUNIT_FAILED KUNIT_SKIPPED
"""
import datetime
import json
import os
import platform
import subprocess
import sys

RUNS = [
    ("base", "base 6.12, rodata=full"),
    ("patched", "patched, rodata=full"),
    ("patched-nobbml2", "patched, rodata=full, arm64.nobbml2"),
    ("limit", "patched, rodata=off (limit)"),
]
KINDS = ["PUD 1G", "contiguous PMD 32M", "PMD 2M", "contiguous PTE 64K", "PTE 4K"]


def load(d, name):
    try:
        with open(os.path.join(d, f"linmap-{name}.json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def bbml2(d, name):
    try:
        log = open(os.path.join(d, f"boot-{name}.log"), errors="replace").read()
    except OSError:
        return "?"
    return "yes" if "BBM level 2 without TLB conflict aborts" in log else "no"


def qemu_version():
    try:
        out = subprocess.run(["qemu-system-aarch64", "--version"], capture_output=True, text=True)
        return out.stdout.split("\n")[0].replace("QEMU emulator version ", "")
    except OSError:
        return "?"


def main():
    d, kp, kf, ks = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    runs = {name: load(d, name) for name, _ in RUNS}
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    machine = f"{platform.machine()}, {os.cpu_count()} cores, QEMU {qemu_version()} TCG"
    lines = [
        "# arm64 pageattr demo",
        "",
        f"{now}; host {machine}; guest virt -cpu max, 4 vCPUs, 4 GiB, 4K pages.",
        "",
        f"KUnit (pageattr suites, patched kernel): {kp} passed, {kf} failed, {ks} skipped.",
        "",
        "## Linear map right after boot (from ptdump)",
        "",
        "| kernel | BBML2_NOABORT | " + " | ".join(KINDS) + " | TLB entries | page tables |",
        "|---" * (len(KINDS) + 4) + "|",
    ]
    for name, label in RUNS:
        r = runs[name]
        if not r or not r.get("ok"):
            lines.append(f"| {label} | {bbml2(d, name)} | " + " | ".join("?" for _ in KINDS) + " | ? | ? |")
            continue
        lines.append(f"| {label} | {bbml2(d, name)} | "
                     + " | ".join(f"{r['leaves'][k]:,}" for k in KINDS)
                     + f" | {r['tlb_entries']:,} | {r['table_bytes'] // 1024:,} KiB |")
    base, patched, limit = runs["base"], runs["patched"], runs["limit"]
    summary = {}
    if base and patched and limit and all(x.get("ok") for x in (base, patched, limit)):
        summary = {
            "tables_patched_minus_limit_kib": (patched["table_bytes"] - limit["table_bytes"]) // 1024,
            "tlb_patched_over_limit": round(patched["tlb_entries"] / max(limit["tlb_entries"], 1), 2),
            "tables_base_over_patched": round(base["table_bytes"] / max(patched["table_bytes"], 1), 1),
            "tlb_base_over_patched": round(base["tlb_entries"] / max(patched["tlb_entries"], 1), 1),
        }
        lines += [
            "",
            f"Patched vs limit: {summary['tables_patched_minus_limit_kib']:+,} KiB of page tables "
            f"(goal: at most +64 KiB), {summary['tlb_patched_over_limit']}x the TLB entries "
            "(goal: at most 2x).",
            f"Base vs patched: {summary['tables_base_over_patched']}x the page-table bytes, "
            f"{summary['tlb_base_over_patched']}x the TLB entries.",
        ]
    print("\n".join(lines))
    with open(os.path.join(d, "report.json"), "w") as f:
        json.dump({"date": now, "machine": machine,
                   "kunit": {"passed": int(kp or 0), "failed": int(kf or 0), "skipped": int(ks or 0)},
                   "linear_map": runs, "summary": summary}, f, indent=1)


if __name__ == "__main__":
    main()
