#!/usr/bin/env python3
"""Instructions per KB of the claim extractor, counted by valgrind (callgrind): a figure that does
not move with the machine's load, for comparing two versions of factcheck/extraction.

    python bench/extraction_instructions.py [--k1 1 --k2 3]    # from the root of the checkout to measure

Builds the throughput corpus of bench/extraction.py (the seed articles and the four older
articles of tests/fixtures/extraction/, joined with blank lines, ~22.5 KB), and in a child Python
under ``valgrind --tool=callgrind``
imports the current directory's factcheck.extraction (PYTHONHASHSEED=0: set and dict
orders, hence the counts, would otherwise vary by ~0.5% run to run), warms up on a small text, then extracts the
corpus K times; run for K=k1 and K=k2, the difference over (k2-k1) over the corpus KB is the figure.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import sys
from pathlib import Path
root = Path.cwd()
sys.path.insert(0, str(root))
import factcheck
assert Path(factcheck.__file__).resolve().is_relative_to(root.resolve()), factcheck.__file__
from factcheck.extraction import extract_claims
from factcheck.extraction.evaluation import fixture_documents, seed_documents
fx = root / "tests" / "fixtures" / "extraction"
docs = seed_documents() + fixture_documents(fx)
corpus = "\n\n".join(d.body for d in docs)
k = int(sys.argv[1])
extract_claims("The ministry said 12 missiles were fired on Tuesday, about 40 people died.")
for _ in range(k):
    extract_claims(corpus)
print("FILE", factcheck.__file__)
print("BYTES", len(corpus.encode("utf-8")))
"""


def collected(k: int) -> tuple[int, int, str]:
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", CHILD, str(k)],
        capture_output=True, text=True, cwd=os.getcwd(),
        env={**os.environ, "PYTHONPATH": os.getcwd(), "PYTHONHASHSEED": "0"}, timeout=3600,
    )
    match = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or not match:
        sys.exit(f"valgrind run failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    size = int(re.search(r"BYTES (\d+)", proc.stdout).group(1))
    where = re.search(r"FILE (.*)", proc.stdout).group(1)
    return int(match.group(1)), size, where


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--k1", type=int, default=1)
    parser.add_argument("--k2", type=int, default=3)
    args = parser.parse_args()
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(2) as pool:  # (instruction counts do not depend on the load)
        first, second = pool.submit(collected, args.k1), pool.submit(collected, args.k2)
        (few, size, where), (many, _, _) = first.result(), second.result()
    kb = size / 1000
    per_kb = (many - few) / (args.k2 - args.k1) / kb
    print(f"{where}: corpus {size:,} bytes; K={args.k1}: {few:,}  K={args.k2}: {many:,}")
    print(f"{per_kb:,.0f} instructions per KB (callgrind; extract_claims, {args.k2} minus {args.k1} passes)")


if __name__ == "__main__":
    main()
