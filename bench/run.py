#!/usr/bin/env python3
"""Benchmark driver (see bench/README.md).

For every case of bench/<module>/cases.py, times our C code (through the
module's bench_<module> program), its CPython counterpart (in this process)
and, when the case names one, the anchor C implementation; alternating them
for --reps repetitions and printing medians, one line per case:

BENCH <module>.<case> unit=<u> ours=<x> python=<y> speedup=<r> \
[anchor=<name>:<z> vs_anchor=<r>]

speedup and vs_anchor say how many times better ours is (> 1: we win).

Usage: run.py --build BUILD [--module M]... [--reps N] [--quick] [--tap]
       run.py --self-test
"""
import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path

HERE = Path(__file__).resolve().parent
UNITS = ("ns/op", "MB/s", "ops/s")
CASE_KEYS = {"name", "unit", "bytes", "c", "py_setup", "py_stmt", "anchor"}


class BenchError(Exception):
    pass


def load_module(module):
    """The module's cases.py, and its cases checked and completed."""
    path = HERE / module / "cases.py"
    if not path.is_file():
        raise BenchError(f"no {path}")
    spec = importlib.util.spec_from_file_location(f"bench_{module}_cases",
                                                  path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    cases = []
    for case in mod.CASES:
        keys = set(case)
        if (keys - CASE_KEYS or not {"name", "unit", "py_stmt"} <= keys
                or case["unit"] not in UNITS
                or (case["unit"] == "MB/s") != ("bytes" in keys)):
            raise BenchError(f"{path}: bad case {case!r}")
        cases.append(dict(case, module=module, c=case.get("c", case["name"])))
    return mod, cases


def write_inputs(inputs, data_dir):
    # Replaced atomically: a test and `make bench` may run at once.
    data_dir.mkdir(parents=True, exist_ok=True)
    for name, data in inputs.items():
        with tempfile.NamedTemporaryFile(dir=data_dir, delete=False) as f:
            f.write(data)
        os.replace(f.name, data_dir / name)


class CProgram:
    """A running bench_<module>: '<case> <iters>' in, nanoseconds out."""

    def __init__(self, exe, data_dir):
        self.exe = exe
        self.proc = subprocess.Popen(
            [exe], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            env=dict(os.environ, BENCH_DATA_DIR=str(data_dir)))
        self.names = set(self.ask("list").split())

    def ask(self, command):
        try:
            self.proc.stdin.write(command + "\n")
            self.proc.stdin.flush()
            answer = self.proc.stdout.readline()
        except BrokenPipeError:
            answer = ""
        if not answer:
            raise BenchError(f"{self.exe.name} died (status "
                             f"{self.proc.wait(timeout=10)})")
        if answer.startswith("error"):
            raise BenchError(f"{self.exe.name}: {answer.strip()}")
        return answer.strip()

    def measure(self, name, iters):
        return int(self.ask(f"{name} {iters}"))

    def close(self):
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        status = self.proc.wait(timeout=30)
        if status:
            raise BenchError(f"{self.exe.name} exited with status {status}")


def python_measure(case, namespace):
    """measure(iters) -> ns for the case's Python statement."""
    timer = timeit.Timer(case["py_stmt"], case.get("py_setup", "pass"),
                         timer=time.perf_counter_ns, globals=dict(namespace))
    return timer.timeit


def calibrate(measure, target_ns):
    """An iteration count for which one measurement takes about target_ns."""
    n = 1
    while True:
        t = max(measure(n), 1)
        if t >= target_ns // 4:  # long enough to extrapolate linearly
            return max(1, round(n * target_ns / t))
        n = min(n * 100, -(-n * target_ns // t))


def rate(case, ns, iters):
    """The measurement in the case's unit."""
    ns = max(ns, 1)
    if case["unit"] == "ns/op":
        return ns / iters
    if case["unit"] == "MB/s":
        return case["bytes"] * iters * 1e3 / ns
    return iters * 1e9 / ns


def better(unit, ours, other):
    """How many times better ours is than other (> 1: ours wins)."""
    return other / ours if unit == "ns/op" else ours / other


def fmt(x):
    return f"{x:.0f}" if abs(x) >= 100 else f"{x:.3g}"


def measure_case(case, c_measure, py_measure, reps, target_ns):
    """Medians, in the case's unit, of 'ours', 'python' and maybe 'anchor'."""
    sides = {"ours": lambda n: c_measure(case["c"], n), "python": py_measure}
    if case.get("anchor"):
        anchor = f"{case['c']}@{case['anchor']}"
        sides["anchor"] = lambda n: c_measure(anchor, n)
    iters = {side: calibrate(m, target_ns) for side, m in sides.items()}
    samples = {side: [] for side in sides}
    for _ in range(reps):
        for side, m in sides.items():
            samples[side].append(rate(case, m(iters[side]), iters[side]))
    return {side: statistics.median(s) for side, s in samples.items()}


def bench_line(case, med):
    unit = case["unit"]
    line = (f"BENCH {case['module']}.{case['name']} unit={unit} "
            f"ours={fmt(med['ours'])} python={fmt(med['python'])} "
            f"speedup={fmt(better(unit, med['ours'], med['python']))}")
    if "anchor" in med:
        line += (f" anchor={case['anchor']}:{fmt(med['anchor'])} "
                 f"vs_anchor={fmt(better(unit, med['ours'], med['anchor']))}")
    return line


class Report:
    """Bare BENCH lines, or TAP (one test per case) for meson."""

    def __init__(self, tap, total):
        self.tap, self.n, self.failed = tap, 0, 0
        if tap:
            print(f"1..{total}", flush=True)

    def ok(self, name, line):
        self.n += 1
        print(f"ok {self.n} - {name}\n# {line}" if self.tap else line,
              flush=True)

    def fail(self, name, why):
        self.n += 1
        if self.tap:
            print(f"not ok {self.n} - {name}", flush=True)
        self.error(f"{name}: FAILED: {why}")

    def error(self, message):
        """A failure outside any case; it only makes the exit status."""
        self.failed += 1
        print(f"# {message}" if self.tap else message,
              file=sys.stdout if self.tap else sys.stderr, flush=True)


def run_module(build, module, mod, cases, reps, target_ns, report):
    where = build / "bench" / module
    try:
        exe = where / f"bench_{module}"
        if not os.access(exe, os.X_OK):
            raise BenchError(f"{exe} is missing (build with -Dbench=true)")
        write_inputs(getattr(mod, "INPUTS", {}), where / "data")
        prog = CProgram(exe, where / "data")
    except (BenchError, OSError) as e:
        for case in cases:
            report.fail(f"{module}.{case['name']}", str(e))
        return
    for case in cases:
        name = f"{module}.{case['name']}"
        try:
            wanted = [case["c"]]
            if case.get("anchor"):
                wanted.append(f"{case['c']}@{case['anchor']}")
            missing = [w for w in wanted if w not in prog.names]
            if missing:
                raise BenchError(f"bench_{module} has no case "
                                 f"{', '.join(missing)}")
            med = measure_case(case, prog.measure,
                               python_measure(case, vars(mod)), reps,
                               target_ns)
        except Exception as e:  # the Python statement may raise anything
            report.fail(name, f"{type(e).__name__}: {e}")
        else:
            report.ok(name, bench_line(case, med))
    try:
        prog.close()
    except BenchError as e:
        report.error(str(e))


def self_test():
    """The driver on fake C and Python sides with exact, linear timings."""
    cost = {"fake": 10, "fake@fast": 5}  # ns per op
    calls = []

    def c_measure(name, n):
        calls.append(name)
        return n * cost[name]

    def py_measure(n):
        calls.append("python")
        return n * 40

    checks = [
        (dict(name="lat", unit="ns/op", anchor="fast"),
         "BENCH self.lat unit=ns/op ours=10 python=40 speedup=4 "
         "anchor=fast:5 vs_anchor=0.5"),
        (dict(name="tput", unit="MB/s", bytes=1000, anchor="fast"),
         "BENCH self.tput unit=MB/s ours=100000 python=25000 speedup=4 "
         "anchor=fast:200000 vs_anchor=0.5"),
        (dict(name="rate", unit="ops/s"),
         "BENCH self.rate unit=ops/s ours=100000000 python=25000000 "
         "speedup=4"),
    ]
    bad = 0
    for case, want in checks:
        case.update(module="self", c="fake", py_stmt="pass")
        calls.clear()
        got = bench_line(case, measure_case(case, c_measure, py_measure,
                                            3, 1_000_000))
        sides = ["fake", "python"] + (["fake@fast"] if "anchor" in case
                                      else [])
        if got != want or calls[-3 * len(sides):] != sides * 3:
            print(f"FAIL: got  {got}\n      want {want}\n      calls {calls}")
            bad += 1
    for x, want in [(0.12345, "0.123"), (12.345, "12.3"), (1234.5, "1234")]:
        if fmt(x) != want:
            print(f"FAIL: fmt({x}) = {fmt(x)}, want {want}")
            bad += 1
    n = calibrate(lambda n: n * 7, 70_000_000)
    if n != 10_000_000:
        print(f"FAIL: calibrate gave {n} iterations, want 10000000")
        bad += 1
    print("self-test", "FAILED" if bad else "passed")
    return 1 if bad else 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", type=Path, help="the meson build directory")
    ap.add_argument("--module", action="append",
                    help="run this module only (repeatable); default: "
                         "every bench/*/cases.py")
    ap.add_argument("--reps", type=int,
                    help="repetitions (default 7, or 2 with --quick)")
    ap.add_argument("--quick", action="store_true",
                    help="~10 ms measurements: checks the harness, not speed")
    ap.add_argument("--tap", action="store_true", help="print TAP")
    ap.add_argument("--self-test", action="store_true",
                    help="check the driver itself, without a build")
    args = ap.parse_args(argv)
    if args.self_test:
        return self_test()
    if not args.build:
        ap.error("--build is required")
    # Absolute: a case's Python setup may change the working directory.
    args.build = args.build.resolve()
    reps = args.reps or (2 if args.quick else 7)
    target_ns = 10_000_000 if args.quick else 60_000_000
    modules = args.module or sorted(p.parent.name
                                    for p in HERE.glob("*/cases.py"))
    loaded = []
    for module in modules:
        try:
            loaded.append((module, *load_module(module)))
        except Exception as e:  # a broken cases.py may raise anything
            print(f"Bail out! {module}: {e}" if args.tap
                  else f"{module}: {e}", file=sys.stdout if args.tap
                  else sys.stderr)
            return 1
    report = Report(args.tap, sum(len(cases) for _, _, cases in loaded))
    for module, mod, cases in loaded:
        run_module(args.build, module, mod, cases, reps, target_ns, report)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
