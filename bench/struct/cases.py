"""struct cases: a compiled Struct packing and unpacking '!IHq' and '<10d'
(the issue's targets: 20x CPython's struct.Struct, a third of hand-written
memcpy + byte swap called as a function, the anchor)."""
import struct

IHQ = struct.Struct("!IHq")
D10 = struct.Struct("<10d")
IHQ_DATA = IHQ.pack(1, 2, -3)
IHQB = struct.Struct("!IHqB")
D10_VALUES = [i / 3 for i in range(10)]
D10_DATA = D10.pack(*D10_VALUES)

INPUTS = {}

CASES = [
    dict(name="pack_IHq", unit="ns/op", anchor="memcpy_bswap",
         py_setup="", py_stmt="IHQ.pack(1, 2, -3)"),
    dict(name="unpack_IHq", unit="ns/op", anchor="memcpy_bswap",
         py_setup="", py_stmt="IHQ.unpack(IHQ_DATA)"),
    dict(name="pack_10d", unit="ns/op", anchor="memcpy",
         py_setup="v = D10_VALUES", py_stmt="D10.pack(*v)"),
    dict(name="unpack_10d", unit="ns/op", anchor="memcpy",
         py_setup="", py_stmt="D10.unpack(D10_DATA)"),
    # The same '!IHq' with every item an INT (bt_struct_int for the unsigned
    # I and H too): the out-of-line recheck after the fast check refuses.
    dict(name="pack_IHq_int_items", unit="ns/op",
         py_setup="", py_stmt="IHQ.pack(1, 2, -3)"),
    # Four fields: past the shapes that get code of their own.
    dict(name="pack_IHqB", unit="ns/op",
         py_setup="", py_stmt="IHQB.pack(1, 2, -3, 4)"),
]
