#!/usr/bin/env python3
"""Instructions per request of one public page, counted by valgrind (callgrind): a figure that
does not move with the machine's load, for comparing two versions of the code.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/fc_dash_100k \\
        python bench/instructions.py /fact-checks/<id>-<slug> [--revalidate]

The page is requested through Flask's test client (no server, no network) in a
child Python run under ``valgrind --tool=callgrind``, twice: 100 and 300
requests after 50 warm-up requests; the difference over 200 is the figure, so
start-up and imports cancel out. ``--revalidate`` sends the page's ETag in
If-None-Match (the 304 answer). Counts only this process's instructions, not
PostgreSQL's; the rate limit is on at a limit nobody reaches. Each run takes a
minute or two. Needs valgrind (Debian package).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CHILD = """
import sys
from factcheck import create_app
app = create_app({"PUBLIC_URL": "http://127.0.0.1:5000", "PUBLIC_RATE_LIMIT": 1000000})
client = app.test_client()
path, revalidate, count = sys.argv[1], sys.argv[2] == "1", int(sys.argv[3])
first = client.get(path)
assert first.status_code == 200, first.status_code
headers = {"If-None-Match": first.headers["ETag"]} if revalidate else {}
expected = 304 if revalidate else 200
for _ in range(50 + count):
    assert client.get(path, headers=headers).status_code == expected
"""


def collected(path: str, revalidate: bool, count: int) -> int:
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         sys.executable, "-c", CHILD, path, "1" if revalidate else "0", str(count)],
        capture_output=True, text=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=1800,
    )
    match = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or not match:
        sys.exit(f"valgrind run failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return int(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", help="a public page, e.g. /fact-checks/12-some-slug")
    parser.add_argument("--revalidate", action="store_true", help="send its ETag back: the 304 answer")
    args = parser.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("valgrind is not installed (apt-get install valgrind)")
    if "DATABASE_URL" not in os.environ:
        sys.exit("set DATABASE_URL to a database with published fact checks")
    few, many = collected(args.path, args.revalidate, 100), collected(args.path, args.revalidate, 300)
    answer = "304" if args.revalidate else "200"
    print(f"GET {args.path} ({answer}): {(many - few) // 200:,} instructions per request "
          f"(callgrind; 300 minus 100 requests through the test client)")


if __name__ == "__main__":
    main()
