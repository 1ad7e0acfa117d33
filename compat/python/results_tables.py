#!/usr/bin/env python3
"""Condenses compat/target/compat-results/*.md (written by the conformance suite) into the tables of RESULTS.md.

Usage: python3 compat/python/results_tables.py [RESULTS_DIR]   (prints Markdown)
Cells read passed / failed / known difference.
"""
from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

CHECKS = [
    ("Python writes, Java reads", "Python writes, Java reads"),
    ("routing and reference", "routing, reference"),
    ("Java writes, Python reads", "Java writes, Python reads"),
    ("cross purge", "cross purge"),
]
ORDER = ["none", "gzip", "bz2", "xz", "lzma", "zip", "lz4", "zstd"]


def rows(path: Path):
    for line in path.read_text().splitlines():
        m = re.match(r"^\| ([\d.]+) \| (.+?) \| (\d+) \| (\d+) \| (\d+) \|$", line)
        if m:
            yield m.group(1), m.group(2), tuple(int(m.group(i)) for i in (3, 4, 5))


def cell(c):
    return f"{c[0]} / {c[1]} / {c[2]}" if c else "-"


def main() -> int:
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "target" / "compat-results"
    for suite in sorted(directory.glob("*.md")):
        matrix = defaultdict(dict)
        other = []
        totals = [0, 0, 0]
        for airflow, check, counts in rows(suite):
            totals = [a + b for a, b in zip(totals, counts)]
            m = re.match(r"^(\w+): (.*)$", check)
            if m and m.group(1) in ORDER:
                for key, _ in CHECKS:
                    if m.group(2).startswith(key):
                        matrix[(airflow, m.group(1))][key] = counts
                        break
                continue
            other.append((airflow, check, counts))
        print(f"### {suite.stem}\n")
        print(f"All checks: {totals[0]} passed, {totals[1]} failed, {totals[2]} known differences.\n")
        if matrix:
            print("| Airflow | compression | " + " | ".join(title for _, title in CHECKS) + " |")
            print("|---|---|" + "---:|" * len(CHECKS))
            for (airflow, compression) in sorted(matrix, key=lambda k: (k[0], ORDER.index(k[1]))):
                cells = [cell(matrix[(airflow, compression)].get(key)) for key, _ in CHECKS]
                print(f"| {airflow} | {compression} | " + " | ".join(cells) + " |")
            print()
        if other:
            print("| Airflow | check | passed / failed / known |\n|---|---|---:|")
            for airflow, check, counts in other:
                print(f"| {airflow} | {check} | {cell(counts)} |")
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
