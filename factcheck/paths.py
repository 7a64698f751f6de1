"""Where the top-level folders (templates/, static/, migrations/, seeds/) are.

In a source checkout or an editable install they sit beside the package; a
wheel carries them inside it under ``_bundled/`` (see pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    bundled = _PACKAGE_DIR / "_bundled" / name
    if bundled.is_dir():
        return bundled
    return _PACKAGE_DIR.parent / name


TEMPLATES_DIR = resource_dir("templates")
STATIC_DIR = resource_dir("static")
MIGRATIONS_DIR = resource_dir("migrations")
SEEDS_DIR = resource_dir("seeds")
