"""Reading a JSON inventory file safely, and the shape checks the JSON readers share.

``read_json`` refuses files over ``MAX_JSON_BYTES`` before reading them, parses with the stdlib ``json``
module, and turns every way that can fail (bad syntax, bad UTF-8, nesting too deep for the parser, huge
numbers) into one ``InputError`` at ``path:line`` with the line quoted and a caret under the column. The
``Shape`` helpers check the type of a value at a JSON pointer and collect ``InputError``s that name the
pointer, so a reader can report every problem of a file at once. No format knowledge, no printing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sovereign.errors import InputError, InputErrors
from sovereign.inventory._files import read_file_bytes

__all__ = [
    "MAX_JSON_BYTES",
    "JsonFile",
    "Shape",
    "describe",
    "pointer",
    "pointer_join",
    "read_json",
]

#: Larger JSON files are refused unread: an inventory, SaaSBOM or register export is far smaller, and
#: parsing holds the whole document in memory several times over.
MAX_JSON_BYTES = 50 * 1024 * 1024

# How much of a long (minified) line an error message quotes on each side of the column.
_QUOTE_WIDTH = 30


@dataclass(frozen=True, slots=True)
class JsonFile:
    """A parsed JSON file: its label (the path as given), SHA-256 and top-level value."""

    label: str
    sha256: str
    value: Any


def read_json(path: Path) -> JsonFile:
    """Read and parse ``path``; raise ``InputError`` when it is missing, too large or not JSON."""
    label = str(path)
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # missing or unreadable: read_file_bytes says which
    _check_size(label, size)
    file = read_file_bytes(path)
    _check_size(label, len(file.data))  # the file may have grown since stat
    if not file.data.strip():
        raise InputError(
            "the file is empty", location=label, hint="export the inventory again as a JSON document"
        )
    try:
        value = json.loads(file.data)
    except json.JSONDecodeError as e:
        raise InputError(
            f"not valid JSON: {e.msg} (column {e.colno})\n{_quote(e.doc, e.pos)}",
            location=f"{label}:{e.lineno}",
            hint="check the file with a JSON validator; it may be cut off or edited by hand",
        ) from e
    except UnicodeDecodeError as e:
        line = e.object[: e.start].count(b"\n") + 1
        raise InputError(
            f"not valid JSON: byte 0x{e.object[e.start]:02x} is not {e.encoding.upper()} text",
            location=f"{label}:{line}",
            hint="JSON files are UTF-8; export the file again, or save it as UTF-8",
        ) from e
    except RecursionError as e:
        raise InputError(
            "not readable as JSON: arrays or objects are nested too deeply", location=label
        ) from e
    except ValueError as e:  # e.g. an integer with thousands of digits
        raise InputError(f"not readable as JSON: {e}", location=label) from e
    return JsonFile(label=label, sha256=file.sha256, value=value)


def _check_size(label: str, size: int) -> None:
    if size > MAX_JSON_BYTES:
        raise InputError(
            f"the file is {size / 1024 / 1024:.1f} MB; sovereign reads JSON files up to "
            f"{MAX_JSON_BYTES // 1024 // 1024} MB",
            location=label,
            hint="leave out what is not an application (e.g. library components of an SBOM) and try again",
        )


def _quote(document: str, position: int) -> str:
    """The line around ``position``, shortened to a window, with a caret under the position."""
    start = document.rfind("\n", 0, position) + 1
    end = document.find("\n", position)
    line = document[start : end if end != -1 else len(document)].rstrip("\r")
    column = position - start
    left = max(0, column - _QUOTE_WIDTH)
    shown = line[left : column + _QUOTE_WIDTH].expandtabs(1)
    prefix = "..." if left else ""
    suffix = "..." if column + _QUOTE_WIDTH < len(line) else ""
    return f"    {prefix}{shown}{suffix}\n    {' ' * (len(prefix) + column - left)}^"


# ---------------------------------------------------------------------------------------------------------
# JSON pointers and shape checks


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) from its reference tokens.

    >>> pointer("services", 3, "data"), pointer(), pointer("a/b", "m~n")
    ('/services/3/data', '', '/a~1b/m~0n')
    """
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def describe(value: object) -> str:
    """What a JSON value is, for messages.

    >>> describe("x"), describe(3), describe(True), describe(None), describe([]), describe({})
    ('a string', 'a number', 'true', 'null', 'an array', 'an object')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int | float):
        return "a number"
    if value is None:
        return "null"
    if isinstance(value, list):
        return "an array"
    return "an object"


@dataclass(slots=True)
class Shape:
    """Type checks for one file's values; every mismatch becomes an ``InputError`` at its pointer."""

    label: str
    errors: list[InputError] = field(default_factory=list)

    def error(self, at: str, message: str, *, hint: str | None = None) -> None:
        """Record a problem with the value at pointer ``at``."""
        location = f"{self.label}#{at}" if at else self.label  # "" points at the whole document
        self.errors.append(InputError(message, location=location, hint=hint))

    def raise_errors(self) -> None:
        """Raise what was recorded, in pointer order: one ``InputError`` alone, several as ``InputErrors``."""
        errors = sorted(self.errors, key=lambda e: _pointer_key(e.location or ""))
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise InputErrors(errors)

    def object(self, value: object, at: str, what: str = "the value") -> Mapping[str, Any] | None:
        """``value`` when it is a JSON object; else None, with an error (``what`` names it)."""
        if isinstance(value, dict):
            return value
        self.error(at, f"{what} must be an object, found {describe(value)}")
        return None

    def items(self, parent: Mapping[str, Any], key: str, at: str) -> Iterator[tuple[int, Any]]:
        """The (index, item) pairs of the array ``parent[key]``; none when absent or null, error if no array."""
        value = parent.get(key)
        if value is None:
            return iter(())
        if not isinstance(value, list):
            self.error(pointer_join(at, key), f"'{key}' must be an array, found {describe(value)}")
            return iter(())
        return enumerate(value)

    def text(self, parent: Mapping[str, Any], key: str, at: str) -> str | None:
        """The trimmed string ``parent[key]``; None when absent, null or blank (error if not a string)."""
        value = parent.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.error(pointer_join(at, key), f"'{key}' must be a string, found {describe(value)}")
            return None
        return value.strip() or None

    def flag(self, parent: Mapping[str, Any], key: str, at: str) -> bool | None:
        """The boolean ``parent[key]``; None when absent or null (error if not true or false)."""
        value = parent.get(key)
        if value is None or isinstance(value, bool):
            return value
        self.error(pointer_join(at, key), f"'{key}' must be true or false, found {describe(value)}")
        return None


def _pointer_key(location: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key for ``path#/a/10/b``: array indices compare as numbers, so /services/10 follows /services/9."""
    tokens = location.partition("#")[2].split("/")
    return tuple((0, int(t), "") if t.isdigit() else (1, 0, t) for t in tokens)


def pointer_join(base: str, *parts: str | int) -> str:
    """``base`` extended by more reference tokens.

    >>> pointer_join("/services/0", "provider", "name")
    '/services/0/provider/name'
    """
    return base + pointer(*parts)
