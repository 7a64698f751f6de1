"""Quality and speed of the rule-based claim extractor (factcheck.extraction).

Run from the repository root:

    python bench/extraction.py [--mismatches]

Prints the matching rule, precision / recall / F1 and per-field accuracy on
the two seed articles (seeds/claims.toml) and, separately, on the labelled
fixture articles (tests/fixtures/extraction/), the gold claims it missed, how
many candidates matched nothing, and throughput in MB/s (UTF-8 bytes per
second of CPU time on one core, median of several runs, with the wall-clock
figure alongside) on ~5 MB of article text, plus timings on two pathological
inputs (a 200 KB sentence with no punctuation, 1 MB of random words).

Then, for each class of hostile input (runs of number words, digit and comma runs, no
punctuation, quotes and brackets that never close, very long tokens, runs of sentence
marks, dense figures), the CPU time at 100 KB and at 1 MB and their ratio (about 10 when
the extractor is linear; 100 would be quadratic), and the peak memory traced by tracemalloc
while extracting the 1 MB text. ``--hostile`` prints only that part.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factcheck.extraction import extract_claims  # noqa: E402
from factcheck.extraction.evaluation import (  # noqa: E402
    MATCHING_RULE,
    evaluate,
    fixture_documents,
    format_report,
    seed_documents,
)

FIXTURES = ROOT / "tests" / "fixtures" / "extraction"
TARGET_BYTES = 5_000_000
RUNS = 5


def _timed(text: str) -> tuple[float, float, int]:
    """(CPU seconds, wall seconds, candidates) for one extraction."""
    cpu, wall = time.process_time(), time.perf_counter()
    candidates = extract_claims(text)
    return time.process_time() - cpu, time.perf_counter() - wall, len(candidates)


def throughput(bodies: list[str]) -> None:
    unit = "\n\n".join(bodies)
    copies = max(1, TARGET_BYTES // len(unit.encode("utf-8")) + 1)
    corpus = "\n\n".join([unit] * copies)
    size = len(corpus.encode("utf-8")) / 1e6
    cpu_times, wall_times = [], []
    found = 0
    for _ in range(RUNS):
        cpu, wall, found = _timed(corpus)
        cpu_times.append(cpu)
        wall_times.append(wall)
    print(
        f"throughput: {size / statistics.median(cpu_times):.2f} MB/s "
        f"(median CPU time of {RUNS} runs on one core over {size:.2f} MB of UTF-8, "
        f"{len(corpus):,} characters, {found:,} candidates; best run {size / min(cpu_times):.2f} MB/s; "
        f"wall clock median {size / statistics.median(wall_times):.2f} MB/s)"
    )
    print("  CPU seconds per run: " + ", ".join(f"{t:.2f}" for t in cpu_times))

    rng = random.Random(1)
    words = unit.replace("\n", " ").split()
    run_on = " ".join(w.strip(".,;:!?") for w in rng.choices(words, k=40_000))[:200_000]
    cpu, _, found = _timed(run_on)
    print(f"pathological: 200 KB sentence without punctuation: {cpu:.2f}s CPU ({found} candidates)")
    vocabulary = ["missiles", "killed", "said", "that", "and", "12", "1,500", "over", "the", "troops",
                  "Reuters", "according", "to", "which", "nearly", "two", "dozen", "miles", "a", "of"]
    noise = " ".join(rng.choice(vocabulary) for _ in range(250_000))[:1_000_000]
    cpu, _, found = _timed(noise)
    print(f"pathological: 1 MB of random words: {cpu:.2f}s CPU ({found} candidates)")


def _repeat(unit: str):
    return lambda n: (unit * (n // len(unit) + 1))[:n]


def _run_on(n: int) -> str:
    rng = random.Random(2)
    vocabulary = "the troops said that missiles killed according to Reuters which over nearly about in of".split()
    words = [rng.choice(vocabulary) for _ in range(n // 4)]
    return " ".join(words)[:n]


HOSTILE = {
    "number words: one one one ...": _repeat("one "),
    "number words: one hundred and ...": _repeat("one hundred and "),
    "digits and commas: 1,1,1,...": _repeat("1,"),
    "one comma-grouped number 1,000,000,...": lambda n: ("1" + ",000" * n)[:n],
    "one digit run 777...": lambda n: "7" * n,
    "no punctuation (ordinary words)": _run_on,
    "quotation never closed": lambda n: "“" + _run_on(n - 1),
    "brackets never closed": _repeat("(the troops "),
    "one long token aaa...": lambda n: "a" * n,
    "sentence marks ....": _repeat("...."),
    "dense figures: 12 missiles, ...": _repeat("12 missiles, "),
    "dense ranges: between 1 and 2 ...": _repeat("between 1 and 2 "),
    "short lines": _repeat("ab\n"),
}


def hostile() -> None:
    print("hostile inputs: CPU seconds at 100 KB and 1 MB (ratio ~10 = linear), peak traced memory at 1 MB")
    extract_claims("Warm up: the strike killed 4 people, officials said.")
    for name, make in HOSTILE.items():
        small, large = make(100_000), make(1_000_000)
        t_small, _, _ = _timed(small)
        t_large, _, found = _timed(large)
        gc.collect()
        tracemalloc.start()
        extract_claims(large)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        gc.collect()
        print(
            f"  {name:40} 100 KB {t_small:6.3f}s  1 MB {t_large:6.3f}s  ratio {t_large / max(t_small, 1e-9):5.1f}"
            f"  peak {peak / 1e6:6.1f} MB  ({found} candidates at 1 MB)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mismatches", action="store_true", help="list field mismatches on matched pairs")
    parser.add_argument("--hostile", action="store_true", help="only the hostile-input section")
    args = parser.parse_args()
    if args.hostile:
        hostile()
        return 0

    print("Matching rule:", MATCHING_RULE)
    print()
    seeds = seed_documents()
    fixtures = fixture_documents(FIXTURES)
    for name, documents in (("seeds", seeds), ("own articles (tests/fixtures/extraction)", fixtures)):
        print(format_report(evaluate(name, documents), show_mismatches=args.mismatches))
        print()
    throughput([d.body for d in seeds + fixtures])
    print()
    hostile()
    return 0


if __name__ == "__main__":
    sys.exit(main())
