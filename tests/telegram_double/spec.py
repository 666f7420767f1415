"""The Bot API specification (api.json) and checks of values against it.

Type expressions in api.json are "Integer", "String", "Boolean", "Float", "InputFile", a type
name, or "Array of <expression>". A field may list several expressions; any one may match.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from . import limits
from .wire import UploadedFile

API_JSON = Path(__file__).with_name("api.json")
ARRAY = "Array of "

# "Scope type, must be default" / 'Type of the reaction, always "emoji"': these fields tell the
# subtypes of one abstract type apart, so a union is only satisfied by the right subtype.
_DISCRIMINATOR = re.compile(r'(?:always|must be) [“"]?([a-z_]+)')
_DISCRIMINATOR_FIELDS = {"type", "status", "source"}


@dataclass(frozen=True)
class Field:
    name: str
    types: tuple[str, ...]
    required: bool
    description: str


@dataclass(frozen=True)
class Kind:
    """A method or a type: its fields, or (abstract types) the subtypes that may stand in."""

    name: str
    fields: dict[str, Field]
    subtypes: tuple[str, ...] = ()
    is_subtype: bool = False


def _kind(entry: dict[str, Any]) -> Kind:
    fields = {
        f["name"]: Field(f["name"], tuple(f["types"]), bool(f["required"]), f["description"])
        for f in entry.get("fields", [])
    }
    return Kind(
        entry["name"],
        fields,
        tuple(entry.get("subtypes", ())),
        bool(entry.get("subtype_of")),
    )


def _describe(value: Any) -> str:
    if isinstance(value, UploadedFile):
        return "an uploaded file"
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, bytes) else "bytes"
    return f"{type(value).__name__} {text[:40]}"


class Spec:
    """Methods and types of the Bot API, loaded once from the copy next to this file."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.version: str = data.get("version", "?")
        self.methods = {name: _kind(entry) for name, entry in data["methods"].items()}
        self.types = {name: _kind(entry) for name, entry in data["types"].items()}

    @classmethod
    @cache
    def load(cls) -> Spec:
        return cls(json.loads(API_JSON.read_text(encoding="utf-8")))

    # --- coercion of form-encoded parameters --------------------------------------------

    def coerce(self, method: str, raw: dict[str, Any]) -> dict[str, Any]:
        """Turn wire strings into typed values by the method's field types.

        PTB (like any form-encoding client) sends strings as they are and every other value
        JSON-encoded, so "123" in an Integer field is 123 while "123" in a String field stays
        a string. Files sent as attach://<name> are put where they are referenced.
        """
        fields = self.methods[method].fields
        files = {k: v for k, v in raw.items() if isinstance(v, UploadedFile)}
        params: dict[str, Any] = {}
        for name, value in raw.items():
            field = fields.get(name)
            if field is None:
                if not (isinstance(value, UploadedFile) and _is_referenced(name, raw)):
                    params[name] = value  # kept so that the check reports it as unknown
                continue
            params[name] = _coerce(value, field.types, files)
        return params

    # --- checks ---------------------------------------------------------------------------

    def check_method(self, method: str, params: dict[str, Any]) -> list[str]:
        """Problems with a method call: field-by-field, then documented limits."""
        kind = self.methods[method]
        problems = self._check_fields(kind, params, "")
        return problems or limits.check_method(method, params)

    def check_object(self, type_name: str, value: Any, path: str = "") -> list[str]:
        """Problems with `value` as an instance of the named type (for self-checks, too)."""
        return self._check_expr(type_name, value, path or type_name)

    def _check_fields(self, kind: Kind, obj: dict[str, Any], path: str) -> list[str]:
        problems = [
            f"{path}{name}: required field is missing"
            for name, field in kind.fields.items()
            if field.required and name not in obj
        ]
        for name, value in obj.items():
            field = kind.fields.get(name)
            if field is None:
                problems.append(f"{path}{name}: unknown field (not in {kind.name})")
                continue
            found = self._check_union(field.types, value, f"{path}{name}")
            if not found and kind.is_subtype and name in _DISCRIMINATOR_FIELDS:
                found = _check_discriminator(field, value, f"{path}{name}")
            if not found:
                reason = limits.check_field(kind.name, name, value, obj)
                found = [f"{path}{name}: {reason}"] if reason else []
            problems += found
        if not problems:
            where = path.rstrip(".") or kind.name
            problems += [f"{where}: {reason}" for reason in limits.check_object(kind.name, obj)]
        return problems

    def _check_union(self, types: tuple[str, ...], value: Any, path: str) -> list[str]:
        """No problems if any type matches; else the problems of the closest candidate."""
        if len(types) == 1:
            return self._check_expr(types[0], value, path)
        attempts = [(self._check_expr(t, value, path), t) for t in types]
        if any(not problems for problems, _ in attempts):
            return []
        shaped = [(p, t) for p, t in attempts if _shape_matches(t, value, self)]
        if not shaped:
            return [f"{path}: expected {' or '.join(types)}, got {_describe(value)}"]
        problems, type_name = min(shaped, key=lambda pair: len(pair[0]))
        return [f"{p} (checked as {type_name})" for p in problems]

    def _check_expr(self, expr: str, value: Any, path: str) -> list[str]:
        if expr.startswith(ARRAY):
            if not isinstance(value, list):
                return [f"{path}: expected {expr}, got {_describe(value)}"]
            inner = expr.removeprefix(ARRAY)
            return [
                p
                for i, item in enumerate(value)
                for p in self._check_expr(inner, item, f"{path}[{i}]")
            ]
        scalar = _SCALARS.get(expr)
        if scalar is not None:
            return [] if scalar(value) else [f"{path}: expected {expr}, got {_describe(value)}"]
        kind = self.types.get(expr)
        if kind is None:
            return []  # a type the spec mentions but does not define: nothing to check against
        if kind.subtypes:
            return self._check_union(kind.subtypes, value, path)
        if not isinstance(value, dict):
            return [f"{path}: expected {expr} object, got {_describe(value)}"]
        return self._check_fields(kind, value, f"{path}.")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_SCALARS = {
    "Integer": _is_int,
    "Float": lambda v: _is_int(v) or isinstance(v, float),
    "Boolean": lambda v: isinstance(v, bool),
    "String": lambda v: isinstance(v, str),
    "InputFile": lambda v: isinstance(v, UploadedFile),
}


def _shape_matches(expr: str, value: Any, spec: Spec) -> bool:
    """Whether `value` is at least the right JSON kind for `expr` (to pick useful errors)."""
    if expr.startswith(ARRAY):
        return isinstance(value, list)
    if expr in _SCALARS:
        return _SCALARS[expr](value)
    return isinstance(value, dict) and expr in spec.types


def _check_discriminator(field: Field, value: Any, path: str) -> list[str]:
    match = _DISCRIMINATOR.search(field.description)
    if match and value != match.group(1):
        return [f"{path}: must be {match.group(1)!r}, got {value!r}"]
    return []


def _is_referenced(name: str, raw: dict[str, Any]) -> bool:
    needle = f"attach://{name}"
    return any(isinstance(v, str) and needle in v for v in raw.values())


# Coercion tries the strict interpretations first; String accepts anything, so it goes last.
_PREFERENCE = {"Integer": 0, "Float": 1, "Boolean": 2, "InputFile": 3, "String": 9}
_BOOLEANS = {"true": True, "false": False}


def _coerce(value: Any, types: tuple[str, ...], files: dict[str, UploadedFile]) -> Any:
    if not isinstance(value, str):
        return value
    for expr in sorted(types, key=lambda t: _PREFERENCE.get(t, 5)):
        ok, parsed = _parse_as(expr, value, files)
        if ok:
            return parsed
    return value


def _parse_as(expr: str, text: str, files: dict[str, UploadedFile]) -> tuple[bool, Any]:
    if expr == "Integer":
        return (True, int(text)) if re.fullmatch(r"-?\d+", text) else (False, None)
    if expr == "Float":
        return _parse_float(text)
    if expr == "Boolean":
        return (text.lower() in _BOOLEANS, _BOOLEANS.get(text.lower()))
    if expr == "InputFile":
        name = text.removeprefix("attach://")
        return (text.startswith("attach://") and name in files, files.get(name))
    if expr == "String":
        return True, text
    try:
        parsed = json.loads(text)
    except ValueError:
        return False, None
    wanted = list if expr.startswith(ARRAY) else dict
    return isinstance(parsed, wanted), parsed


def _parse_float(text: str) -> tuple[bool, Any]:
    try:
        number = float(text)
    except ValueError:
        return False, None
    return math.isfinite(number), number
