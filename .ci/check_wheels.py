"""Every dependency (runtime, test and bench extras) resolves to wheels on each supported Python.

Resolves the requirements of pyproject.toml for CPython 3.11-3.14 on
manylinux x86-64 with --only-binary=:all: (pip's dry run reads metadata, it
installs nothing) and prints one line per version; then does the same with
requirements.lock, the exact pins (and hashes) CI installs, so the lock too
installs from wheels on every supported Python. Exits 1 when anything cannot
be resolved from wheels alone (the error names the package).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

VERSIONS = ["3.11", "3.12", "3.13", "3.14"]
PLATFORMS = ["manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"]


def requirements() -> list[str]:
    project = tomllib.loads(Path(__file__).resolve().parents[1].joinpath("pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        reqs += extra
    return reqs


LOCK = Path(__file__).resolve().parents[1] / "requirements.lock"


def check(tmp: str, version: str, source: Path, label: str) -> tuple[bool, list[str]]:
    """One dry run; (resolved, the lines to print)."""
    report = Path(tmp, f"report-{version}-{source.name}.json")
    command = [
        sys.executable, "-m", "pip", "install", "--quiet", "--dry-run", "--ignore-installed",
        "--only-binary=:all:", "--python-version", version, "--target", str(Path(tmp, f"target-{version}-{source.name}")),
        "--report", str(report), "-r", str(source),
    ]
    for platform in PLATFORMS:
        command += ["--platform", platform]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
        return False, [f"wheels: Python {version}{label}: NOT resolvable from wheels: {' / '.join(errors) or result.stderr[-500:]}"]
    installed = json.loads(report.read_text())["install"]
    names = sorted(f"{i['metadata']['name']}=={i['metadata']['version']}" for i in installed)
    return True, [f"wheels: Python {version}{label}: all {len(names)} distributions have wheels", "        " + ", ".join(names)]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        req_file = Path(tmp, "requirements.txt")
        req_file.write_text("\n".join(requirements()) + "\n")
        runs = [(v, req_file, "") for v in VERSIONS] + [(v, LOCK, " (requirements.lock)") for v in VERSIONS]
        # The runs wait on the network more than on the processor: four at a time.
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(lambda run: check(tmp, *run), runs))
    for _ok, lines in results:
        print("\n".join(lines))
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
