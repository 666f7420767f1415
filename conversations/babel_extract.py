"""Babel extractor for survey YAML files, so `pybabel extract` finds their texts.

Registered as the ``izdes_survey`` extractor (pyproject entry point) and used by babel.cfg.
Extracted: question ``text`` and ``short``, variant ``text``, choice ``label`` and ``ends``,
and the survey ``title`` and ``thanks``. Choice labels that are plain numbers are not words
and are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import yaml

TRANSLATABLE_KEYS = frozenset({"text", "short", "label", "ends", "title", "thanks"})


def extract_survey(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Yield (line number, function name, message, comments) as Babel expects."""
    root = yaml.compose(fileobj.read().decode("utf-8"))
    if root is not None:
        yield from _walk(root)


def _walk(node: yaml.Node) -> Iterator[tuple[int, str | None, str, list[str]]]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if (
                isinstance(value, yaml.ScalarNode)
                and key.value in TRANSLATABLE_KEYS
                and value.value
                and not value.value.isdigit()
            ):
                yield value.start_mark.line + 1, None, value.value, [f"survey: {key.value}"]
            else:
                yield from _walk(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk(item)
