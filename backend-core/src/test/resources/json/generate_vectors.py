#!/usr/bin/env python3
"""Generates the expected-bytes vectors for io.xcomhybrid.json tests with the machine's CPython.

Run from this directory: python3 generate_vectors.py
Writes:
  values.jsonl     {"name", "value": <description>, "expected": json.dumps(value),
                    "reparsed": json.dumps(json.loads(expected)), "duplicate_keys": bool,
                    "lone_surrogate_key": bool} for plain Python values
  transcode.jsonl  {"name", "input": text, "expected": json.dumps(json.loads(text))}
  doubles.txt      "<float.hex()> <json.dumps(float)>" for 10,000 random doubles plus repr boundaries
  datetimes.jsonl  CPython's datetime/timedelta float conversions (timestamp(), fromtimestamp(), total_seconds())

A description is {"t": type, "v": ...}: none, bool, int (decimal text), float (float.hex(), or inf/-inf/nan),
str, list, tuple (a nested tuple: a plain array for json.dumps), dict (a list of [key description, value description]).
Only the standard library is used, so the output is the stdlib json module's (no Airflow needed).
"""
import datetime
import json
import math
import os
import random
import struct
import sys
import time

rng = random.Random(20261121)


def describe(v):
    if v is None:
        return {"t": "none"}
    if isinstance(v, bool):
        return {"t": "bool", "v": v}
    if isinstance(v, int):
        return {"t": "int", "v": str(v)}
    if isinstance(v, float):
        if math.isnan(v):
            return {"t": "float", "v": "nan"}
        if math.isinf(v):
            return {"t": "float", "v": "inf" if v > 0 else "-inf"}
        return {"t": "float", "v": v.hex()}
    if isinstance(v, str):
        return {"t": "str", "v": v}
    if isinstance(v, tuple):
        return {"t": "tuple", "v": [describe(x) for x in v]}
    if isinstance(v, list):
        return {"t": "list", "v": [describe(x) for x in v]}
    if isinstance(v, dict):
        return {"t": "dict", "v": [[describe(k), describe(x)] for k, x in v.items()]}
    raise TypeError(type(v))


FLOATS = [
    0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 0.1 + 0.2, 1 / 3, 2 / 3, 0.5, 1.5, 100.0, 100000.0, 1e5, 1e15,
    1000000000000000.0, 9999999999999998.0, 1e16, 1e17, 1e22, 1e23, 2e23, 1.5e16, 12345678901234567.0,
    1e-4, 0.0001, 0.00012345, 1e-5, 1.5e-05, 9.999999999999999e-05, 0.001, 5e-324, 1e-323, 2.5e-323,
    4.35e-322, 2.2250738585072014e-308, 2.225073858507201e-308, 1.7976931348623157e308, 8.98846567431158e307,
    123456789.123456789, 3.141592653589793, 2.718281828459045, 1.1, 2.675, 1e300, 1e-300, 4.9406564584124654e-324,
    9007199254740992.0, 9007199254740993.0, 0.30000000000000004, 1.2345678901234567e-7, 6.02214076e23, -1e-7,
    float("inf"), float("-inf"), float("nan"), 5e-5, 7e-4, 1e21, 1.0000000000000002, 0.9999999999999999,
    2.0 ** 60, 2.0 ** -1074, 2.0 ** 1023, 2.0 ** -1022, 299792458.0, 1.7e308, 65536.0, 4294967296.0,
]

INTS = [0, 1, -1, 42, 2 ** 31 - 1, 2 ** 31, -2 ** 31, -2 ** 31 - 1, 2 ** 63 - 1, 2 ** 63, -2 ** 63, -2 ** 63 - 1,
        2 ** 64, 10 ** 30, -10 ** 30, 3 ** 200, -(7 ** 300), int("9" * 4300), -int("1" + "0" * 4299)]

STRINGS = [
    "", "a", "hello world", "quote\"", "back\\slash", "slash/", "\n\r\t\b\f", "\x00", "\x01\x1f", "\x7f", "\x80",
    "é", "ü", "日本語", "\u2028\u2029", "\ufeff", "\uffff", "😀", "a😀b", "\U0010ffff", "\U00010000",
    "\ud800", "\udfff", "\ud83d", "mixed é😀\x7f\"\\/\n", " ", "~", "</script>", "'single'", "tab\tin",
    "".join(chr(c) for c in range(0x20)), "".join(chr(c) for c in range(0x20, 0x80)),
]


def has_lone_surrogate(s):
    return any(0xd800 <= ord(c) <= 0xdfff for c in s)


def random_string():
    pools = [(0x20, 0x7e), (0, 0x1f), (0x7f, 0xff), (0x100, 0xd7ff), (0xd800, 0xdfff), (0xe000, 0xffff), (0x10000, 0x10ffff)]
    out = []
    for _ in range(rng.randint(0, 12)):
        lo, hi = rng.choice(pools)
        out.append(chr(rng.randint(lo, hi)))
    return "".join(out)


def values():
    cases = []
    for f in FLOATS:
        cases.append(("float " + repr(f), f))
    for i in INTS:
        cases.append(("int %d digits" % len(str(abs(i))), i))
    for s in STRINGS:
        cases.append(("str " + ascii(s)[:40], s))
    for n in range(20):
        cases.append(("random str %d" % n, random_string()))
    cases += [
        ("none", None), ("true", True), ("false", False),
        ("empty list", []), ("empty dict", {}),
        ("list mixed", [1, 2.5, "x", None, True, [], {}]),
        ("nested lists", [[[[1]], [2, [3, [4.0]]]]]),
        ("nested tuple becomes array", [1, (2, 3), {"t": (4, (5,))}]),
        ("dict simple", {"a": 1, "b": [1, 2], "c": {"d": None}}),
        ("dict insertion order", {"z": 1, "a": 2, "m": 3}),
        ("dict int keys", {1: "a", 2: "b", -3: "c", 10 ** 20: "big"}),
        ("dict float keys", {1.5: "a", 1e16: "b", 0.1: "c", -0.0: "d", 1e-5: "e", 2.0: "f"}),
        ("dict non-finite float keys", {float("nan"): 1, float("inf"): 2, float("-inf"): 3}),
        ("dict bool and none keys", {True: 1, False: 0, None: "n"}),
        ("dict mixed keys", {"s": 1, 2: 2, 3.5: 3, None: 4, False: 5}),
        ("dict int and str key collide in json", {1: "int", "1": "str"}),
        ("dict unicode keys", {"é": 1, "😀": 2, "\x7f": 3, "\n": 4}),
        ("dict empty key", {"": ""}),
        ("dict lone surrogate key", {"\ud800": 1, "ok": "\udc00"}),
        ("deep", {"a": [{"b": [{"c": [1.0, -0.0, 1e16, "d\u00e9"]}]}]}),
        ("list of floats", [0.1, 0.2, 0.30000000000000004, 1e-7, 123e300]),
        ("list of big ints", [2 ** 100, -2 ** 100, 0]),
        ("dict with list of dicts", {"rows": [{"id": i, "v": i / 7} for i in range(5)]}),
        ("envelope-like keys allowed when not reserved", {"__version__": 1, "__data__": 2, "__type": "x"}),
    ]
    for n in range(15):
        cases.append(("random nested %d" % n, random_value(3)))
    return cases


def random_scalar():
    kind = rng.randrange(6)
    if kind == 0:
        return rng.randint(-10 ** rng.randint(1, 25), 10 ** rng.randint(1, 25))
    if kind == 1:
        return random_double()
    if kind == 2:
        return random_string()
    if kind == 3:
        return rng.choice([True, False, None])
    if kind == 4:
        return rng.uniform(-1e6, 1e6)
    return float(rng.randint(-10 ** 17, 10 ** 17))


def random_value(depth):
    if depth == 0 or rng.random() < 0.3:
        return random_scalar()
    if rng.random() < 0.5:
        return [random_value(depth - 1) for _ in range(rng.randint(0, 4))]
    out = {}
    for _ in range(rng.randint(0, 4)):
        key = rng.choice([random_string(), rng.randint(-100, 100), rng.choice([True, False, None]), rng.uniform(-10, 10)])
        out[key] = random_value(depth - 1)
    return out


def random_double():
    while True:
        f = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
        if math.isfinite(f):
            return f


TRANSCODE = [
    ("exponent float", "1E5"), ("exponent float lowercase", "1e5"), ("negative zero int", "-0"),
    ("negative zero float", "-0.0"), ("float overflow", "1e400"), ("negative float overflow", "-1e400"),
    ("float underflow", "1e-400"), ("long float text", "0.1000000000000000055511151231257827021181583404541015625"),
    ("many digits", "3.14159265358979323846264338327950288419716939937510"), ("integral float", "2.0"),
    ("big int", "123456789012345678901234567890"), ("compact object", '{"a":1,"b":[1,2,{"c":null}]}'),
    ("whitespace", ' \n\t{ "a" :\r\n [ 1 , 2 ] } \n'), ("escaped unicode", '"\\u00E9\\uD83D\\uDE00"'),
    ("raw utf8", '"\u00e9\U0001F600"'), ("escaped slash", '"a\\/b"'), ("nan tokens", "[NaN, Infinity, -Infinity]"),
    ("lone surrogate escape", '"\\ud800x"'), ("control escapes", '"\\u0000\\u001f\\u007f\\b\\f"'),
    ("nested empty", '{"a":{},"b":[],"c":[[]]}'), ("exp forms", "[1.5E-5, 1e-4, 1E16, 9999999999999998e0, 5e-324]"),
    ("true false null", "[true,false,null]"), ("string with quotes", '"say \\"hi\\""'),
    ("unicode keys", '{"\u00e9":1,"\\u00e8":2}'), ("deep nesting", "[" * 50 + "1" + "]" * 50),
    ("envelope copied as plain json", '{"__classname__":"builtins.tuple","__version__":1,"__data__":[1,2]}'),
]


def datetimes():
    out = []
    utc = datetime.timezone.utc
    aware = [
        datetime.datetime(2024, 1, 1, tzinfo=utc), datetime.datetime(2024, 1, 1, 12, 30, 45, 123456, tzinfo=utc),
        datetime.datetime(1970, 1, 1, tzinfo=utc), datetime.datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=utc),
        datetime.datetime(1, 1, 1, tzinfo=utc), datetime.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=utc),
        datetime.datetime(2255, 6, 5, 23, 47, 34, 740993, tzinfo=utc), datetime.datetime(2038, 1, 19, 3, 14, 8, 1, tzinfo=utc),
        datetime.datetime(1900, 3, 1, 0, 0, 0, 500000, tzinfo=utc), datetime.datetime(2024, 2, 29, 1, 2, 3, 7, tzinfo=utc),
    ]
    for n in range(40):
        micros = rng.randint(-62135596800 * 10 ** 6, 253402300799 * 10 ** 6 + 999999)
        aware.append(datetime.datetime(1970, 1, 1, tzinfo=utc) + datetime.timedelta(microseconds=micros))
    for dt in aware:
        delta = dt - datetime.datetime(1970, 1, 1, tzinfo=utc)
        micros = (delta.days * 86400 + delta.seconds) * 10 ** 6 + delta.microseconds
        out.append({"kind": "aware_timestamp", "epoch_micros": micros, "timestamp": json.dumps(dt.timestamp())})
    os.environ["TZ"] = "Europe/Paris"
    time.tzset()
    naive = [datetime.datetime(2024, 1, 1), datetime.datetime(2024, 7, 1, 12, 0, 0, 1),
             datetime.datetime(2024, 3, 31, 1, 59, 59, 999999), datetime.datetime(2024, 10, 27, 2, 30),
             datetime.datetime(2024, 3, 31, 3, 0), datetime.datetime(2024, 3, 31, 2, 30), datetime.datetime(1999, 12, 31, 23, 59, 59, 999999),
             datetime.datetime(2100, 1, 1, 0, 0, 0, 100)]
    for n in range(20):
        naive.append(datetime.datetime(1971, 1, 1) + datetime.timedelta(microseconds=rng.randint(0, 4 * 10 ** 15)))
    for dt in naive:
        out.append({"kind": "naive_timestamp", "zone": "Europe/Paris", "local": dt.isoformat(timespec="microseconds"),
                    "timestamp": json.dumps(dt.timestamp())})
    stamps = [0.0, 1.5, -1.5, 1700000000.123456, 1700000000.1234565, 1700000000.9999996, -0.0000005, 1e-7,
              253402300799.999999, -62135596800.0, 1711846799.9999995]
    for n in range(30):
        stamps.append(rng.uniform(-6e10, 2.5e11))
    for ts in stamps:
        try:
            aware_dt = datetime.datetime.fromtimestamp(ts, tz=utc)
            naive_dt = datetime.datetime.fromtimestamp(ts)
        except (OverflowError, ValueError, OSError):
            continue
        out.append({"kind": "fromtimestamp", "timestamp": json.dumps(ts), "zone": "Europe/Paris",
                    "utc": aware_dt.replace(tzinfo=None).isoformat(timespec="microseconds"),
                    "local": naive_dt.isoformat(timespec="microseconds")})
    deltas = [datetime.timedelta(0), datetime.timedelta(seconds=1), datetime.timedelta(microseconds=1),
              datetime.timedelta(days=1, seconds=3, microseconds=7), datetime.timedelta(microseconds=-1),
              datetime.timedelta(days=-1), datetime.timedelta(days=999999999, seconds=86399, microseconds=999999),
              datetime.timedelta(days=-999999999), datetime.timedelta(hours=1, microseconds=123456)]
    for n in range(20):
        deltas.append(datetime.timedelta(microseconds=rng.randint(-10 ** 18, 10 ** 18)))
    for d in deltas:
        micros = (d.days * 86400 + d.seconds) * 10 ** 6 + d.microseconds
        out.append({"kind": "total_seconds", "micros": str(micros), "seconds": json.dumps(d.total_seconds())})
    for s in [0.0, 1.5, -1.5, 0.0000005, 0.0000015, -0.0000005, 1e-7, 86400.123456789, 1234567.8901234, -0.1]:
        d = datetime.timedelta(seconds=s)
        micros = (d.days * 86400 + d.seconds) * 10 ** 6 + d.microseconds
        out.append({"kind": "timedelta_from_seconds", "seconds": json.dumps(s), "micros": str(micros)})
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "values.jsonl"), "w", encoding="ascii", newline="\n") as f:
        for name, value in values():
            text = json.dumps(value)
            pairs = []
            json.loads(text, object_pairs_hook=lambda kv: pairs.append([k for k, _ in kv]) or dict(kv))
            duplicates = any(len(keys) != len(set(keys)) for keys in pairs)
            lone = any(has_lone_surrogate(k) for keys in pairs for k in keys)
            f.write(json.dumps({"name": name, "value": describe(value), "expected": text,
                                "reparsed": json.dumps(json.loads(text)), "duplicate_keys": duplicates,
                                "lone_surrogate_key": lone}) + "\n")
    with open(os.path.join(here, "transcode.jsonl"), "w", encoding="ascii", newline="\n") as f:
        for name, text in TRANSCODE:
            f.write(json.dumps({"name": name, "input": text, "expected": json.dumps(json.loads(text))}) + "\n")
    with open(os.path.join(here, "doubles.txt"), "w", encoding="ascii", newline="\n") as f:
        specials = [x for x in FLOATS if math.isfinite(x)]
        for e in range(-325, 310):
            for m in (1.0, 9.999999999999999, 5.0, 2.5):
                x = m * 10.0 ** e if -308 < e < 308 else float("%re%d" % (m, e))
                if math.isfinite(x) and x != 0:
                    specials.append(x)
        for k in range(-1074, 1024):
            specials.append(math.ldexp(1.0, k))
        doubles = specials + [random_double() for _ in range(10000)] + [rng.uniform(-1000, 1000) for _ in range(2000)]
        for x in doubles:
            f.write("%s %s\n" % (x.hex(), json.dumps(x)))
    with open(os.path.join(here, "datetimes.jsonl"), "w", encoding="ascii", newline="\n") as f:
        for row in datetimes():
            f.write(json.dumps(row) + "\n")
    print("python", sys.version.split()[0], "wrote vectors to", here)


if __name__ == "__main__":
    main()
