"""argparse cases: parse a command line that uses 20 options (strings,
ints, floats, counts, flags, choices, appends, a BooleanOptionalAction and
two positionals) with a parser built once, and format that parser's help.
The anchor for the parse is glibc's getopt_long over the same command line,
converting the numbers with strtol/strtod (what C programs do by hand)."""
import argparse
import os

os.environ["COLUMNS"] = "80"


def make_parser():
    p = argparse.ArgumentParser(prog="bench", description="a parser with twenty options")
    p.add_argument("--name", help="a name")
    p.add_argument("--count", type=int, help="how many")
    p.add_argument("--ratio", type=float, help="a ratio")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more output")
    p.add_argument("-q", "--quiet", action="store_true", help="less output")
    p.add_argument("--mode", choices=["fast", "slow", "auto"], default="auto", help="mode")
    p.add_argument("-t", "--tag", action="append", help="a tag (repeatable)")
    p.add_argument("-o", "--output", help="output file")
    p.add_argument("--level", type=int, default=1, help="level")
    p.add_argument("--color", action=argparse.BooleanOptionalAction, help="colour")
    p.add_argument("--fast", dest="speed", action="store_const", const="fast", help="go fast")
    p.add_argument("--size", type=int, help="size")
    p.add_argument("--scale", type=float, help="scale")
    p.add_argument("--label", help="label")
    p.add_argument("-n", "--dry-run", action="store_true", help="do nothing")
    p.add_argument("--retries", type=int, default=3, help="retries")
    p.add_argument("--user", help="user")
    p.add_argument("--host", help="host")
    p.add_argument("--port", type=int, help="port")
    p.add_argument("--timeout", type=float, help="timeout")
    p.add_argument("src", help="source")
    p.add_argument("dst", help="destination")
    return p


ARGV = ["--name", "alpha", "--count", "42", "--ratio", "0.75", "-vvv", "-q", "--mode", "fast",
        "-t", "one", "--tag=two", "-o", "out.txt", "--level", "5", "--no-color", "--fast",
        "--size", "1024", "--scale", "1.5", "--label", "x", "-n", "--retries", "7", "--user",
        "root", "--host", "localhost", "--port", "8080", "--timeout", "2.5", "in.txt", "out.dat"]

INPUTS = {}

CASES = [
    dict(name="parse_20_options", unit="ns/op", anchor="getopt_long",
         py_setup="p = make_parser()", py_stmt="p.parse_args(ARGV)"),
    dict(name="format_help", unit="ns/op",
         py_setup="p = make_parser()", py_stmt="p.format_help()"),
]
