"""Parsing the cell values of an inventory: yes/no, BIV ratings, user counts, dependency lists, id slugs.

Pure functions from trimmed text to values. Empty text, and the words people write for "not known"
(``onbekend``, ``n.v.t.``, ``?``), give None. Text that cannot be read raises ``ValueError``; the caller
turns that into a warning naming file, line and column and leaves the value unknown. No file access, no
warnings collected here, no printing.
"""

from __future__ import annotations

import re
import unicodedata

from sovereign.model import Biv

__all__ = [
    "is_unknown",
    "parse_biv",
    "parse_level",
    "parse_users",
    "parse_yes_no",
    "slugify",
    "split_depends_on",
]

# Written for "we do not know" or "does not apply"; compared after case-folding and dropping spaces and dots.
_UNKNOWN = frozenset(
    {"?", "-", "--", "onbekend", "nietbekend", "unknown", "nvt", "n/a", "na", "nb", "ntb", "tbd"}
)

# fmt: off
_YES = frozenset({"ja", "j", "yes", "y", "true", "waar", "1", "x", "wel", "✓", "✔", "☑"})
_NO  = frozenset({"nee", "n", "no", "false", "onwaar", "0", "geen", "none", "niet", "✗", "✘", "☐"})
# fmt: on
# "Ja, BSN en adres" or "Nee (alleen bedrijfsgegevens)": a leading yes/no word decides.
_LEADING_YES_NO = re.compile(r"(ja|nee|yes|no|geen)\b")

# BIV levels, 1 (low) to 3 (high). Longer words before their first letter, so the alternation prefers them.
_LEVELS: dict[str, int] = {
    "1": 1, "2": 2, "3": 3,
    "laag": 1, "low": 1, "l": 1,
    "midden": 2, "gemiddeld": 2, "middel": 2, "medium": 2, "mid": 2, "m": 2,
    "hoog": 3, "high": 3, "h": 3,
}  # fmt: skip
_LEVEL = "|".join(sorted(map(re.escape, _LEVELS), key=len, reverse=True))
# "B2 I3 V3", "B:2/I:3/V:3", "C3 I2 A1": letters say which part a level belongs to.
_LABELLED_PART = re.compile(rf"([bivac])\s*[:=]?\s*({_LEVEL})(?![a-z0-9])")
_LABEL_PART = {"b": 0, "a": 0, "i": 1, "v": 2, "c": 2}
_SEPARATORS = re.compile(r"[\s/,;|.:=+–-]+")

_USERS_BEFORE = re.compile(
    r"^(?:ca\.?|circa|ongeveer|approx\.?|about|around|meer dan|more than|~|±|\+/-|>=?|≥)\s*"
)
_USERS_AFTER = re.compile(r"\s*(?:\+|gebruikers|users|medewerkers|employees)$")
# Thousands grouped with "." (Dutch), "," (English), a space or a thin space: 1.200, 1,200, 1 200.
_GROUPED = re.compile(r"\d{1,3}(?:([.,\s\u00a0\u202f'])\d{3})(?:\1\d{3})*")

_DEPENDENCY_SEPARATORS = re.compile(r"[;,|\r\n]+")

# Letters that Unicode does not decompose into an ASCII base letter.
_ASCII_FOLD = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "þ": "th", "ð": "d"}
)


def is_unknown(text: str) -> bool:
    """True for empty text and for the words that say a value is not known.

    >>> is_unknown(""), is_unknown("n.v.t."), is_unknown("Onbekend"), is_unknown("nee")
    (True, True, True, False)
    """
    folded = text.casefold().replace(" ", "").replace(".", "")
    return folded == "" or folded in _UNKNOWN


def parse_yes_no(text: str) -> bool | None:
    """Read ja/nee, j/n, x, y/n, yes/no, true/false, waar/onwaar or 1/0.

    >>> parse_yes_no("Ja"), parse_yes_no("x"), parse_yes_no("ONWAAR"), parse_yes_no("")
    (True, True, False, None)
    >>> parse_yes_no("Ja, BSN")
    True
    """
    if is_unknown(text):
        return None
    folded = text.strip().casefold()
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    leading = _LEADING_YES_NO.match(folded)
    if leading:
        return leading.group(1) in ("ja", "yes")
    raise ValueError(text)


def parse_level(text: str) -> int | None:
    """Read one BIV level: 1-3, L/M/H, laag/midden/hoog or low/medium/high.

    >>> parse_level("2"), parse_level("Hoog"), parse_level("L"), parse_level("")
    (2, 3, 1, None)
    """
    if is_unknown(text):
        return None
    level = _LEVELS.get(text.strip().casefold())
    if level is None:
        raise ValueError(text)
    return level


def parse_biv(text: str, *, order: str = "biv") -> Biv | None:
    """Read a BIV rating from one cell: ``2/3/3``, ``2-3-3``, ``233``, ``H/M/L``, ``hoog/midden/laag``.

    Labelled ratings (``B2 I3 V3``, ``C3 I2 A1``) are read by their letters; ``order="cia"`` reads an
    unlabelled rating in confidentiality, integrity, availability order.

    >>> str(parse_biv("2/3/3")), str(parse_biv("hml")), str(parse_biv("3/2/1", order="cia"))
    ('2/3/3', '3/2/1', '1/2/3')
    """
    if is_unknown(text):
        return None
    folded = text.strip().casefold()
    levels = _parse_labelled(folded)
    if levels is None:
        parts = [part for part in _SEPARATORS.split(folded) if part]
        if len(parts) == 1 and len(parts[0]) == 3:
            parts = list(parts[0])
        if len(parts) != 3 or any(part not in _LEVELS for part in parts):
            raise ValueError(text)
        levels = [_LEVELS[part] for part in parts]
        if order == "cia":
            levels.reverse()
    return Biv(availability=levels[0], integrity=levels[1], confidentiality=levels[2])


def _parse_labelled(folded: str) -> list[int] | None:
    """Levels in B, I, V order from a labelled rating, or None when the text is not one."""
    matches = list(_LABELLED_PART.finditer(folded))
    if len(matches) != 3:
        return None
    rest = _LABELLED_PART.sub("", folded)
    if _SEPARATORS.sub("", rest):
        return None
    levels: list[int | None] = [None, None, None]
    for match in matches:
        part = _LABEL_PART[match.group(1)]
        if levels[part] is not None:
            return None
        levels[part] = _LEVELS[match.group(2)]
    return [level for level in levels if level is not None]


def parse_users(text: str) -> int | None:
    """Read a number of users: ``300``, ``1.200``, ``1,200``, ``ca. 300``, ``300+``, ``> 50 gebruikers``.

    >>> parse_users("1.200"), parse_users("ca. 300"), parse_users("300+"), parse_users("")
    (1200, 300, 300, None)
    """
    if is_unknown(text):
        return None
    folded = text.strip().casefold()
    folded = _USERS_BEFORE.sub("", folded)
    folded = _USERS_AFTER.sub("", folded).strip()
    if folded.isascii() and folded.isdigit():
        return int(folded)
    if _GROUPED.fullmatch(folded):
        return int(re.sub(r"\D", "", folded))
    raise ValueError(text)


def split_depends_on(text: str) -> tuple[str, ...]:
    """Split a list of application names or ids on ``;``, ``,``, ``|`` and line breaks.

    >>> split_depends_on("Entra ID; Azure |  Exchange Online,\\nSharePoint;;")
    ('Entra ID', 'Azure', 'Exchange Online', 'SharePoint')
    """
    return tuple(part.strip() for part in _DEPENDENCY_SEPARATORS.split(text) if part.strip())


def slugify(text: str) -> str:
    """A stable id from a name: lowercase ASCII, accents stripped, ``-`` between words; ``app`` if empty.

    >>> slugify("Burgerzaken – Gemeente Súdwest-Fryslân")
    'burgerzaken-gemeente-sudwest-fryslan'
    >>> slugify("Financiën (Key2)")
    'financien-key2'
    """
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_ASCII_FOLD))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug or "app"
