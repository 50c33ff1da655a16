#!/usr/bin/env python3
"""CPython's subprocess.run on a matrix of child behaviours (run.tsv) and
CalledProcessError's message for every returncode that names a signal
(called.tsv).

run.tsv, one case per line:
  name, shell (0/1), args (hex of the arguments joined by NUL), input ('-'
  for None, then stdin is DEVNULL, 'zeros:N' for N zero bytes, else hex), stdout and stderr
  ('pipe', 'devnull', 'stdout'), timeout ('-' or seconds), check (0/1),
  then CPython's result: the exception class ('-' for none), str(exc)
  ('-'), returncode ('-' when the exception carries none), then for stdout
  and stderr: length, and the bytes in hex when short, else 'sha256:' and
  the digest ('-' for None).
The children are standard programs (sh, cat, head, true, false) whose
output does not depend on the machine.

called.tsv: returncode, cmd (hex of the NUL-joined list; 'str:' + hex for a
shell string), str(CalledProcessError(returncode, cmd)).
"""
import sys

# This folder holds a subprocess.py (this file) and a hashlib.py: import
# the standard ones.
_HERE = sys.path.pop(0)
import hashlib  # noqa: E402
import subprocess  # noqa: E402

sys.path.insert(0, _HERE)
from common import write_vectors  # noqa: E402

SHORT = 256


def sh(script, *more):
    return ["sh", "-c", script] + list(more)


# name, args, shell, input, stdout, stderr, timeout, check
CASES = [
    ("true", ["true"], False, None, "pipe", "pipe", None, False),
    ("false", ["false"], False, None, "pipe", "pipe", None, False),
    ("false_check", ["false"], False, None, "pipe", "pipe", None, True),
    ("exit_3", sh("exit 3"), False, None, "pipe", "pipe", None, False),
    ("exit_255", sh("exit 255"), False, None, "pipe", "pipe", None, False),
    ("exit_3_check", sh("exit 3"), False, None, "pipe", "pipe", None, True),
    ("exit_0_check", sh("exit 0"), False, None, "pipe", "pipe", None, True),
    ("sigterm", sh("kill -TERM $$"), False, None, "pipe", "pipe", None, False),
    ("sigkill", sh("kill -KILL $$"), False, None, "pipe", "pipe", None, False),
    ("sigkill_check", sh("kill -KILL $$"), False, None, "pipe", "pipe", None,
     True),
    ("sigusr1_check", sh("kill -USR1 $$"), False, None, "pipe", "pipe", None,
     True),
    ("sigsegv_check", sh("kill -SEGV $$"), False, None, "pipe", "pipe", None,
     True),
    ("sigabrt_check", sh("kill -ABRT $$"), False, None, "pipe", "pipe", None,
     True),
    ("out_err", sh("echo out; echo err >&2"), False, None, "pipe", "pipe",
     None, False),
    ("out_err_merged", sh("echo out; echo err >&2; echo out2"), False, None,
     "pipe", "stdout", None, False),
    ("err_only", sh("echo out; echo err >&2"), False, None, "devnull",
     "pipe", None, False),
    ("out_only", sh("echo out; echo err >&2"), False, None, "pipe",
     "devnull", None, False),
    ("no_newline", ["printf", "a\\tb"], False, None, "pipe", "pipe", None,
     False),
    ("binary", ["printf", "\\000\\001\\377x"], False, None, "pipe", "pipe",
     None, False),
    ("cat_input", ["cat"], False, b"hello\nworld", "pipe", "pipe", None,
     False),
    ("cat_empty_input", ["cat"], False, b"", "pipe", "pipe", None, False),
    ("cat_no_input", ["cat"], False, None, "pipe", "pipe", None, False),
    ("wc_input", ["wc", "-c"], False, b"x" * 100000, "pipe", "pipe", None,
     False),
    ("out_64k", ["head", "-c", "65536", "/dev/zero"], False, None, "pipe",
     "pipe", None, False),
    ("out_1m", ["head", "-c", "1000000", "/dev/zero"], False, None, "pipe",
     "pipe", None, False),
    ("out_1m_both", sh("head -c 1000000 /dev/zero; head -c 700000 /dev/zero"
                       " >&2"), False, None, "pipe", "pipe", None, False),
    ("err_1m_first", sh("head -c 1000000 /dev/zero >&2; echo done"), False,
     None, "pipe", "pipe", None, False),
    ("cat_1m", ["cat"], False, "zeros:1000000", "pipe", "pipe", None, False),
    ("stdin_closed_early", ["head", "-c", "10"], False, "zeros:2000000",
     "pipe", "pipe", None, False),
    ("stdin_ignored", ["true"], False, "zeros:2000000", "pipe", "pipe", None,
     False),
    ("stdin_ignored_exit", sh("exit 4"), False, "zeros:300000", "pipe",
     "pipe", None, False),
    ("shell_pipeline", ["printf 'a\\nb\\nab\\n' | grep a | wc -l"], True,
     None, "pipe", "pipe", None, False),
    ("shell_args", ["echo $0-$1-$#", "zero", "one"], True, None, "pipe",
     "pipe", None, False),
    ("shell_exit_check", ["exit 7"], True, None, "pipe", "pipe", None, True),
    ("shell_signal_check", ["kill -9 $$"], True, None, "pipe", "pipe", None,
     True),
    ("shell_quote_check", ["exit 1 # it's"], True,
     None, "pipe", "pipe", None, True),
    ("shell_not_found", ["nosuchprog_xyz"], True, None, "pipe", "devnull",
     None, False),
    # exec: the killed child leaves no orphan behind (see test_sp_big.c).
    ("timeout", sh("echo before; exec sleep 5"), False, None, "pipe", "pipe", 0.5,
     False),
    ("timeout_int_like", sh("exec sleep 5"), False, None, "pipe", "pipe", 1.0,
     False),
    ("timeout_quoted", ["exec sleep 5 # it's"], True, None, "pipe", "pipe", 0.25,
     False),
    ("timeout_not_hit", sh("echo quick"), False, None, "pipe", "pipe", 5.0,
     True),
    ("args_repr", ["printf", "%s", "tab\there", "quote'\"", "\u00e9"], False,
     None, "pipe", "pipe", None, False),
    ("args_repr_check", sh("exit 2", "x\ny", "it's"), False, None, "pipe",
     "pipe", None, True),
]

MODES = {"pipe": subprocess.PIPE, "devnull": subprocess.DEVNULL,
         "stdout": subprocess.STDOUT}


def input_bytes(spec):
    if spec is None:
        return None
    if isinstance(spec, str):
        return b"\0" * int(spec.split(":")[1])
    return spec


def input_field(spec):
    if spec is None:
        return "-"
    if isinstance(spec, str):
        return spec
    return spec.hex()


def data_fields(data):
    if data is None:
        return ["-", "-"]
    if len(data) <= SHORT:
        return [str(len(data)), data.hex()]
    return [str(len(data)), "sha256:" + hashlib.sha256(data).hexdigest()]


def run_case(case):
    name, args, shell, inp, out, err, timeout, check = case
    cmd = args[0] if shell and len(args) == 1 else args
    exc_name, msg, rc, stdout, stderr = "-", "-", "-", None, None
    try:
        # No input: stdin is /dev/null (the tests' own stdin is not EOF).
        r = subprocess.run(cmd, shell=shell, input=input_bytes(inp),
                           stdin=subprocess.DEVNULL if inp is None else None,
                           stdout=MODES[out], stderr=MODES[err],
                           timeout=timeout, check=check)
        rc, stdout, stderr = str(r.returncode), r.stdout, r.stderr
    except subprocess.CalledProcessError as e:
        exc_name, msg, rc = "subprocess.CalledProcessError", str(e), \
            str(e.returncode)
        stdout, stderr = e.stdout, e.stderr
    except subprocess.TimeoutExpired as e:
        exc_name, msg = "subprocess.TimeoutExpired", str(e)
        stdout, stderr = e.stdout, e.stderr
        # Python 3.11 on POSIX leaves None where nothing was read yet.
        if stdout is None and out == "pipe":
            stdout = b""
        if stderr is None and err == "pipe":
            stderr = b""
    return [name, "1" if shell else "0",
            b"\0".join(a.encode() for a in args).hex(), input_field(inp),
            out, err, "-" if timeout is None else repr(timeout),
            "1" if check else "0", exc_name, msg.replace("\n", "\\n"), rc] + \
        data_fields(stdout) + data_fields(stderr)


def called_rows():
    rows = []
    cmds = [["false"], ["sh", "-c", "x"], "exit 1 # it's"]
    for rc in list(range(-70, 0)) + [1, 2, 127, 255]:
        for cmd in cmds:
            field = ("str:" + cmd.encode().hex() if isinstance(cmd, str)
                     else b"\0".join(a.encode() for a in cmd).hex())
            rows.append([str(rc), field,
                         str(subprocess.CalledProcessError(rc, cmd))])
    return rows


def main():
    write_vectors("subprocess", "run",
                  ["name", "shell", "args", "input", "stdout", "stderr",
                   "timeout", "check", "exc", "msg", "returncode", "out_len",
                   "out", "err_len", "err"],
                  [run_case(c) for c in CASES])
    write_vectors("subprocess", "called", ["returncode", "cmd", "str"],
                  called_rows())


if __name__ == "__main__":
    main()
