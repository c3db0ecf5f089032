"""Reading an inventory from a CSV (or tab-separated ``.tsv``/``.txt``) file.

Decodes UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text") or else Windows-1252 as
Excel writes it; detects the delimiter (``;`` ``,`` tab ``|``, or an Excel ``sep=`` line) from the header;
parses with the stdlib ``csv`` module so that ``reader.line_num`` gives each row's physical start line;
finds the header within the first rows and hands the rows to ``_rows``. Raises ``InputError`` for anything
that is not a readable text table, and never lets ``csv.Error`` or ``UnicodeDecodeError`` escape. No
enrichment, no network, no printing.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Sequence
from itertools import accumulate, islice, repeat
from operator import add, sub
from pathlib import Path

from sovereign.errors import InputError
from sovereign.inventory import _headers
from sovereign.inventory._files import FileBytes, read_file_bytes
from sovereign.inventory._rows import (
    Record,
    Table,
    build_inventory,
    build_table,
    by_column,
    empty_file_error,
    is_blank,
    no_name_column_error,
)
from sovereign.model import Inventory, Location

__all__ = ["SUFFIXES", "read", "read_table"]

SUFFIXES = (".csv", ".tsv", ".txt")

# Candidates in order of preference on a tie: Dutch Excel writes ";", English Excel ",".
_DELIMITERS = (";", ",", "\t", "|")
# How many physical lines the delimiter detection looks at; the header sits within the first few.
_SNIFF_LINES = 40
# Excel's own delimiter declaration on the first line: "sep=;".
_SEP_LINE = re.compile(r"sep=([^\"\r\n])\r?\n?", re.IGNORECASE)
# Zip archives (an .xlsx renamed to .csv) and OLE2 compound files (old .xls, encrypted .xlsx).
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# C0 controls other than tab, line feed, vertical tab, form feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20)])
_SAVE_AS_TEXT = "save the inventory from Excel as CSV UTF-8 (.csv), or pass the .xlsx workbook itself"


def read(path: Path) -> Inventory:
    """Read one CSV inventory file."""
    return build_inventory([read_table(path)])


def read_table(path: Path) -> Table:
    """Read one CSV file into its header and data rows, for ``_rows.build_inventory``."""
    file = read_file_bytes(path)
    text = _decode(file)
    # Only the first lines: a national inventory's every line copied once more would double the file in memory.
    lines = list(islice(io.StringIO(text, newline=""), _SNIFF_LINES))
    sep_line = _SEP_LINE.fullmatch(lines[0]) if lines else None
    delimiter = sep_line.group(1) if sep_line else _choose_delimiter("".join(lines))

    opened_at = _unterminated_quote_line(text, delimiter)
    if opened_at is not None:
        raise InputError(
            "unterminated quote: the quoted field that starts on this line runs to the end of the file",
            location=f"{file.label}:{opened_at}",
            hint='close the field with a second ", and write a " inside a quoted field as ""',
        )

    records = _parse(text, delimiter, file.label)
    if sep_line:
        records = records[1:]
    if all(is_blank(r.cells) for r in records):
        raise empty_file_error(file.label)
    header_index = _headers.find_header_row([r.cells for r in records])
    if header_index is None:
        first = next(r for r in records if not is_blank(r.cells))
        raise no_name_column_error(first.location, first.cells)
    return build_table(file.label, file.sha256, records, header_index)


# ---------------------------------------------------------------------------------------------------------
# Decode


def _decode(file: FileBytes) -> str:
    data = file.data
    if not data:
        raise empty_file_error(file.label)
    if data.startswith(_ZIP_MAGIC):
        raise _not_text(
            file, "it is a ZIP archive, perhaps an .xlsx workbook", "give an .xlsx workbook its suffix"
        )
    if data.startswith(_OLE_MAGIC):
        raise _not_text(file, "it looks like an old .xls or a password-protected workbook", _SAVE_AS_TEXT)
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not utf16 and b"\x00" in data:
        raise _not_text(file, "it contains NUL bytes", _SAVE_AS_TEXT)
    try:
        if utf16:
            text = data.decode("utf-16")
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                # Excel's "CSV (gescheiden door lijstscheidingsteken)" writes the Windows code page.
                text = data.decode("cp1252")
    except UnicodeDecodeError as e:
        raise _not_text(file, "its bytes are neither UTF-8 nor Windows-1252 text", _SAVE_AS_TEXT) from e
    if "\x00" in text:  # UTF-16 can encode NUL too
        raise _not_text(file, "it contains NUL characters", _SAVE_AS_TEXT)
    # Binary data that happens to decode as Windows-1252 is full of control characters; text is not. In
    # UTF-8 and Windows-1252 these characters are their own single bytes, which are much faster to count.
    controls = len(_CONTROL.findall(text)) if utf16 else _count_control_bytes(data)
    if controls * 100 > len(text):
        raise _not_text(file, "it is full of control characters", _SAVE_AS_TEXT)
    return text


def _count_control_bytes(data: bytes) -> int:
    """How many bytes of ``data`` are in ``_CONTROL_BYTES``; a megabyte at a time, as translate copies."""
    step = 1 << 20
    return sum(
        len(chunk) - len(chunk.translate(None, _CONTROL_BYTES))
        for chunk in (data[start : start + step] for start in range(0, len(data), step))
    )


def _not_text(file: FileBytes, why: str, hint: str) -> InputError:
    return InputError(f"not a text file: {why}", location=file.label, hint=hint)


# ---------------------------------------------------------------------------------------------------------
# Parse


def _choose_delimiter(head: str) -> str:
    """The delimiter under which the first lines read best as an inventory header.

    Best is: a name column is found, then more known columns, then more columns, then fewer data rows
    wider than the header (a comma inside a name must not win over a semicolon that splits nothing).
    """
    best: tuple[tuple[int, int, int, int], str] | None = None
    for delimiter in _DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter))
        except csv.Error:
            continue
        index = _headers.find_header_row(rows)
        if index is None:
            header = next((row for row in rows if not is_blank(row)), [])
            score = (0, 0, len(header), 0)
        else:
            header = rows[index]
            known = sum(1 for cell in header if _headers.is_known_header(cell))
            wider = sum(1 for row in rows[index + 1 :] if len(row) > len(header))
            score = (1, known, len(header), -wider)
        if best is None or score > best[0]:
            best = (score, delimiter)
    return best[1] if best else _DELIMITERS[0]


def _unterminated_quote_line(text: str, delimiter: str) -> int | None:
    """The line of a quoted field that is never closed, or None.

    Follows the ``csv`` module's rules: a quote opens a quoted field only at the start of a field, ``""``
    inside one is a literal quote, and any other quote is literal text.
    """
    if '"' not in text:
        return None
    open_at: int | None = None
    skip = -1
    for match in re.finditer('"', text):
        index = match.start()
        if index == skip:
            continue
        if open_at is not None:
            if text.startswith('"', index + 1):
                skip = index + 1  # "" inside a quoted field
            else:
                open_at = None
        elif index == 0 or text[index - 1] in (delimiter, "\n", "\r"):
            open_at = index
    if open_at is None:
        return None
    before = text[:open_at]
    return 1 + before.count("\n") + before.count("\r") - before.count("\r\n")


def _parse(text: str, delimiter: str, label: str) -> list[Record]:
    """Every record, blank ones included, each located at the physical line where it starts.

    When no record spans lines (as many records as lines), record ``n`` starts on line ``n``; otherwise
    each record spans one line more than the line breaks in its cells (see ``_start_lines``). The records
    are made a column at a time.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        cells = list(map(tuple, reader))
    except csv.Error as e:
        raise InputError(
            f"cannot be read as CSV: {e}", location=f"{label}:{reader.line_num}", hint=_SAVE_AS_TEXT
        ) from e
    lines: Sequence[int] = range(1, len(cells) + 1)
    if reader.line_num != len(cells):
        lines = _start_lines(cells, reader.line_num) or _read_start_lines(text, delimiter)
    rows = len(cells)
    locations = by_column(
        Location,
        rows,
        {
            "path": repeat(label, rows),
            "line": lines,
            "sheet": repeat(None, rows),
            "element": repeat(None, rows),
        },
    )
    return by_column(Record, rows, {"location": locations, "cells": cells})


def _start_lines(cells: Sequence[Sequence[str]], lines: int) -> list[int]:
    """Each record's start line, from the line breaks inside its cells, or [] if they do not add up.

    A record takes one physical line, and one more per line break inside a quoted cell (``\\n``, ``\\r`` or
    ``\\r\\n``, as the ``csv`` module splits lines), which it keeps in the cell. Counted in C over each
    record's cells joined with NUL (a decoded file holds none), so a cell ending in ``\\r`` and the next
    one starting with ``\\n`` stay two breaks. Their sum must be the ``lines`` the reader read.
    """
    texts = list(map("\x00".join, cells))
    counts = [map(str.count, texts, repeat(newline)) for newline in ("\n", "\r", "\r\n")]
    spans = map(add, map(sub, map(add, *counts[:2]), counts[2]), repeat(1))
    starts = list(accumulate(spans, initial=1))
    return starts[:-1] if starts[-1] == lines + 1 else []


def _read_start_lines(text: str, delimiter: str) -> list[int]:
    """Each record's start line, as the reader counts lines record by record."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    starts = [1]
    for _ in reader:
        starts.append(reader.line_num + 1)
    return starts[:-1]
