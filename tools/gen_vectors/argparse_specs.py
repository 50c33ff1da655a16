"""argparse vectors (imported by argparse.py, which hands over the standard
modules it imported while its own folder was off sys.path).

SPEC_DOC: a parser is a few lines, one statement each; a statement is words
separated by spaces, a word `key=value` where value may be "quoted" (with
\\" \\\\ and \\n escapes). Objects have ids; `in=ID` picks the container
(default: main, the top parser).

  parser prog=P [usage= description= epilog= prefix_chars= fromfile=
         add_help=0 allow_abbrev=0 argument_default=LIT
         formatter=raw_description,raw_text,defaults,metavar_type]
  arg [in=ID] NAME... [action= nargs=(N|?|*|+|...) const=LIT default=LIT
      type=(int|float|str|upper|even) choices=a,b,c required=1 help=
      metavar= metavars=A,B dest= version=]
  parent ID [parser's keys]   (a parser to copy from, before `parser`)
  parser ... parents=ID,ID
  group ID [in=ID] [title= description=]
  mutex ID [in=ID] [required=1]
  subparsers ID [in=ID] [title= description= dest= required=1 help= metavar= prog=]
  cmd ID of=SUBPARSERS name=N [aliases=a,b help= description= epilog= usage=
      add_help=0 prefix_chars= allow_abbrev=0]
  default [in=ID] DEST=LIT

LIT: i:5  f:1.5  s:text  none  true  false  suppress.
Custom types: upper (str.upper; digits raise ArgumentTypeError "no digits:
'x'"), even (int; odd raises ValueError).
"""
import os
import random

SPECS = {}


def spec(name, text):
    SPECS[name] = "\n".join(line.strip() for line in text.strip().splitlines())


spec("integers", """
parser prog=script.py description="process some integers"
arg integers metavar=N type=int nargs=+ help="value for the accumulator"
arg --sum dest=operator default=s:max action=store_const const=s:sum help="sum the values (instead of finding the max)"
""")
spec("notes_abc", """
parser prog=myscript.py description="argparse example"
arg -a action=store_true default=false
arg -b action=store dest=blog
arg -c action=store dest=c type=int
arg --version action=version version="%(prog)s 2.0"
""")
spec("actions", """
parser prog=act
arg -s --store
arg -k action=store_const const=i:42
arg -t action=store_true
arg -f action=store_false
arg -a --append action=append
arg -A action=append_const const=s:x dest=consts
arg -B action=append_const const=i:7 dest=consts
arg -v --verbose action=count
arg -e --extend action=extend nargs=+
arg --color action=BooleanOptionalAction
arg --flag action=BooleanOptionalAction default=true help="a flag"
""")
spec("nargs", """
parser prog=nargs
arg --two nargs=2
arg --opt nargs=? const=s:C default=s:D
arg --star nargs=*
arg --plus nargs=+ type=int
arg --one nargs=1
arg first
arg rest nargs=*
""")
spec("positional_mix", """
parser prog=pos
arg a
arg b nargs=?
arg c nargs=* default=s:none-given
arg -x
""")
spec("remainder", """
parser prog=rem
arg -v action=store_true
arg cmd
arg args nargs=...
""")
spec("types", """
parser prog=types
arg -i type=int
arg -f type=float
arg -u type=upper
arg -e type=even
arg -d type=int default=s:12
arg -g type=float default=s:2.5
arg n type=int nargs=?
""")
spec("choices", """
parser prog=choices
arg --mode choices=fast,slow,auto default=s:auto
arg --level type=int choices=1,2,3
arg move choices=rock,paper,scissors
""")
spec("required", """
parser prog=req
arg --name required=1
arg --count type=int required=1
arg files nargs=+
""")
spec("abbrev", """
parser prog=abbr
arg --foobar
arg --foonly action=store_true
arg --bar
arg -x action=store_true
arg -xyz action=store_true
""")
spec("no_abbrev", """
parser prog=noab allow_abbrev=0
arg --foobar
arg --foonly action=store_true
""")
spec("negative", """
parser prog=neg
arg -x type=int
arg foo nargs=?
""")
spec("negative_opt", """
parser prog=negopt
arg -1 dest=one action=store_true
arg foo nargs=?
""")
spec("clusters", """
parser prog=clus
arg -a action=store_true
arg -b action=store_true
arg -c
arg -n type=int
""")
spec("groups", """
parser prog=grp description="A program with groups." epilog="See the manual for more."
group g1 title=input description="Where the data comes from."
group g2 title=output
arg in=g1 -i --input metavar=FILE help="read from FILE"
arg in=g1 --encoding default=s:utf-8 help="encoding (default: %(default)s)"
arg in=g2 -o --output help="write to %(metavar)s" metavar=OUT
arg in=g2 --format choices=json,csv,text help="one of %(choices)s"
arg src help="source of type %(type)s" type=str
""")
spec("mutex", """
parser prog=mx
mutex m1
arg in=m1 -v --verbose action=store_true
arg in=m1 -q --quiet action=store_true
arg -x
""")
spec("mutex_required", """
parser prog=mxr
mutex m1 required=1
arg in=m1 --foo action=store_true
arg in=m1 --bar
arg in=m1 --baz help=suppress_me
""")
spec("subparsers", """
parser prog=git description="a version control"
arg --debug action=store_true
subparsers sp dest=command title=commands description="valid commands" help="what to do"
cmd c1 of=sp name=commit help="record changes" aliases=ci
cmd c2 of=sp name=push help="update remotes"
cmd c3 of=sp name=status
arg in=c1 -m --message required=1
arg in=c1 --amend action=store_true
arg in=c2 remote nargs=?
arg in=c2 -f --force action=store_true
arg in=c3 -s --short action=store_true
""")
spec("subparsers_required", """
parser prog=tool
subparsers sp dest=cmd required=1
cmd a of=sp name=add
cmd b of=sp name=remove
arg in=a x type=int
arg in=a y type=int
arg in=b name
""")
spec("subparsers_nodest", """
parser prog=nd
arg -g action=store_true
subparsers sp
cmd a of=sp name=run
arg in=a --fast action=store_true
""")
spec("prefix", """
parser prog=pfx prefix_chars=-+
arg +f action=store_true
arg ++bar
arg -x
""")
spec("plus_only", """
parser prog=plus prefix_chars=+
arg +v action=store_true
arg ++name
arg rest nargs=*
""")
spec("nohelp", """
parser prog=nohelp add_help=0
arg -x
arg pos nargs=?
""")
spec("defaults", """
parser prog=dflt
arg --a default=i:1
arg --b default=f:0.5
arg --c default=none
arg --d default=suppress
arg --e default=true
default zeta=s:z
default a=i:99
""")
spec("metavars", """
parser prog=mv
arg --point nargs=2 metavars=X,Y help="a point"
arg --range nargs=* metavars=LO,HI
arg --pair nargs=+ metavars=FIRST,MORE
arg --dest-name help="dest from long name"
arg target metavar=TARGET help="what to hit"
""")
spec("long_usage", """
parser prog=a_program_with_a_rather_long_name
arg --alpha metavar=ALPHA_VALUE help="the first option, with a help text long enough to wrap around the terminal more than once"
arg --beta metavar=BETA_VALUE help="second"
arg --gamma-delta-epsilon nargs=+ help="third with a very long option name"
arg -z action=count help="zeds"
arg inputs nargs=+ help="input files"
arg output help="output file"
""")
spec("wrap_help", """
parser prog=wrap usage="%(prog)s [options] files..." description="This description is long enough that it needs to be wrapped at narrow widths, and it has  extra   spaces and a hyphenated-word and a well-known fact."
arg -q help="quiet, suppress-all-output-that-is-not-strictly-necessary for operation of this long-winded program"
arg --a-very-long-option-name-indeed metavar=VALUE help="an option whose invocation is longer than the help position"
arg files nargs=* help="files"
""")
spec("suppress_help", """
parser prog=sup
arg --hidden help=suppress
arg --shown help="visible"
mutex m1
arg in=m1 --p help=suppress
arg in=m1 --q
arg in=m1 --r
""")
spec("intermixed", """
parser prog=mix
arg --foo
arg -v action=count
arg cmd
arg rest nargs=*
""")
spec("fromfile", """
parser prog=ff fromfile=@
arg -f
arg args nargs=*
""")
spec("version_only", """
parser prog=ver add_help=0
arg -V --version action=version version="%(prog)s version 1.2.3, a tool whose version string is long enough to wrap when the terminal is narrow"
""")
spec("mutex_in_group", """
parser prog=mig
group g title=things
mutex m in=g
arg in=m --one action=store_true help="first"
arg in=m --two action=store_true help="second"
arg --three help=third
""")
spec("dest_dash", """
parser prog=dd
arg --my-opt
arg -x --x-ray dest=xray
arg pos-arg
""")
spec("empty", """
parser prog=empty
""")
spec("fmt_defaults", """
parser prog=fd formatter=defaults description="Shows defaults."
arg --x type=int default=i:5 help="x value"
arg --y help="no default given"
arg -v action=store_true help=verbose
arg --z default=s:zz help="has %(default)s already"
arg --w default=s:w
arg --hidden default=suppress help="hidden default"
arg pos nargs=? default=s:p help=position
arg many nargs=* help="many things"
arg one help="just one"
""")
spec("fmt_raw", """
parser prog=fr formatter=raw_text description="Line one\\n  indented two\\n\\nthird line" epilog="  epilog\\n    kept"
arg --x help="first line\\n  second, indented\\nthird"
arg --long-option-name help="a\\nb"
""")
spec("fmt_rawdesc_defaults", """
parser prog=frd formatter=defaults,raw_description description="usage notes:\\n  * one\\n  * two"
arg --n type=int default=i:3 help="how   many\\n times"
arg -q action=store_true help=quiet
""")
spec("fmt_metavar", """
parser prog=fm formatter=metavar_type
arg -i type=int help=an-int
arg -f --flt type=float
arg --s type=str nargs=2
arg pos type=int
arg -u type=upper
""")
spec("parents", """
parent base add_help=0 prog=base
arg in=base -v --verbose action=count help="more output"
arg in=base --config metavar=FILE
group bg in=base title=network description="network options"
arg in=bg --host default=s:localhost help=host
mutex bm in=base
arg in=bm --json action=store_true
arg in=bm --xml action=store_true
default in=base color=s:red
parent other add_help=0 prog=other
arg in=other pos nargs=?
group og in=other title=network
arg in=og --port type=int
parser prog=child parents=base,other description="with parents"
arg --own
""")
spec("argument_default", """
parser prog=ad argument_default=suppress
arg --a
arg --b default=i:1
arg -v action=store_true
arg -c action=count
arg pos nargs=?
arg --version action=version version=1.0
""")
spec("argument_default_value", """
parser prog=adv argument_default=s:dflt
arg --a
arg --n type=int
arg -t action=store_true
arg rest nargs=*
""")


WORDS = {
    "integers": ["1", "2", "42", "--sum", "-5", "x", "3.5", "--su", "--", "-h", "--foo"],
    "notes_abc": ["-a", "-b", "happy", "-c", "3", "-cx", "-c3", "-bfoo", "--version", "-ab",
                  "-a-b", "x", "-c", "-2", "--vers"],
    "actions": ["-s", "v", "-k", "-t", "-f", "-a", "w", "-A", "-B", "-v", "-vv", "-e", "p", "q",
                "--color", "--no-color", "--flag", "--no-flag", "--append=z", "--ext", "-tf",
                "-vk", "--store=", "--co", "--no"],
    "nargs": ["--two", "--opt", "--star", "--plus", "--one", "a", "b", "1", "2", "--", "--opt=x",
              "-x", "--plus=3"],
    "positional_mix": ["a", "b", "c", "d", "-x", "X", "--", "-y"],
    "remainder": ["-v", "run", "--x", "a", "-v", "--", "b"],
    "types": ["-i", "5", "x", "-f", "1e3", "1_0", " 7 ", "-u", "abc", "a1", "-e", "4", "3", "-d",
              "-g", "inf", "-0.5", "nan", "0x10", "1__0", "+3"],
    "choices": ["--mode", "fast", "slow", "warp", "--level", "2", "7", "rock", "lizard",
                "paper", "--mode=auto"],
    "required": ["--name", "n", "--count", "3", "f1", "f2", "--count=x"],
    "abbrev": ["--foo", "--foob", "--foon", "--fo=1", "--bar", "--b", "x", "-x", "-xyz", "-xy",
               "-xz", "--foobar=q", "--foonly=1"],
    "no_abbrev": ["--foobar", "v", "--foo", "--foonly", "--foob=1"],
    "negative": ["-x", "-1", "-2.5", "-.5", "-1x", "5", "-", "-y"],
    "negative_opt": ["-1", "-2", "-1.5", "x", "-x"],
    "clusters": ["-ab", "-abc", "v", "-acv", "-ba", "-n5", "-n", "-5", "-an3", "-bz", "-c=1", "-cn"],
    "groups": ["-i", "f", "--input=g", "--encoding", "latin-1", "-o", "out", "--format", "csv",
               "xml", "s"],
    "mutex": ["-v", "-q", "-x", "1", "--verbose", "--quiet", "-vq"],
    "mutex_required": ["--foo", "--bar", "b", "--baz", "z"],
    "subparsers": ["--debug", "commit", "ci", "-m", "msg", "--amend", "push", "origin", "-f",
                   "status", "-s", "pull", "--help", "--", "x"],
    "subparsers_required": ["add", "1", "2", "x", "remove", "n", "-h", "mul"],
    "subparsers_nodest": ["-g", "run", "--fast", "x", "jog"],
    "prefix": ["+f", "++bar", "v", "-x", "1", "+x", "-f", "++b=q"],
    "plus_only": ["+v", "++name", "n", "-v", "--x", "a", "+q"],
    "nohelp": ["-x", "1", "-h", "p", "--help"],
    "defaults": ["--a", "2", "--b", "3", "--c", "c", "--d", "d", "--e", "e"],
    "metavars": ["--point", "1", "2", "--range", "--pair", "a", "b", "--dest-name", "d", "t"],
    "long_usage": ["--alpha", "a", "--beta", "b", "--gamma-delta-epsilon", "g", "-z", "i", "o"],
    "wrap_help": ["-q", "q", "--a-very", "v", "f"],
    "suppress_help": ["--hidden", "h", "--shown", "s", "--p", "1", "--q", "2", "--r", "3"],
    "intermixed": ["--foo", "f", "-v", "c", "r1", "r2", "--", "-x"],
    "fromfile": ["-f", "x", "a", "@" + "ARGFILE", "@missing-file-xyz", "b"],
    "version_only": ["-V", "--version", "x"],
    "mutex_in_group": ["--one", "--two", "--three", "3"],
    "dest_dash": ["--my-opt", "m", "-x", "r", "p"],
    "empty": ["a", "-h", "--", "-x"],
    "fmt_defaults": ["--x", "7", "--y", "y", "-v", "p", "m1", "m2", "o"],
    "fmt_raw": ["--x", "1", "--long", "2"],
    "fmt_rawdesc_defaults": ["--n", "4", "-q", "x"],
    "fmt_metavar": ["-i", "1", "-f", "2", "--s", "a", "b", "5", "-u", "q"],
    "parents": ["-v", "-vv", "--config", "c", "--host", "h", "--json", "--xml", "p", "--port",
                "8", "--own", "o"],
    "argument_default": ["--a", "1", "--b", "2", "-v", "-c", "-cc", "p", "--version"],
    "argument_default_value": ["--a", "x", "--n", "3", "--n", "z", "-t", "r"],
}

FIXED = {
    "integers": [["1", "2", "3"], ["--sum", "1", "2", "3"], ["1", "x"], [], ["-h"],
                 ["--sum"], ["1", "--sum", "2"], ["-5", "7"], ["--", "-5"]],
    "notes_abc": [["-a", "-b happy"], ["-a", "-b", "happy", "-c", "3"], ["--version"],
                  ["-a", "-b", "happy", "-c", "3", "--version"], ["-c", "x"], ["-h"],
                  ["-ab", "x"], ["-abc"], ["-a", "-c"], ["-c", "-1"]],
    "actions": [["-s", "1", "-s", "2"], ["-vvv"], ["-e", "a", "b", "-e", "c"], ["-ezz"],
                ["--extend=xyz"], ["-tfvk"], ["-A", "-B", "-A"], ["--no-color", "--color"],
                ["--color=1"], ["-vx"], ["-h"]],
    "fromfile": [["@ARGFILE"], ["a", "@ARGFILE", "b"], ["@missing-file-xyz"], ["@"],
                 ["-f", "@ARGFILE"]],
}

ARGFILE_TEXT = "-f\nfrom-file\nx y\n\nlast"

CONVERTERS = {}


def make_types(argparse):
    def upper(s):
        if any(c.isdigit() for c in s):
            raise argparse.ArgumentTypeError("no digits: %r" % s)
        return s.upper()

    def even(s):
        v = int(s)
        if v % 2:
            raise ValueError("odd")
        return v

    return {"int": int, "float": float, "str": str, "upper": upper, "even": even}


def words(text):
    """Splits a statement; key=value words come back as (key, value)."""
    out = []
    i = 0
    while i < len(text):
        if text[i] == " ":
            i += 1
            continue
        j = i
        key = None
        buf = []
        while j < len(text) and text[j] != " ":
            c = text[j]
            if c == "=" and key is None and not buf[:1] == ["-"] and "".join(buf).replace(
                    "_", "").isalnum():
                key = "".join(buf)
                buf = []
                j += 1
                continue
            if c == '"':
                j += 1
                while text[j] != '"':
                    if text[j] == "\\":
                        j += 1
                        buf.append({"n": "\n"}.get(text[j], text[j]))
                    else:
                        buf.append(text[j])
                    j += 1
                j += 1
                continue
            buf.append(c)
            j += 1
        out.append((key, "".join(buf)) if key is not None else "".join(buf))
        i = j
    return out


def lit(argparse, v):
    if v == "none":
        return None
    if v == "true":
        return True
    if v == "false":
        return False
    if v == "suppress":
        return argparse.SUPPRESS
    kind, _, rest = v.partition(":")
    return {"i": int, "f": float, "s": str}[kind](rest)


def build(argparse, text):
    types = make_types(argparse)
    objs = {}
    for line in text.split("\n"):
        ws = words(line)
        verb, rest = ws[0], ws[1:]
        kv = dict(w for w in rest if isinstance(w, tuple))
        pos = [w for w in rest if not isinstance(w, tuple)]
        where = objs.get(kv.pop("in", "main"))
        if verb == "parser":
            k = parser_kw(kv, argparse)
            if "parents" in kv:
                k["parents"] = [objs[x] for x in kv["parents"].split(",")]
            objs["main"] = argparse.ArgumentParser(**k)
        elif verb == "parent":
            objs[pos[0]] = argparse.ArgumentParser(**parser_kw(kv, argparse))
        elif verb == "arg":
            objs["main"] if where is None else None
            where.add_argument(*pos, **arg_kw(argparse, types, kv))
        elif verb == "group":
            objs[pos[0]] = where.add_argument_group(kv.get("title"), kv.get("description"))
        elif verb == "mutex":
            objs[pos[0]] = where.add_mutually_exclusive_group(required=kv.get("required") == "1")
        elif verb == "subparsers":
            k = {x: kv[x] for x in ("title", "description", "dest", "help", "metavar", "prog")
                 if x in kv}
            if "required" in kv:
                k["required"] = kv["required"] == "1"
            objs[pos[0]] = where.add_subparsers(**k)
        elif verb == "cmd":
            sp = objs[kv.pop("of")]
            name = kv.pop("name")
            k = parser_kw(kv, argparse)
            if "aliases" in kv:
                k["aliases"] = kv["aliases"].split(",")
            if "help" in kv:
                k["help"] = kv["help"]
            objs[pos[0]] = sp.add_parser(name, **k)
        elif verb == "default":
            where.set_defaults(**{k: lit(argparse, v) for k, v in kv.items()})
    return objs["main"]


FORMATTERS = {}


def parser_kw(kv, argparse=None):
    k = {x: kv[x] for x in ("prog", "usage", "description", "epilog", "prefix_chars") if x in kv}
    if "formatter" in kv:
        names = {"raw_description": argparse.RawDescriptionHelpFormatter,
                 "raw_text": argparse.RawTextHelpFormatter,
                 "defaults": argparse.ArgumentDefaultsHelpFormatter,
                 "metavar_type": argparse.MetavarTypeHelpFormatter}
        bases = tuple(names[n] for n in kv["formatter"].split(","))
        k["formatter_class"] = bases[0] if len(bases) == 1 else type("F", bases, {})
    if "argument_default" in kv:
        k["argument_default"] = lit(argparse, kv["argument_default"])
    if "fromfile" in kv:
        k["fromfile_prefix_chars"] = kv["fromfile"]
    if "add_help" in kv:
        k["add_help"] = kv["add_help"] == "1"
    if "allow_abbrev" in kv:
        k["allow_abbrev"] = kv["allow_abbrev"] == "1"
    return k


def arg_kw(argparse, types, kv):
    k = {}
    for key, v in kv.items():
        if key == "action":
            k[key] = argparse.BooleanOptionalAction if v == "BooleanOptionalAction" else v
        elif key == "nargs":
            k[key] = v if v in ("?", "*", "+") else argparse.REMAINDER if v == "..." else int(v)
        elif key in ("const", "default"):
            k[key] = lit(argparse, v)
        elif key == "type":
            k[key] = types[v]
        elif key == "choices":
            conv = types.get(kv.get("type", "str"), str)
            k[key] = [conv(c) for c in v.split(",")]
        elif key == "required":
            k[key] = v == "1"
        elif key == "help":
            k[key] = argparse.SUPPRESS if v == "suppress_me" else v
        elif key == "metavars":
            k["metavar"] = tuple(v.split(","))
        else:
            k[key] = v
    return k


def run(argparse, contextlib, io, parser, fn, argv):
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            r = getattr(parser, fn)(argv)
    except SystemExit as e:
        code = e.code or 0
        return ["exit", str(code), (out.getvalue() if code == 0 else err.getvalue())]
    if fn == "parse_known_args":
        ns, extras = r
        return ["ok", repr(ns), repr(extras)]
    return ["ok", repr(r), "[]"]


def hexs(s):
    return s.encode("utf-8", "surrogateescape").hex()


def main(argparse, contextlib, io, enc, write_vectors):
    here = os.path.dirname(os.path.abspath(__file__))
    vec_dir = os.path.join(here, "..", "..", "tests", "argparse", "vectors")
    argfile = os.path.join(vec_dir, "argfile.txt")
    with open(argfile, "w") as f:
        f.write(ARGFILE_TEXT)
    # BT_ARGPARSE_SEED draws other command lines (for a local hunt; the
    # committed vectors use the default).
    rng = random.Random(int(os.environ.get("BT_ARGPARSE_SEED", "20261121")))
    rows = []
    os.environ["COLUMNS"] = "80"
    for name, text in SPECS.items():
        rows.append(["spec", name, hexs(text), "", "", ""])
        for cols in ("80", "52"):
            os.environ["COLUMNS"] = cols
            parser = build(argparse, text)
            rows.append(["help", name, cols, hexs(parser.format_help()),
                         hexs(parser.format_usage()), ""])
        os.environ["COLUMNS"] = "80"
        parser = build(argparse, text)
        lists = [list(a) for a in FIXED.get(name, [])]
        pool = WORDS[name]
        seen = set()
        for _ in range(60):
            lists.append([rng.choice(pool) for _ in range(rng.randrange(0, 6))])
        for argv in lists:
            argv = [a.replace("ARGFILE", "tests/argparse/vectors/argfile.txt") for a in argv]
            key = tuple(argv)
            if key in seen:
                continue
            seen.add(key)
            for fn in ("parse_args", "parse_known_args", "parse_intermixed_args"):
                if fn == "parse_intermixed_args" and name not in ("intermixed", "integers",
                                                                 "nargs", "types"):
                    continue
                if fn == "parse_known_args" and rng.random() < 0.6 and name != "intermixed":
                    continue
                cwd = os.getcwd()
                os.chdir(os.path.join(here, "..", ".."))
                try:
                    res = run(argparse, contextlib, io, parser, fn, argv)
                finally:
                    os.chdir(cwd)
                rows.append([fn, name, enc(argv)] + [res[0], hexs(res[1]), hexs(res[2])])
    rows += setup_rows(argparse, hexs)
    write_vectors("argparse", "argparse", ["kind", "spec", "argv|columns|text", "ok|exit",
                                           "repr|status|help", "extras|output|usage"], rows)


SETUP_ERRORS = [
    "parser prog=e\narg -x nargs=2 action=store_true",
    "parser prog=e\narg -x const=i:1 action=count",
    "parser prog=e\narg foo required=1",
    "parser prog=e\narg x dest=y",
    "parser prog=e\narg --",
    "parser prog=e\narg -f\narg -f --foo",
    "parser prog=e\narg -f --foo\narg -g --foo -f",
    "parser prog=e\narg --x const=i:1",
    "parser prog=e\narg --x nargs=2 metavars=A",
    "parser prog=e\narg --x nargs=+ metavars=A",
    "parser prog=e\nmutex m\narg in=m pos",
    "parser prog=e\narg x y",
    "parser prog=e prefix_chars=+\narg -x -y",
    "parser prog=e\nsubparsers sp\ncmd a of=sp name=run\ncmd b of=sp name=run",
    "parent base prog=b\narg in=base -x\nparser prog=e parents=base",
    "parent base prog=b add_help=0\narg in=base -x\nparser prog=e parents=base,base",
    "parser prog=e\nsubparsers sp\ncmd a of=sp name=run\ncmd b of=sp name=go aliases=run",
]


def setup_rows(argparse, hexs):
    rows = []
    for text in SETUP_ERRORS:
        try:
            build(argparse, text)
            raise AssertionError("no error: " + text)
        except (ValueError, TypeError, argparse.ArgumentError) as e:
            rows.append(["setup", hexs(text), type(e).__name__, hexs(str(e)), "", ""])
    return rows
