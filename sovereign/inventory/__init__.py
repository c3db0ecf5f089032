"""Inventory ingest: read a municipality's application inventory files into one ``Inventory``.

``READERS`` maps a file suffix to its reader module; every reader module has ``SUFFIXES``, ``read(path)`` and
``read_table(path)``, and they share the header alias table (``_headers.FIELD_ALIASES``), value parsing
(``_values``) and row accounting (``_rows``). ``read_inventories`` reads several files into one inventory
with unique, stable application ids and one ``InputFile`` (path, SHA-256, rows) per file. Everything a
user can fix raises ``InputError``, ``InputErrors`` or ``UnsupportedFormatError``. No enrichment, no
network, no printing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from sovereign.errors import InputError, InputErrors, UnsupportedFormatError
from sovereign.inventory import csv_reader, xlsx_reader
from sovereign.inventory._files import read_file_bytes
from sovereign.inventory._rows import Table, build_inventory
from sovereign.model import InputFile, Inventory

from ._values import parse_biv

__all__ = ["READERS", "parse_biv", "read_inventories", "read_inventory"]

#: Suffix (lower case, with the dot) -> reader module.
READERS: dict[str, ModuleType] = {
    suffix: module for module in (csv_reader, xlsx_reader) for suffix in module.SUFFIXES
}

# Formats people will try, with what to do instead.
_CONVERT_HINTS = {
    ".xls": "save the workbook from Excel as an Excel workbook (.xlsx)",
    ".ods": "save the spreadsheet from LibreOffice as .xlsx or CSV",
    ".numbers": "export the spreadsheet from Numbers as .xlsx or CSV",
}


def read_inventory(path: Path) -> Inventory:
    """Read one inventory file with the reader for its suffix."""
    return build_inventory([_read_table(path)])


def read_inventories(paths: Sequence[Path]) -> tuple[Inventory, tuple[InputFile, ...]]:
    """Read several inventory files into one inventory, and describe each file read.

    Rows that repeat an earlier row exactly, in the same file or an earlier one, are merged into it (and
    said so in a warning). Every file is read before errors are raised, so the user sees the problems of
    all files at once: one ``InputError`` alone, several together as ``InputErrors``. An unsupported suffix
    is reported before any file is read.
    """
    for path in paths:
        _reader_for(path)
    tables: list[Table] = []
    errors: list[InputError] = []
    for path in paths:
        try:
            tables.append(_read_table(path))
        except InputErrors as e:
            errors.extend(e.errors)
        except InputError as e:
            errors.append(e)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise InputErrors(errors)
    inventory = build_inventory(tables)
    files = tuple(
        InputFile(path=str(path), sha256=table.sha256, rows=len(table.rows))
        for path, table in zip(paths, tables, strict=True)
    )
    return inventory, files


def _read_table(path: Path) -> Table:
    table: Table = _reader_for(path).read_table(path)
    return table


def _reader_for(path: Path) -> ModuleType:
    """The reader module for ``path``; a missing file or a directory is reported before its suffix."""
    suffix = path.suffix.lower()
    if suffix in READERS:
        return READERS[suffix]
    if not path.exists() or path.is_dir():
        read_file_bytes(path)  # raises the "no such file" / "is a directory" InputError
    accepted = ", ".join(sorted(READERS))
    what = f"'{path.suffix}'" if path.suffix else "(no suffix)"
    hint = _CONVERT_HINTS.get(suffix, f"save the inventory as {accepted}")
    raise UnsupportedFormatError(
        f"{path}: unsupported format {what}; sovereign reads {accepted}\nHint: {hint}"
    )
