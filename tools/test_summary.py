#!/usr/bin/env python3
"""Reads meson's test log and ends `make test` with one line:
`N passed, N failed` (plus `, N skipped`), counting every TAP case of every
test program, and lists what failed. Exits 1 when anything failed."""
import json
import re
import sys
from pathlib import Path

TAP_RE = re.compile(r"^(not ok|ok)\b(.*)$")


def main():
    build = Path(sys.argv[1] if len(sys.argv) > 1 else "build")
    log = build / "meson-logs" / "testlog.json"
    if not log.exists():
        print("test_summary: %s not found (did meson test run?)" % log, file=sys.stderr)
        print("0 passed, 1 failed")
        return 1
    passed = failed = skipped = 0
    failures = []
    for line in log.read_text().splitlines():
        t = json.loads(line)
        name, result = t["name"], t["result"]
        cases = [TAP_RE.match(l) for l in (t.get("stdout") or "").splitlines()]
        cases = [m for m in cases if m]
        if result == "SKIP":
            skipped += 1
            continue
        if cases:
            for m in cases:
                if "# SKIP" in m.group(2):
                    skipped += 1
                elif m.group(1) == "ok":
                    passed += 1
                else:
                    failed += 1
                    failures.append("%s:%s" % (name, m.group(2)))
            # A crash after some cases passed still fails the program.
            if result not in ("OK", "EXPECTEDFAIL") and not any(
                    m.group(1) == "not ok" for m in cases):
                failed += 1
                failures.append("%s: %s" % (name, result))
        elif result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        else:
            failed += 1
            failures.append("%s: %s" % (name, result))
    for f in failures:
        print("FAILED %s" % f)
    if failures:
        print("details: %s" % (build / "meson-logs" / "testlog.txt"))
    line = "%d passed, %d failed" % (passed, failed)
    if skipped:
        line += ", %d skipped" % skipped
    print(line)
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
