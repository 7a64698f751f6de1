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
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mismatches", action="store_true", help="list field mismatches on matched pairs")
    args = parser.parse_args()

    print("Matching rule:", MATCHING_RULE)
    print()
    seeds = seed_documents()
    fixtures = fixture_documents(FIXTURES)
    for name, documents in (("seeds", seeds), ("own articles (tests/fixtures/extraction)", fixtures)):
        print(format_report(evaluate(name, documents), show_mismatches=args.mismatches))
        print()
    throughput([d.body for d in seeds + fixtures])
    return 0


if __name__ == "__main__":
    sys.exit(main())
