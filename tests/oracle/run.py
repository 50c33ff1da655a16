#!/usr/bin/env python3
"""Live differential oracle: random cases, CPython's answer vs the C driver's.

    python3 tests/oracle/run.py --module core --driver build/tests/oracle/drv_core

The first line printed is the seed; pass it back with --seed (and --only I
for a single case) to replay a failure. See README.md for the protocol.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# Plug-ins are loaded by path (load_plugin), never imported by name: take this
# folder off sys.path before anything else is imported, so that a plug-in
# named like a standard module (struct.py) cannot shadow that module for the
# plug-ins or for the standard library itself.
sys.path[:] = [p for p in sys.path
               if os.path.realpath(p or os.curdir) != os.path.realpath(HERE)]

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import random  # noqa: E402
import shlex  # noqa: E402
import subprocess  # noqa: E402


def load_plugin(name):
    path = os.path.join(HERE, name + '.py')
    spec = importlib.util.spec_from_file_location('oracle_' + name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def show_field(name, value):
    """A field for a reader: hex decoded, in backticks when printable."""
    if name.endswith(':hex'):
        try:
            raw = bytes.fromhex(value)
        except ValueError:
            return repr(value)
        try:
            text = raw.decode('utf-8')
        except UnicodeDecodeError:
            return repr(raw)
        return '`%s`' % text if text.isprintable() else repr(text)
    return repr(value)


def exit_status(proc):
    if proc.returncode < 0:
        return 'driver killed by signal %d' % -proc.returncode
    return 'driver exited with status %d' % proc.returncode


def stderr_tail(proc, lines=40):
    err = proc.stderr.decode('utf-8', 'replace').splitlines()[-lines:]
    return ''.join('\n  | ' + ln for ln in err)


def report(plugin, opts, index, group, args, expected, got, note=None):
    out = ['MISMATCH in %s: seed=%d case=%d' % (group, opts.seed, index)]
    for k, a in enumerate(args):
        out.append('  arg %d: hex=%s repr=%r' % (k, a.hex(), a))
    if note:
        out.append('  ' + note)
    if got is not None:
        names = plugin.FIELDS[group]
        if len(got) != len(names):
            out.append('  got %d fields, expected %d: %r'
                       % (len(got), len(names), got))
        for name, exp, g in zip(names, expected, got):
            if exp != g:
                out.append('  %s: expected %s' % (name, show_field(name, exp)))
                out.append('  %s  got      %s'
                           % (' ' * len(name), show_field(name, g)))
    replay = [sys.executable, os.path.join(HERE, 'run.py'),
              '--module', opts.module, '--driver', os.path.abspath(opts.driver),
              '--seed', str(opts.seed), '--count', str(index + 1),
              '--only', str(index)]
    out.append('  replay: ' + shlex.join(replay))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--module', required=True)
    ap.add_argument('--driver', required=True)
    ap.add_argument('--seed', type=int)
    ap.add_argument('--count', type=int, default=5000)
    ap.add_argument('--only', type=int, metavar='I',
                    help='run only case I of the drawn cases')
    ap.add_argument('--tap', action='store_true')
    opts = ap.parse_args()
    if opts.seed is None:
        opts.seed = int.from_bytes(os.urandom(4), 'little')
    print('# oracle %s seed=%d count=%d' % (opts.module, opts.seed, opts.count),
          flush=True)

    plugin = load_plugin(opts.module)
    rng = random.Random(opts.seed)
    cases = [(i,) + tuple(plugin.generate(rng)) for i in range(opts.count)]
    if opts.only is not None:
        cases = [c for c in cases if c[0] == opts.only]

    request = ''.join('\t'.join([group] + [a.hex() for a in args]) + '\n'
                      for _, group, args in cases)
    try:
        proc = subprocess.run([opts.driver], input=request.encode(),
                              capture_output=True, timeout=50)
    except subprocess.TimeoutExpired:
        print('Bail out! driver %s timed out' % opts.driver)
        return 1
    except OSError as e:
        print('Bail out! cannot run the driver: %s' % e)
        return 1
    answers = proc.stdout.decode('utf-8', 'replace').split('\n')[:-1]

    done = {g: 0 for g in plugin.GROUPS}
    failure = {}
    for pos, (index, group, args) in enumerate(cases):
        if pos >= len(answers):
            # The driver flushes every answer: the first one missing is the
            # case that killed it.
            note = '%s before answering%s' % (exit_status(proc),
                                               stderr_tail(proc))
            failure.setdefault(group, report(plugin, opts, index, group, args,
                                             None, None, note))
            break
        expected = plugin.expect(group, args)
        got = answers[pos].split('\t')
        done[group] += 1
        if got != expected and group not in failure:
            failure[group] = report(plugin, opts, index, group, args,
                                    expected, got)

    if opts.tap:
        print('1..%d' % len(plugin.GROUPS))
    for n, group in enumerate(plugin.GROUPS, 1):
        verdict = 'not ok' if group in failure else 'ok'
        if opts.tap:
            print('%s %d - %s: %d cases' % (verdict, n, group, done[group]))
        else:
            print('%s: %d cases, %s' % (group, done[group], verdict))
        for ln in failure.get(group, []):
            print('# ' + ln.replace('\n', '\n# ') if opts.tap else ln)
    if proc.returncode != 0 and not failure:
        # Every answer was right but the driver failed on exit (a leak
        # found by LeakSanitizer, say).
        print('Bail out! ' + exit_status(proc))
        tail = stderr_tail(proc)
        if tail:
            print(tail.replace('\n', '\n# ').lstrip())
        return 1
    return 1 if failure else 0


if __name__ == '__main__':
    sys.exit(main())
