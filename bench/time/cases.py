"""time cases: reading the clock and formatting a date, per call."""
import time

STAMP = 1700000000.0
FMT = "%Y-%m-%d %H:%M:%S"

INPUTS = {}

CASES = [
    dict(name="time_ns", unit="ns/op", py_setup="", py_stmt="time.time_ns()"),
    dict(name="monotonic", unit="ns/op", py_setup="", py_stmt="time.monotonic()"),
    # Ours appends to a reused buffer; Python builds a new str each time.
    dict(name="gmtime_strftime", unit="ns/op", py_setup="",
         py_stmt="time.strftime(FMT, time.gmtime(STAMP))"),
]
