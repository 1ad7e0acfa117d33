"""Deterministic XCom test values, built natively in Python (the same list in every Airflow version).

Each value is (family, name, value). The generator uses its own seeded Random, and the harness runs with
PYTHONHASHSEED=0 and TZ=UTC, so set iteration order and naive-datetime timestamps are the same in every process.
The dataclasses live in this module (not in __main__) so that their serde class name, ``xcom_values.Point``, can be
imported back when ``[core] allowed_deserialization_classes`` admits ``xcom_values.*``.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import math
import random
from collections import namedtuple
from zoneinfo import ZoneInfo


@dataclasses.dataclass
class Point:
    x: int
    y: float
    label: str


@dataclasses.dataclass
class Labelled:
    __version__ = 2
    name: str
    tags: list
    extra: dict


Pair = namedtuple("Pair", ["left", "right"])

SEED = 20261121

_ASTRAL = ["\U0001F600", "\U0001D11E", "\U00010348", "\U0001F9D1\u200d\U0001F680", "\U0002A6D6"]
_BMP = ["é", "ß", "Ω", "中文", "日本語", "\u2028", "\u2029", "\u00a0", "\ufeff", "\u007f", "\u0080", "ÿ", "\uffff"]
_ASCII_SPECIAL = ['"', "\\", "/", "\n", "\r", "\t", "\b", "\f", "\x00", "\x01", "\x1f", " ", "'", "<", ">", "&"]

FLOAT_BOUNDARIES = [
    0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.30000000000000004, 1.5, 2.5, 1 / 3, 2 / 3,
    1e15, 1e16, 1e17, 1e-4, 1e-5, 0.0001, 0.00001, 0.00012345, 1.2345e-5,
    999999999999999.9, 9999999999999998.0, 1000000000000000.0, 10000000000000000.0, 123456789012345680.0,
    1e22, 1e23, 1.7976931348623157e308, -1.7976931348623157e308, 5e-324, 2.2250738585072014e-308,
    2.225073858507201e-308, 4.9406564584124654e-324, 1.0000000000000002, 0.9999999999999999,
    9007199254740992.0, 9007199254740993.0, 4.35, 0.035, 100.0, 1e100, 1.23e-100, 3.141592653589793,
    2.718281828459045, 6.02214076e23, -2.5e-7, 0.5, 0.25, 1e21, 1e-7, 123.456, 1e300 * 10,
]

INT_BOUNDARIES = [
    0, 1, -1, 127, 128, 255, 256, 32767, 32768, 2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2**53 - 1, 2**53,
    2**53 + 1, 2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 2**64, 10**30, -(10**30), 10**100 + 7, -(2**200),
]


def _random_string(rnd: random.Random, n: int) -> str:
    parts = []
    for _ in range(n):
        r = rnd.random()
        if r < 0.55:
            parts.append(chr(rnd.randint(0x20, 0x7E)))
        elif r < 0.7:
            parts.append(rnd.choice(_ASCII_SPECIAL))
        elif r < 0.85:
            parts.append(rnd.choice(_BMP))
        else:
            parts.append(rnd.choice(_ASTRAL))
    return "".join(parts)


def _random_scalar(rnd: random.Random):
    k = rnd.randrange(7)
    if k == 0:
        return rnd.choice(INT_BOUNDARIES)
    if k == 1:
        return rnd.randint(-10**6, 10**6)
    if k == 2:
        return rnd.choice(FLOAT_BOUNDARIES)
    if k == 3:
        return rnd.uniform(-1e6, 1e6)
    if k == 4:
        return _random_string(rnd, rnd.randint(0, 12))
    if k == 5:
        return rnd.choice([True, False])
    return None


def _random_tree(rnd: random.Random, depth: int):
    if depth <= 0 or rnd.random() < 0.25:
        return _random_scalar(rnd)
    if rnd.random() < 0.5:
        return [_random_tree(rnd, depth - 1) for _ in range(rnd.randint(0, 5))]
    return {_random_string(rnd, rnd.randint(0, 8)): _random_tree(rnd, depth - 1) for _ in range(rnd.randint(0, 5))}


def _zones():
    return [
        dt.timezone.utc,
        ZoneInfo("UTC"),
        ZoneInfo("Europe/Paris"),
        ZoneInfo("America/New_York"),
        ZoneInfo("Asia/Kolkata"),
        ZoneInfo("Australia/Lord_Howe"),
        ZoneInfo("Pacific/Chatham"),
        dt.timezone(dt.timedelta(hours=5, minutes=30)),
        dt.timezone(dt.timedelta(hours=-8)),
    ]


def build_values() -> list[tuple[str, str, object]]:
    """All test values as (family, name, value); names are unique."""
    import pendulum

    rnd = random.Random(SEED)
    out: list[tuple[str, str, object]] = []

    def add(family, value, name=None):
        out.append((family, name or f"{family}-{sum(1 for f, _, _ in out if f == family)}", value))

    # scalars
    for v in INT_BOUNDARIES:
        add("int", v)
    for v in FLOAT_BOUNDARIES:
        add("float", v)
    add("float", [math.nan, math.inf, -math.inf], "float-nonfinite-list")
    for v in [True, False, None]:
        add("scalar", v)
    # strings
    for s in ["", "plain ascii", "quote\" backslash\\ slash/", "\x00\x01\x1f\x7f", "\u2028\u2029", "é中文\U0001F600",
              "\ud800", "\udfff\ud800", "".join(_ASTRAL), "".join(_BMP), "".join(_ASCII_SPECIAL)]:
        add("string", s)
    for _ in range(14):
        add("string", _random_string(rnd, rnd.randint(1, 60)))
    add("string", _random_string(random.Random(7), 20000), "string-large")
    # nested containers
    for _ in range(40):
        add("nested", _random_tree(rnd, 5))
    add("nested", {"deep": [[[[[[[[[[{"x": [1, 2, {"y": "z"}]}]]]]]]]]]]}, "nested-deep")
    add("nested", {"": None, " ": [], "a": {}, "b": [{}], "c": [[]]}, "nested-empties")
    add("nested", list(range(20000)), "nested-large-list")
    add("nested", {f"k{i}": {"v": i * 0.5, "s": _random_string(rnd, 5)} for i in range(2000)}, "nested-large-dict")
    # dict keys that are not str (json.dumps and serde convert them differently)
    add("dictkeys", {1: "a", 2.5: "b", True: "c", None: "d", "s": "e"})
    add("dictkeys", {-7: [1, 2], 10**20: {"n": 1}})
    add("dictkeys", {False: 0, 0.1: 1})
    # tuples, sets
    add("tuple", (1, "a", None))
    add("tuple", ())
    add("tuple", ((1, 2), [3, (4, 5)]))
    add("tuple", {"t": (1, 2), "l": [(3,)]}, "tuple-nested-in-dict")
    add("tuple", [(1, 2), (3, 4)], "tuple-nested-in-list")
    add("tuple", Pair(1, "two"), "tuple-namedtuple")
    add("set", {1, 2, 3})
    add("set", set())
    add("set", {"a", "b", "c"})
    add("set", frozenset({1.5, 2.5}))
    add("set", {"s": {1, 2}, "f": frozenset({3})}, "set-nested")
    add("set", [{10, 20}], "set-in-list")
    # datetimes
    instants = [
        dt.datetime(2024, 1, 1, 0, 0, 0),
        dt.datetime(2024, 3, 31, 1, 59, 59, 999999),
        dt.datetime(2024, 10, 27, 2, 30, 0),
        dt.datetime(1970, 1, 1, 0, 0, 0),
        dt.datetime(1969, 12, 31, 23, 59, 59, 500000),
        dt.datetime(2038, 1, 19, 3, 14, 8, 123456),
        dt.datetime(2262, 4, 11, 23, 47, 16, 854775),
        dt.datetime(1900, 1, 1, 12, 0, 0),
    ]
    for i, zone in enumerate(_zones()):
        for j, instant in enumerate(instants):
            if (i + j) % 2 == 0:
                add("datetime", instant.replace(tzinfo=zone))
    for instant in instants[:4]:
        add("datetime-naive", instant)
    for name in ["UTC", "Europe/Berlin", "Asia/Tokyo", "America/Sao_Paulo"]:
        add("pendulum", pendulum.datetime(2025, 6, 15, 8, 30, 15, 250000, tz=name))
    add("pendulum", pendulum.datetime(2025, 1, 1, tz=pendulum.FixedTimezone(-3 * 3600)), "pendulum-fixed")
    add("pendulum", pendulum.date(2025, 2, 28), "pendulum-date")
    add("datetime", {"start": dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc), "days": [dt.date(2024, 5, d) for d in (1, 2, 3)]},
        "datetime-in-dict")
    for d in [dt.date(2024, 2, 29), dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(1970, 1, 1)]:
        add("date", d)
    for td in [dt.timedelta(0), dt.timedelta(seconds=1), dt.timedelta(days=1, seconds=3, microseconds=5),
               dt.timedelta(microseconds=1), dt.timedelta(days=-1), dt.timedelta(hours=-1, microseconds=-250),
               dt.timedelta(days=999999999), dt.timedelta(weeks=3, milliseconds=1.5)]:
        add("timedelta", td)
    for d in ["0", "1", "-1", "12.34", "-0.001", "1E+3", "1.0", "3.14159265358979323846264338327950288",
              "123456789012345678901234567890", "1e-30", "0.1", "-0", "100.00", "2.5e2"]:
        add("decimal", decimal.Decimal(d))
    add("dataclass", Point(1, 2.5, "p\u00e9"))
    add("dataclass", Point(-(2**70), -0.0, ""))
    add("dataclass", Labelled("lab", ["a", 1, None], {"k": [1.5, {"z": True}]}))
    add("dataclass", [Point(i, i / 7, str(i)) for i in range(3)], "dataclass-in-list")
    return out
