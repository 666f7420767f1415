"""What an operator builds and configures: the locked dependency set (constraints.txt), which
the image installs and this suite runs on; docker/env.example naming every setting; what the
image's build context may hold. The stack itself is run by tests/docker_stack.py (CI)."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from bot.settings import Settings

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


def test_env_example_names_every_setting():
    text = (ROOT / "docker" / "env.example").read_text()
    named = set(re.findall(r"\bIZDES_[A-Z0-9_]+", text))
    missing = [f"IZDES_{field.upper()}" for field in Settings.model_fields
               if f"IZDES_{field.upper()}" not in named]
    assert missing == []


def test_the_build_context_holds_neither_secrets_nor_history_nor_tests():
    """.dockerignore leaves out everything but what it names: none of these is named."""
    patterns = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    assert patterns[0] == "*"
    kept = [pattern[1:].rstrip("/") for pattern in patterns if pattern.startswith("!")]
    for path in (".git", ".git/config", "docker/.env", ".env", "tests/conftest.py",
                 "bench/run.py", ".venv/bin/python", "izdes.db", "docker/env.example"):
        assert not any(path == keep or path.startswith(keep + "/")
                       or fnmatch.fnmatch(path, keep) for keep in kept), path
    for needed in ("pyproject.toml", "constraints.txt", "bot", "stats", "locales"):
        assert needed in kept, needed
