"""Report texts and locale formatting: the translation files in ``i18n/`` and number, percent and date helpers.

Texts are plain strings read with ``importlib.resources`` from ``i18n/<lang>.yaml``; templates escape them like
any other value, so a translation never carries markup. The formatting helpers are small pure functions with
fixed conventions per language (Dutch ``41,5 %`` and ``1.234``, English ``41.5%`` and ``1,234``); we avoid
Babel on purpose. This module does no I/O beyond reading its own package data, and never touches the network.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from sovereign.errors import UserError

__all__ = [
    "LANGUAGES",
    "Messages",
    "format_date",
    "format_number",
    "format_percent",
    "load_messages",
]

#: Report languages, the default first.
LANGUAGES: tuple[str, ...] = ("nl", "en")

# (thousands separator, decimal separator, percent suffix) per language. Dutch writes a space before the
# percent sign (Taalunie, "procent"), English does not.
_NUMBER_STYLE: dict[str, tuple[str, str, str]] = {
    "nl": (".", ",", " %"),
    "en": (",", ".", "%"),
}


def format_number(value: float, *, lang: str, decimals: int = 0) -> str:
    """Format a number with the language's separators.

    >>> format_number(1234, lang="nl")
    '1.234'
    >>> format_number(1234.5, lang="en", decimals=1)
    '1,234.5'
    >>> format_number(-2.25, lang="nl", decimals=2)
    '-2,25'
    """
    thousands, decimal, _ = _NUMBER_STYLE[lang]
    text = f"{value:,.{decimals}f}"
    # Swap through a placeholder so "1,234.5" becomes "1.234,5" and not "1.234.5".
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def format_percent(share: float, *, lang: str, decimals: int = 1) -> str:
    """Format a share (0..1) as a percentage.

    >>> format_percent(0.415, lang="nl")
    '41,5 %'
    >>> format_percent(0.415, lang="en")
    '41.5%'
    >>> format_percent(1, lang="en", decimals=0)
    '100%'
    """
    return format_number(share * 100, lang=lang, decimals=decimals) + _NUMBER_STYLE[lang][2]


def format_date(iso: str, *, months: tuple[str, ...]) -> str:
    """Format an ISO date (``YYYY-MM-DD``) as day, month name and year.

    >>> format_date("2026-11-03", months=("jan",) * 10 + ("november", "dec"))
    '3 november 2026'
    """
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {months[day.month - 1]} {day.year}"


@dataclass(frozen=True, slots=True)
class Messages:
    """The texts of one language, looked up by dotted key, plus the formatting helpers bound to it."""

    lang: str
    texts: dict[str, Any]
    #: key -> its text, or None when there is none: a national report looks the same words up millions of times
    _found: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    def t(self, key: str, **params: object) -> str:
        """The text at ``key`` (``"summary.title"``), with ``{name}`` placeholders filled from ``params``.

        A missing key raises ``KeyError``: a report with a hole in it is a bug, not a fallback.
        """
        found = self._found.get(key)
        if found is not None:
            return found.format(**params) if params else found
        node: Any = self.texts
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise KeyError(f"no text {key!r} in {self.lang}.yaml")
            node = node[part]
        if not isinstance(node, str):
            raise KeyError(f"text {key!r} in {self.lang}.yaml is not a string")
        self._found[key] = node
        return node.format(**params) if params else node

    def has(self, key: str) -> bool:
        """Whether ``key`` names a text."""
        if key in self._found:
            return self._found[key] is not None
        try:
            self.t(key)
        except KeyError:
            self._found[key] = None
            return False
        return True

    def number(self, value: float, decimals: int = 0) -> str:
        return format_number(value, lang=self.lang, decimals=decimals)

    def percent(self, share: float, decimals: int = 1) -> str:
        return format_percent(share, lang=self.lang, decimals=decimals)

    def date(self, iso: str) -> str:
        """The date in words; an unparsable date is shown as written rather than failing the report."""
        try:
            return format_date(iso, months=tuple(self.texts["months"]))
        except ValueError:
            return iso

    def country(self, code: str | None, fallback: str | None = None) -> str:
        """A country's name in this language: the translation file, else ``fallback``, else the code."""
        if code is None or code == "unknown":
            return self.t("common.unknown")
        names: dict[str, str] = self.texts.get("countries", {})
        return names.get(code) or fallback or code


def load_messages(lang: str) -> Messages:
    """Load the texts of ``lang`` (one of ``LANGUAGES``)."""
    if lang not in LANGUAGES:
        raise UserError(f"unsupported report language {lang!r}; use one of: {', '.join(LANGUAGES)}")
    return Messages(lang, _load_texts(lang))


@cache
def _load_texts(lang: str) -> dict[str, Any]:
    text = (resources.files("sovereign.report") / "i18n" / f"{lang}.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml when built in
    if not isinstance(data, dict):
        raise TypeError(f"i18n/{lang}.yaml must hold a mapping")
    return data
