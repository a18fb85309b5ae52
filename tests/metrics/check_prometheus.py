#!/usr/bin/python3
"""A strict reader of the Prometheus text exposition format (0.0.4), for GET /metrics.
Reads the text on stdin; prints the samples as `name{labels} value` lines (labels sorted) and
exits 0, or names the first problem and exits 1."""
import math
import re
import sys

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"'
SAMPLE = re.compile(rf"^({NAME})(\{{(?:{LABEL})(?:,{LABEL})*\}})? (\S+)$")


def fail(line_no, message):
    print(f"line {line_no}: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    types, helps, samples = {}, set(), []
    text = sys.stdin.read()
    if not text.endswith("\n"):
        fail(0, "the text must end with a newline")
    for no, line in enumerate(text.splitlines(), 1):
        if line.startswith("# HELP "):
            name = line.split(" ")[2]
            if name in helps:
                fail(no, f"second HELP for {name}")
            helps.add(name)
        elif line.startswith("# TYPE "):
            parts = line.split(" ")
            if len(parts) != 4 or parts[3] not in ("counter", "gauge", "histogram", "summary", "untyped"):
                fail(no, "bad TYPE line")
            if parts[2] in types:
                fail(no, f"second TYPE for {parts[2]}")
            types[parts[2]] = parts[3]
        elif line.startswith("#") or not line:
            fail(no, "stray comment or empty line")
        else:
            m = SAMPLE.match(line)
            if not m:
                fail(no, f"not a sample: {line!r}")
            name, labels, value = m.group(1), m.group(2) or "", m.group(3)
            try:
                v = float(value.replace("+Inf", "inf"))
            except ValueError:
                fail(no, f"bad value {value!r}")
            base = re.sub(r"_(bucket|sum|count)$", "", name) if re.sub(r"_(bucket|sum|count)$", "", name) in types else name
            if base not in types:
                fail(no, f"sample {name} before its TYPE")
            if types[base] == "counter" and (v < 0 or math.isnan(v)):
                fail(no, "a counter below zero")
            samples.append((no, name, labels, v))
    # Histograms: buckets cumulative, +Inf bucket equal to _count.
    for base, kind in types.items():
        if kind != "histogram":
            continue
        series = {}
        for no, name, labels, v in samples:
            if name == base + "_bucket":
                key = re.sub(r',?le="[^"]*"', "", labels)
                le = re.search(r'le="([^"]*)"', labels).group(1)
                series.setdefault(key, []).append((float(le.replace("+Inf", "inf")), v, no))
            elif name == base + "_count":
                series.setdefault(labels or "{}", [])
        for key, buckets in series.items():
            previous = -1
            for le, v, no in buckets:
                if v < previous:
                    fail(no, f"{base} buckets are not cumulative")
                previous = v
            counts = [v for no, name, labels, v in samples if name == base + "_count" and (labels or "{}") == (key if key != "{}" else "{}")]
            if buckets and counts and buckets[-1][0] != math.inf:
                fail(buckets[-1][2], f"{base} lacks a +Inf bucket")
            if buckets and counts and buckets[-1][1] != counts[0]:
                fail(buckets[-1][2], f"{base} +Inf bucket differs from _count")
    for no, name, labels, v in samples:
        print(f"{name}{labels} {v:g}")


if __name__ == "__main__":
    main()
