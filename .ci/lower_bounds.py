"""Print constraints that pin every ">=" lower bound of pyproject.toml (constraints-min.txt).

    python3 .ci/lower_bounds.py [TEST-EXTRA-NAME ...] > constraints-min.txt

Every runtime dependency with a ">=" bound becomes "name==bound" (extras are
dropped: pip refuses them in constraints), and so does each named dependency
of the test extra (the smoke test needs pytest and pytest-timeout). .ci/run
installs the project under these constraints into a throwaway virtual
environment and runs a short smoke test, so a bound the code has outgrown, or
one that is not a release at all, fails CI. Made from pyproject.toml each
time, so it never drifts from it: to raise a bound, edit pyproject.toml.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;]*?)\s*(;.*)?$")


def lower_bound(requirement: str) -> str | None:
    """'psycopg[binary]>=3.2,<4 ; python_version < "4"' -> 'psycopg==3.2 ; python_version < "4"'."""
    match = _REQUIREMENT.match(requirement)
    if not match:
        raise SystemExit(f"lower_bounds: cannot read the requirement {requirement!r}")
    name, _extras, specifiers, marker = match.groups()
    bounds = [s.strip()[2:].strip() for s in specifiers.split(",") if s.strip().startswith(">=")]
    if not bounds:
        return None
    return f"{name}=={bounds[0]}" + (f" {marker}" if marker else "")


def main(argv: list[str]) -> int:
    project = tomllib.loads(Path(__file__).resolve().parents[1].joinpath("pyproject.toml").read_text())["project"]
    wanted_test = {name.lower() for name in argv}
    lines = []
    for requirement in project["dependencies"]:
        pinned = lower_bound(requirement)
        if pinned:
            lines.append(pinned)
    for requirement in project.get("optional-dependencies", {}).get("test", []):
        pinned = lower_bound(requirement)
        if pinned and pinned.split("==")[0].lower() in wanted_test:
            lines.append(pinned)
    print("# pyproject.toml's lower bounds, pinned (.ci/lower_bounds.py)")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
