"""Hypothesis strategies for inventory files, and the one settings profile the property tests share.

Generates clean applications (for round trips through ``csv.writer`` and openpyxl) and messy CSV-like
text and bytes (for "only our errors escape" and "line numbers lie within the file"). No assertions here.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from sovereign.model import Application, Biv, Location

__all__ = [
    "DELIMITERS",
    "SETTINGS",
    "Document",
    "applications",
    "csv_documents",
    "messy_text",
]

#: Modest and without deadlines: file I/O and openpyxl make single examples slow now and then.
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

DELIMITERS = (";", ",", "\t", "|")

# Printable text, no control characters or surrogates (a CSV with those is "not a text file"), and no
# unassigned code points: U+FFFE and U+FFFF are among them, which XML 1.0 forbids and openpyxl does not
# refuse, so a generated XLSX would be damaged (seen as a rare failure of the openpyxl round trip).
_PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs", "Cn"))
# Letters whose Windows-1252 bytes (0xC0-0xFF) can never continue a UTF-8 sequence, so a cp1252 file with
# them is never mistaken for UTF-8. ASCII too, of course.
_CP1252_SAFE = st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 -_.()&'éëïöüâêàèçñÉ"))


def _text(alphabet: st.SearchStrategy[str], *, max_size: int = 12) -> st.SearchStrategy[str]:
    """Non-empty text without surrounding white space, as a reader hands it back after trimming."""
    return st.text(alphabet, min_size=1, max_size=max_size).map(str.strip).filter(bool)


def _with_csv_specials(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    # Delimiters, quotes and line breaks inside values must survive quoting.
    return st.one_of(alphabet, st.sampled_from(list(';,|"\n ')))


# ---------------------------------------------------------------------------------------------------------
# Clean applications for round trips


@dataclass(frozen=True)
class Document:
    """Applications as a file would hold them, with the choices of how to write them."""

    applications: tuple[Application, ...]
    delimiter: str
    encoding: str
    biv_columns: bool  # B/I/V in three columns rather than one "BIV" column
    dutch: bool  # Dutch yes/no and thousands separators


_LEVEL = st.integers(min_value=1, max_value=3)


@st.composite
def applications(
    draw: st.DrawFn, *, alphabet: st.SearchStrategy[str] = _PRINTABLE
) -> tuple[Application, ...]:
    """Applications with unique ids, every field filled or left empty, and one extra column."""
    chars = _with_csv_specials(alphabet)
    text = _text(chars)
    optional = st.none() | text
    ids = draw(st.lists(_text(chars), min_size=1, max_size=6, unique=True))
    dependency = _text(alphabet.filter(lambda c: c not in ";,|\r\n"))
    result = []
    for app_id in ids:
        biv = draw(
            st.none()
            | st.builds(Biv, availability=_LEVEL, integrity=_LEVEL, confidentiality=_LEVEL)
            | st.builds(Biv, availability=st.none() | _LEVEL, integrity=_LEVEL, confidentiality=st.none())
        )
        result.append(
            Application(
                app_id=app_id,
                name=draw(text),
                source=Location(path="", line=None),
                vendor=draw(optional),
                product=draw(optional),
                version=draw(optional),
                category=draw(optional),
                gemma_component=draw(optional),
                hosting=draw(optional),
                hosting_provider=draw(optional),
                data_location=draw(optional),
                department=draw(optional),
                owner=draw(optional),
                biv=biv,
                business_critical=draw(st.none() | st.booleans()),
                personal_data=draw(st.none() | st.booleans()),
                users=draw(st.none() | st.integers(min_value=0, max_value=2_000_000)),
                depends_on=tuple(draw(st.lists(dependency, max_size=3))),
                exit_plan=draw(optional),
                organisation=draw(optional),
                extra=(("Contractnummer", draw(st.just("") | text)),),
            )
        )
    return tuple(result)


@st.composite
def csv_documents(draw: st.DrawFn) -> Document:
    """A document to write with ``csv.writer``; cp1252 documents keep to letters cp1252 can hold."""
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    alphabet = _CP1252_SAFE if encoding == "cp1252" else _PRINTABLE
    return Document(
        applications=draw(applications(alphabet=alphabet)),
        delimiter=draw(st.sampled_from(DELIMITERS)),
        encoding=encoding,
        biv_columns=draw(st.booleans()),
        dutch=draw(st.booleans()),
    )


# ---------------------------------------------------------------------------------------------------------
# Messy text


# Pieces that make the readers take their interesting paths: aliases, delimiters, quotes, line breaks,
# values in both languages, Excel's sep= line.
_TOKENS = [
    "Applicatie", "Naam", "Application", "ID", "Leverancier", "BIV", "B", "I", "V", "CIA", "Gebruikers",
    "Bedrijfskritisch", "Afhankelijk van", "Contractnummer", "sep=;",
    ";", ",", "\t", "|", '"', '""', "\n", "\r\n", "\r", " ", "",
    "ja", "nee", "x", "2/3/3", "H/M/L", "9/9/9", "1.200", "ca. 300", "veel", "Financiën", "Súdwest-Fryslân",
]  # fmt: skip


def messy_text() -> st.SearchStrategy[str]:
    """CSV-like text: inventory words, delimiters, quotes and line breaks in any order."""
    piece = st.one_of(st.sampled_from(_TOKENS), st.text(_PRINTABLE, max_size=4))
    return st.lists(piece, max_size=60).map("".join)


def write_rows(rows: list[list[str]], delimiter: str) -> str:
    """Rows as ``csv.writer`` writes them."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue()
