"""json.dumps of values described in a tagged JSON form, one per line, for the Java JsonDumpsDifferentialTest.

Reads stdin line by line; each line describes one value and gets one output line: json.dumps(value) with Python's
defaults (ensure_ascii, ", " and ": " separators, repr for floats, NaN/Infinity allowed). Description tags:
  ["n"] None, ["t"] True, ["f"] False, ["i", "123"] int (decimal text), ["d", "3ff0000000000000"] float (IEEE bits,
  big-endian hex), ["s", [code units]] str (UTF-16 code units, each a chr(), so surrogates stay as Java has them),
  ["l", [items]] list, ["m", [[key, value], ...]] dict.
"""
import json
import struct
import sys


def build(description):
    tag = description[0]
    if tag == "n":
        return None
    if tag == "t":
        return True
    if tag == "f":
        return False
    if tag == "i":
        return int(description[1])
    if tag == "d":
        return struct.unpack(">d", bytes.fromhex(description[1]))[0]
    if tag == "s":
        return "".join(map(chr, description[1]))
    if tag == "l":
        return [build(item) for item in description[1]]
    if tag == "m":
        return {build(key): build(value) for key, value in description[1]}
    raise ValueError("unknown tag %r" % (tag,))


def main():
    out = sys.stdout
    for line in sys.stdin:
        out.write(json.dumps(build(json.loads(line))))
        out.write("\n")


if __name__ == "__main__":
    main()
