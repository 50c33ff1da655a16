#!/usr/bin/env python3
"""Code checks that run as tests (TAP on stdout).

  symbols  every symbol the shared library exports starts with bt_ (never the
           internal bt__) and is declared in a public header, and every
           function a header declares with BT_API is exported;
  docs     every BT_API declaration has its doc comment: a summary and the
           Python:, Returns:, Ownership: and Thread safety: parts (a comment
           may cover a group of declarations that follow it with no blank
           line between them);
  headers  each public header compiles alone, as C11 and as C++, warning-free,
           and the umbrella header includes every module header;
  self-test  breaks each rule on purpose in a scratch tree and requires the
           check to catch it.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC_PARTS = ("Python:", "Returns:", "Ownership:", "Thread safety:")
DECL_RE = re.compile(r"\bBT_API\b[^;]*?\b(bt_[A-Za-z0-9_]+)\s*\(", re.S)


def headers(include_dir):
    return sorted((include_dir / "batteries").glob("*.h"))


def declared_functions(include_dir):
    names = {}
    for h in headers(include_dir):
        for m in DECL_RE.finditer(h.read_text()):
            names[m.group(1)] = h.name
    return names


def exported_symbols(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", str(lib)], check=True,
                         capture_output=True, text=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TDBRVWi":
            syms.append(parts[2].split("@")[0])
    return syms


def check_symbols(lib, include_dir):
    errors = []
    declared = declared_functions(include_dir)
    text = "\n".join(h.read_text() for h in headers(include_dir))
    exported = exported_symbols(lib)
    for s in exported:
        if not s.startswith("bt_") or s.startswith("bt__"):
            errors.append("exported symbol %s does not start with bt_ (or is internal)" % s)
        elif not re.search(r"\b%s\b" % re.escape(s), text):
            errors.append("exported symbol %s is declared in no public header" % s)
    for name, h in sorted(declared.items()):
        if name not in exported:
            errors.append("%s declared BT_API in %s is not exported" % (name, h))
    return errors, len(exported)


def check_docs(include_dir):
    errors = []
    count = 0
    for h in headers(include_dir):
        lines = h.read_text().splitlines()
        doc = None          # text of the doc comment the current group uses
        group_open = False  # a doc comment or declaration ended just above
        i = 0
        while i < len(lines):
            line = lines[i].strip()
            if line.startswith("/**"):
                j = i
                while "*/" not in lines[j]:
                    j += 1
                doc = "\n".join(lines[i:j + 1])
                group_open = True
                i = j + 1
                continue
            if line.startswith("/*"):
                while "*/" not in lines[i]:
                    i += 1
                doc, group_open = None, False
                i += 1
                continue
            if not line:
                doc, group_open = None, False
                i += 1
                continue
            if line.startswith("BT_API"):
                j = i
                while ";" not in lines[j]:
                    j += 1
                decl = " ".join(x.strip() for x in lines[i:j + 1])
                m = re.search(r"\b(bt_[A-Za-z0-9_]+)\s*\(", decl)
                name = m.group(1) if m else decl
                count += 1
                where = "%s:%d %s" % (h.name, i + 1, name)
                if not (group_open and doc):
                    errors.append("%s: no doc comment right above it" % where)
                else:
                    body = [l.strip(" */") for l in doc.splitlines()]
                    summary = next((l for l in body if l), "")
                    if not summary or summary.startswith(DOC_PARTS):
                        errors.append("%s: doc comment has no summary line" % where)
                    for part in DOC_PARTS:
                        if part not in doc:
                            errors.append("%s: doc comment lacks '%s'" % (where, part))
                i = j + 1
                continue
            # Any other code (a macro, a typedef) ends the group.
            doc, group_open = None, False
            i += 1
    return errors, count


def check_headers(include_dir, cc, cxx):
    errors = []
    hs = headers(include_dir)
    umbrella = (include_dir / "batteries.h").read_text()
    for h in hs:
        if h.name == "version.h":
            continue
        if "<batteries/%s>" % h.name not in umbrella:
            errors.append("batteries.h does not include <batteries/%s>" % h.name)
    with tempfile.TemporaryDirectory() as tmp:
        # Each module header alone, and the umbrella (which must resolve).
        includes = ["batteries/%s" % h.name for h in hs] + ["batteries.h"]
        for inc_name in includes:
            src = "#include <%s>\nint main(void) { return 0; }\n" % inc_name
            for lang, compiler, std in (("c", cc, "-std=c11"), ("c++", cxx, "-std=c++11")):
                f = Path(tmp) / ("t." + ("c" if lang == "c" else "cc"))
                f.write_text(src.replace("(void)", "()") if lang == "c++" else src)
                r = subprocess.run([compiler, std, "-Wall", "-Wextra", "-Wpedantic", "-Werror",
                                    "-fsyntax-only", "-I", str(include_dir), str(f)],
                                   capture_output=True, text=True)
                if r.returncode:
                    errors.append("%s does not compile alone as %s:\n%s" % (inc_name, lang, r.stderr))
    return errors, len(includes)


def tap(results):
    print("1..%d" % len(results))
    failed = 0
    for n, (name, errors, count) in enumerate(results, 1):
        if errors:
            failed += 1
            print("not ok %d - %s" % (n, name))
            for e in errors:
                for line in e.splitlines():
                    print("#   " + line)
        else:
            print("ok %d - %s (%d checked)" % (n, name, count))
    return 1 if failed else 0


GOOD_HEADER = """#ifndef X_H
#define X_H
/**
 * Does a thing.
 *
 * Python: thing().
 * Returns: 0.
 * Ownership: none.
 * Thread safety: safe.
 */
BT_API int bt_x_thing(void);
BT_API int bt_x_other(void);
#endif
"""


def self_test(cc, cxx):
    """Each rule must fail on a tree that breaks it and pass on a clean one."""
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        inc = Path(tmp) / "include"
        (inc / "batteries").mkdir(parents=True)

        def docs_with(text):
            (inc / "batteries" / "x.h").write_text(text)
            return check_docs(inc)[0]

        results.append(("docs: clean header passes", docs_with(GOOD_HEADER), 1))
        cases = {
            "missing comment": GOOD_HEADER.replace("/**", "/*"),
            "blank line between comment and declaration":
                GOOD_HEADER.replace(" */\nBT_API", " */\n\nBT_API"),
            "missing Thread safety": GOOD_HEADER.replace(" * Thread safety: safe.\n", ""),
            "missing Python": GOOD_HEADER.replace(" * Python: thing().\n", ""),
            "no summary": GOOD_HEADER.replace(" * Does a thing.\n", ""),
            "group broken by blank line":
                GOOD_HEADER.replace("BT_API int bt_x_other", "\nBT_API int bt_x_other"),
        }
        for what, text in cases.items():
            errs = docs_with(text)
            results.append(("docs: catches %s" % what,
                            [] if errs else ["not detected"], 1))

        # Symbols: build a tiny shared library that exports a stray name.
        (inc / "batteries" / "x.h").write_text(GOOD_HEADER)
        src = Path(tmp) / "x.c"
        lib = Path(tmp) / "libx.so"

        def symbols_with(code):
            src.write_text("#define BT_API __attribute__((visibility(\"default\")))\n" + code)
            subprocess.run([cc, "-shared", "-fPIC", "-fvisibility=hidden", "-o", str(lib),
                            str(src)], check=True)
            return check_symbols(lib, inc)[0]

        ok = "BT_API int bt_x_thing(void) { return 0; }\nBT_API int bt_x_other(void) { return 1; }\n"
        results.append(("symbols: clean library passes", symbols_with(ok), 1))
        for what, code in {
            "an export without bt_": ok + "BT_API int stray(void) { return 2; }\n",
            "an internal bt__ export": ok + "BT_API int bt__x_inner(void) { return 2; }\n",
            "an undeclared bt_ export": ok + "BT_API int bt_x_secret(void) { return 2; }\n",
            "a declared function not exported": "BT_API int bt_x_thing(void) { return 0; }\n",
        }.items():
            errs = symbols_with(code)
            results.append(("symbols: catches %s" % what, [] if errs else ["not detected"], 1))

        (inc / "batteries.h").write_text("#include <batteries/x.h>\n")
        (inc / "batteries" / "x.h").write_text(
            "#ifndef X_H\n#define X_H\nint bt_x_thing(void);\n#endif\n")
        results.append(("headers: clean header passes", check_headers(inc, cc, cxx)[0], 1))
        (inc / "batteries" / "x.h").write_text("int bt_x_thing(size_t n);\n")
        errs = check_headers(inc, cc, cxx)[0]
        results.append(("headers: catches a header that does not compile alone",
                        [] if errs else ["not detected"], 1))
        (inc / "batteries.h").write_text("#include <batteries/x.h>\n#include <batteries/gone.h>\n")
        errs = check_headers(inc, cc, cxx)[0]
        results.append(("headers: catches an umbrella including a missing header",
                        [] if any("batteries.h" in e for e in errs) else ["not detected"], 1))
        (inc / "batteries.h").write_text("#include <batteries/x.h>\n")
        (inc / "batteries" / "y.h").write_text("int bt_y(void);\n")
        errs = check_headers(inc, cc, cxx)[0]
        results.append(("headers: catches a header missing from batteries.h",
                        [] if any("batteries.h" in e for e in errs) else ["not detected"], 1))
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=["symbols", "docs", "headers", "self-test", "all"])
    ap.add_argument("--lib", help="the shared library (for symbols)")
    ap.add_argument("--include", default=str(ROOT / "include"))
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"))
    ap.add_argument("--cxx", default=os.environ.get("CXX", "c++"))
    a = ap.parse_args()
    inc = Path(a.include)
    results = []
    if a.what in ("symbols", "all"):
        results.append(("symbols", *check_symbols(Path(a.lib), inc)))
    if a.what in ("docs", "all"):
        results.append(("docs", *check_docs(inc)))
    if a.what in ("headers", "all"):
        results.append(("headers", *check_headers(inc, a.cc, a.cxx)))
    if a.what == "self-test":
        results = self_test(a.cc, a.cxx)
    sys.exit(tap(results))


if __name__ == "__main__":
    main()
