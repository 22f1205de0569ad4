#!/usr/bin/env python3
"""Count KUnit results from kunit.py --json output.

usage: kunit_count.py NAME JSON SECONDS KUNIT_RC [RAW_LOG]

Prints one line: NAME PASSED FAILED SKIPPED SECONDS [note]. A missing or
unreadable JSON file, or a run that found no test at all, counts as one
failure, so that a crashed kernel or a build error can never look green.
With RAW_LOG, any kernel splat in it (BUG, WARNING, KASAN or lockdep
report, sleeping in atomic context) counts as one more failure; lines
that match the regular expression in $SPLAT_ALLOW do not count (KFENCE's
own suite makes KFENCE report on purpose).
"""
import os
import json
import re
import sys

SPLAT = re.compile(r"BUG:|WARNING:|KASAN|kfence: KFENCE|possible circular locking|"
                   r"inconsistent lock state|possible recursive locking|"
                   r"sleeping function called from invalid context|"
                   r"Unable to handle kernel|Internal error:|Kernel panic|"
                   r"INFO: lockdep|bad pmd|bad pud")


def walk(node, counts, failed_names, path=""):
    name = node.get("name", "")
    here = f"{path}.{name}" if path else name
    for case in node.get("test_cases", []):
        status = case.get("status", "FAILURE")
        if status in ("PASS", "SUCCESS"):
            counts["passed"] += 1
        elif status in ("SKIP", "SKIPPED"):
            counts["skipped"] += 1
        else:
            counts["failed"] += 1
            failed_names.append(f"{here}.{case.get('name', '?')}")
    for sub in node.get("sub_groups", []):
        walk(sub, counts, failed_names, here)


def main():
    name, path, secs, rc = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    failed = []
    note = ""
    try:
        with open(path) as f:
            walk(json.load(f), counts, failed)
    except (OSError, ValueError) as e:
        note = f"no results ({e.__class__.__name__}); see {path[:-5]}.log"
    if sum(counts.values()) == 0:
        counts["failed"] += 1
        note = note or "no test ran"
    elif rc != 0 and counts["failed"] == 0:
        counts["failed"] += 1
        note = f"kunit.py exited {rc}"
    if failed:
        note = "failed: " + " ".join(failed[:6])
    if len(sys.argv) > 5 and sys.argv[5]:
        try:
            with open(sys.argv[5], errors="replace") as f:
                allow = re.compile(os.environ["SPLAT_ALLOW"]) if os.environ.get("SPLAT_ALLOW") else None
                splats = [l.strip() for l in f
                          if SPLAT.search(l) and not (allow and allow.search(l))]
        except OSError:
            splats = ["no raw log"]
        if splats:
            counts["failed"] += 1
            note = (note + "; " if note else "") + f"{len(splats)} splat lines, first: {splats[0][:80]}"
    print(name, counts["passed"], counts["failed"], counts["skipped"], secs, note)


if __name__ == "__main__":
    main()
