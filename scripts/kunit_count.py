#!/usr/bin/env python3
"""Count KUnit results from kunit.py --json output.

usage: kunit_count.py NAME JSON SECONDS KUNIT_RC

Prints one line: NAME PASSED FAILED SKIPPED SECONDS [note]. A missing or
unreadable JSON file, or a run that found no test at all, counts as one
failure, so that a crashed kernel or a build error can never look green.
"""
import json
import sys


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
    print(name, counts["passed"], counts["failed"], counts["skipped"], secs, note)


if __name__ == "__main__":
    main()
