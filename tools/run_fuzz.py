#!/usr/bin/env python3
"""`make fuzz`: runs every libFuzzer target of a -Dfuzz=true build for a
bounded time, on a scratch copy of its committed corpus (fuzz/corpus/<target>),
so new inputs never dirty the tree. Crashes are saved under fuzz/crashes/."""
import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--seconds", type=int, default=60)
    a = ap.parse_args()
    targets = sorted(p for p in (Path(a.build) / "fuzz").glob("fuzz_*") if p.is_file())
    if not targets:
        print("run_fuzz: no fuzz_* targets in %s/fuzz" % a.build, file=sys.stderr)
        return 1
    crashes = ROOT / "fuzz" / "crashes"
    crashes.mkdir(parents=True, exist_ok=True)
    bad = 0
    for t in targets:
        name = t.name[len("fuzz_"):]
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / name
            seed = ROOT / "fuzz" / "corpus" / name
            if seed.is_dir():
                shutil.copytree(seed, corpus)
            else:
                corpus.mkdir()
            print("== fuzz %s for %ds" % (name, a.seconds), flush=True)
            r = subprocess.run([str(t), "-max_total_time=%d" % a.seconds, "-timeout=10",
                                "-rss_limit_mb=2048", "-print_final_stats=1",
                                "-artifact_prefix=%s/%s-" % (crashes, name), str(corpus)],
                               stderr=subprocess.PIPE, text=True)
            stats = [l for l in r.stderr.splitlines() if l.startswith("stat::")]
            print("\n".join(stats))
            if r.returncode:
                bad += 1
                print(r.stderr[-4000:])
                print("FAIL %s (artifacts in %s)" % (name, crashes))
            else:
                print("ok %s" % name)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
