"""What an operator builds: the locked dependency set (constraints.txt), which the image
installs and this suite runs on."""

from __future__ import annotations

import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
BUILD_TOOLS = {"setuptools"}  # in the lock for the image's build; not in a test environment


def locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, is_pin, pinned = line.partition("==")
            assert is_pin and pinned.strip(), f"not one version: {line!r}"
            pins[canonicalize_name(name)] = pinned.strip()
    return pins


def test_every_dependency_is_locked_at_a_version_it_allows():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    pins = locked()
    wrong = []
    for text in wanted:
        requirement = Requirement(text)
        pinned = pins.get(canonicalize_name(requirement.name))
        if pinned is None or not requirement.specifier.contains(pinned, prereleases=True):
            wrong.append(f"{text}: locked at {pinned}")
    assert wrong == [], "run `make lock`"


def test_the_suite_runs_on_the_locked_versions():
    """What CI tests is what the image holds (make install installs with the constraints)."""
    differ = []
    for name, pinned in locked().items():
        if name in BUILD_TOOLS:
            continue
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed != pinned:
            differ.append(f"{name}: {installed} installed, {pinned} locked")
    assert differ == [], "run `make install`"
