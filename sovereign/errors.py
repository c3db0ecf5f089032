"""The exception types a user can see.

Every error the user can fix is a ``UserError``; the CLI turns it into one message and exit code 2.
Anything else is a bug and is allowed to crash with a traceback. This module imports nothing of ours.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "CatalogError",
    "InputError",
    "InputErrors",
    "SovereignError",
    "UnsupportedFormatError",
    "UserError",
]


class SovereignError(Exception):
    """Base of all our exceptions; never raised directly."""


class UserError(SovereignError):
    """The user can fix it. CLI: exit 2, message only."""


class InputError(UserError):
    """One problem in one input file, at a location: ``path:line: message`` plus an optional hint."""

    def __init__(self, message: str, *, location: str | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.hint:
            text += f"\nHint: {self.hint}"
        return text


class InputErrors(UserError):
    """Many ``InputError`` from one file, raised together after the whole file was read."""

    SHOWN = 20

    def __init__(self, errors: Iterable[InputError]) -> None:
        self.errors = tuple(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [str(e) for e in self.errors[: self.SHOWN]]
        if len(self.errors) > self.SHOWN:
            lines.append(f"... and {len(self.errors) - self.SHOWN} more")
        return "\n".join(lines)


class CatalogError(InputError):
    """A catalog YAML file is malformed or inconsistent (file:line from the YAML node, and the record)."""


class UnsupportedFormatError(UserError):
    """The input file's format is not one we read."""
