#!/usr/bin/env python3
"""CPython's answers for the time module: gmtime, localtime and mktime in
several zones, strftime, asctime, ctime, the zone values and the errors.

A struct_time is written as 11 space-separated fields: year mon mday hour
min sec wday yday isdst gmtoff zone (zone '-' when empty)."""
import os
import sys

# This folder holds a time.py (this file): import the standard library's.
_HERE = sys.path.pop(0)
import time  # noqa: E402

sys.path.insert(0, _HERE)
from common import write_vectors  # noqa: E402

ZONES = ["UTC", "Europe/Paris", "America/New_York", "Australia/Sydney", "Asia/Kolkata",
         "EST5EDT,M3.2.0,M11.1.0"]


def st(t):
    zone = getattr(t, "tm_zone", None) or "-"
    gmtoff = getattr(t, "tm_gmtoff", None) or 0
    return " ".join(str(x) for x in tuple(t)[:9]) + " %d %s" % (gmtoff, zone)


def err(e):
    name = "OSError" if isinstance(e, OSError) else type(e).__name__
    return ["err", name, str(e)]


STAMPS = [0, 1, -1, -1.5, 0.999, 86399.5, 951782400, 1e9, 1.7e9, 2**31 - 1, 2**31,
          -2**31, 253402300799, 253402300800, -62135596800, -62135596801, 1e15, 6e16, 1e17,
          -1e17, 9.2e18, 9.3e18, -9.3e18, float("nan"), float("inf"), float("-inf"),
          1711846800, 1711846799, 1729990800, 1730008800, 1672531200.25]


def conv_cases(fn):
    rows = []
    for zone in ZONES:
        os.environ["TZ"] = zone
        time.tzset()
        for s in STAMPS:
            try:
                out = ["ok", st(fn(s))]
            except Exception as e:  # noqa: BLE001 - record what CPython raises
                out = err(e)
            rows.append([zone, repr(float(s))] + out)
        if fn is time.gmtime:
            break
    return rows


def mktime_cases():
    rows = []
    tuples = [(2020, 1, 1, 0, 0, 0, 0, 1, -1), (2024, 3, 31, 2, 30, 0, 0, 1, -1),
              (2024, 10, 27, 2, 30, 0, 0, 1, 0), (2024, 10, 27, 2, 30, 0, 0, 1, 1),
              (1970, 1, 1, 0, 0, 0, 0, 1, 0), (1969, 12, 31, 23, 59, 59, 0, 1, 0),
              (2020, 13, 1, 0, 0, 0, 0, 1, -1), (2020, 2, 30, 25, 61, 61, 0, 1, -1),
              (1, 1, 1, 0, 0, 0, 0, 1, 0), (9999, 12, 31, 23, 59, 59, 0, 1, 0),
              (2000000000, 1, 1, 0, 0, 0, 0, 1, 0), (-2000000000, 1, 1, 0, 0, 0, 0, 1, 0)]
    for zone in ZONES:
        os.environ["TZ"] = zone
        time.tzset()
        for t in tuples:
            try:
                out = ["ok", repr(time.mktime(t))]
            except Exception as e:  # noqa: BLE001
                out = err(e)
            rows.append([zone, " ".join(map(str, t))] + out)
    return rows


def format_cases():
    rows = []
    os.environ["TZ"] = "Europe/Paris"
    time.tzset()
    fmts = ["%Y-%m-%d %H:%M:%S", "%a %A %b %B %c", "%d %j %U %W %w %u %y %G %V",
            "%I %p %M %S %%", "%x %X", "%Z %z", "", "no directives", "%", "%Q",
            "%e|%k|%l|%s|%n|%t|%C|%g|%h|%D|%F|%R|%T|%r", "x" * 300 + "%Y"]
    # struct_time values carry their zone; tuples must not use %Z (CPython
    # passes no zone for a plain tuple).
    structs = [time.localtime(s) for s in (0, 1e9, 1711846800, 1729990800)] + \
        [time.gmtime(s) for s in (0, 1.7e9)]
    tuples = [(2020, 0, 0, 0, 0, 0, 0, 0, 0), (2020, 12, 31, 23, 59, 61, 6, 366, 1),
              (2020, 13, 1, 0, 0, 0, 0, 1, 0), (2020, -1, 1, 0, 0, 0, 0, 1, 0),
              (2020, 1, 32, 0, 0, 0, 0, 1, 0), (2020, 1, -1, 0, 0, 0, 0, 1, 0),
              (2020, 1, 1, 24, 0, 0, 0, 1, 0), (2020, 1, 1, -1, 0, 0, 0, 1, 0),
              (2020, 1, 1, 0, 60, 0, 0, 1, 0), (2020, 1, 1, 0, 0, 62, 0, 1, 0),
              (2020, 1, 1, 0, 0, -1, 0, 1, 0), (2020, 1, 1, 0, 0, 0, -1, 1, 0),
              (2020, 1, 1, 0, 0, 0, -2, 1, 0), (2020, 1, 1, 0, 0, 0, 7, 1, 0),
              (2020, 1, 1, 0, 0, 0, 0, 367, 0), (2020, 1, 1, 0, 0, 0, 0, -1, 0),
              (2020, 1, 1, 0, 0, 0, 0, 1, 5), (2020, 1, 1, 0, 0, 0, 0, 1, -7),
              (0, 1, 1, 0, 0, 0, 0, 1, 0), (99, 6, 15, 12, 0, 0, 2, 166, 0),
              (12345, 6, 15, 12, 0, 0, 2, 166, 0), (-5, 6, 15, 12, 0, 0, 2, 166, 0)]
    for f in fmts:
        for t in structs + tuples:
            if "%Z" in f and not hasattr(t, "tm_zone"):
                continue
            args = st(t) if hasattr(t, "tm_zone") else " ".join(map(str, t)) + " 0 -"
            try:
                out = ["ok", time.strftime(f, t).encode().hex()]
            except Exception as e:  # noqa: BLE001
                out = err(e)
            rows.append([f.encode().hex(), args] + out)
    for t in structs + tuples:
        args = st(t) if hasattr(t, "tm_zone") else " ".join(map(str, t)) + " 0 -"
        try:
            out = ["ok", time.asctime(t)]
        except Exception as e:  # noqa: BLE001
            out = err(e)
        rows.append(["asctime", args] + out)
    for s in STAMPS:
        try:
            out = ["ok", time.ctime(s)]
        except Exception as e:  # noqa: BLE001
            out = err(e)
        rows.append(["ctime", repr(float(s))] + out)
    return rows


def zone_cases():
    rows = []
    for zone in ZONES:
        os.environ["TZ"] = zone
        time.tzset()
        rows.append([zone, str(time.timezone), str(time.altzone), str(time.daylight),
                     time.tzname[0], time.tzname[1]])
    return rows


def sleep_cases():
    rows = []
    for v in [-1.0, -1e-9, float("nan"), 1e300, float("inf"), 9.3e9]:
        try:
            # Only invalid arguments here: nothing actually sleeps.
            time.sleep(v)
            out = ["ok"]
        except Exception as e:  # noqa: BLE001
            out = err(e)
        rows.append([repr(v)] + out)
    return rows


def main():
    write_vectors("time", "gmtime", ["tz", "secs", "ok|err", "struct|exc", "message"],
                  conv_cases(time.gmtime))
    write_vectors("time", "localtime", ["tz", "secs", "ok|err", "struct|exc", "message"],
                  conv_cases(time.localtime))
    write_vectors("time", "mktime", ["tz", "tuple", "ok|err", "secs|exc", "message"],
                  mktime_cases())
    write_vectors("time", "format", ["format_hex|asctime|ctime", "struct|secs", "ok|err",
                                     "result|exc", "message"], format_cases())
    write_vectors("time", "zone", ["tz", "timezone", "altzone", "daylight", "tzname0",
                                   "tzname1"], zone_cases())
    write_vectors("time", "sleep", ["secs", "ok|err", "exc", "message"], sleep_cases())


if __name__ == "__main__":
    main()
