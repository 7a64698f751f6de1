"""requirements.lock (what CI installs) still satisfies pyproject.toml (what the project asks for)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
UPDATE = (
    "requirements.lock is out of step with pyproject.toml; regenerate it as README's 'Test it' says "
    "(uv pip compile pyproject.toml --extra test --universal --python-version 3.11 --generate-hashes -o requirements.lock)"
)


def locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^ ;\\]+)", line)
        if match:
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def test_every_runtime_and_test_requirement_is_pinned_in_the_lock_within_its_bounds():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = locked()
    problems = []
    for text in project["dependencies"] + project["optional-dependencies"]["test"]:
        requirement = Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": "test"}):
            continue
        version = pins.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{requirement.name} is not in the lock")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement.name}=={version} does not satisfy {requirement.specifier}")
    assert not problems, f"{UPDATE}: " + "; ".join(problems)


def test_every_pin_carries_hashes():
    text = (ROOT / "requirements.lock").read_text()
    blocks = re.split(r"\n(?=\S)", text)  # a pin starts a line; its hashes and comments are indented
    pinned = [block for block in blocks if re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*==", block)]
    assert pinned and all("--hash=sha256:" in block for block in pinned), UPDATE


def test_a_pin_repeated_with_an_extra_equals_the_plain_pin():
    """lxml[html_clean] is pinned a second time by hand (see its comment in the lock): uv does not
    write it, so a regenerated lock must get it back, with the same version and hashes."""
    text = (ROOT / "requirements.lock").read_text()
    blocks = re.split(r"\n(?=\S)", text)
    plain = {m.group(1): block for block in blocks if (m := re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*==\S+) ", block))}
    with_extra = [
        (m.group(1) + "==" + m.group(2), block)
        for block in blocks
        if (m := re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)\[[^\]]+\]==(\S+) ", block))
    ]
    assert [pin for pin, _ in with_extra] == ["lxml==" + locked()["lxml"]], UPDATE + ", then pin lxml[html_clean] again"
    for pin, block in with_extra:
        assert pin in plain, f"{pin} has no plain pin of the same version"
        assert re.findall(r"sha256:\w+", block) == re.findall(r"sha256:\w+", plain[pin])
