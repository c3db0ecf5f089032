"""Inventory ingest: read a municipality's application inventory files into one ``Inventory``.

``READERS`` maps a file suffix to its reader module; every reader module has ``SUFFIXES``, ``read(path)`` and
``read_table(path)``, and they share the header alias table (``_headers.FIELD_ALIASES``), value parsing
(``_values``) and row accounting (``_rows``). ``read_inventories`` reads several files into one inventory
with unique, stable application ids and one ``InputFile`` (path, SHA-256, rows) per file. Everything a
user can fix raises ``InputError``, ``InputErrors`` or ``UnsupportedFormatError``. No enrichment, no
network, no printing.

A suffix that several readers share (``BY_CONTENT``: ``.json``) is read by the reader whose
``is_document`` accepts the file's content: ``"bomFormat": "CycloneDX"`` is a CycloneDX BOM, an
OpenRegister export (``components.objects``) a Softwarecatalogus register. ``format=`` names a reader in
``FORMATS`` and uses it whatever the suffix.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from sovereign.errors import InputError, InputErrors, UnsupportedFormatError
from sovereign.inventory import (
    archi_csv_reader,
    archimate_reader,
    csv_reader,
    cyclonedx_reader,
    softwarecatalogus_reader,
    xlsx_reader,
)
from sovereign.inventory._files import read_file_bytes
from sovereign.inventory._json import read_json
from sovereign.inventory._rows import Document, Table, build_inventory
from sovereign.model import InputFile, Inventory

from ._values import parse_biv

__all__ = ["BY_CONTENT", "DETECTED", "FORMATS", "READERS", "parse_biv", "read_inventories", "read_inventory"]

#: Suffix (lower case, with the dot) -> reader module.
READERS: dict[str, ModuleType] = {
    suffix: module
    for module in (csv_reader, xlsx_reader, archimate_reader, archi_csv_reader)
    for suffix in module.SUFFIXES
}

#: Readers that recognise their input by content (``detect``) before the suffix is looked at: Archi's CSV
#: export as a folder, a zip or its elements.csv; an .xml in the ArchiMate exchange namespace.
DETECTED: tuple[ModuleType, ...] = (archi_csv_reader, archimate_reader)

#: Suffixes several readers share -> those readers; the content decides (each reader's ``is_document``).
BY_CONTENT: dict[str, tuple[ModuleType, ...]] = {".json": (cyclonedx_reader, softwarecatalogus_reader)}

#: Format name (``format=``) -> reader module.
FORMATS: dict[str, ModuleType] = {
    "csv": csv_reader,
    "xlsx": xlsx_reader,
    "cyclonedx": cyclonedx_reader,
    "softwarecatalogus": softwarecatalogus_reader,
    "archimate": archimate_reader,
    "archi-csv": archi_csv_reader,
}

# Formats people will try, with what to do instead.
_CONVERT_HINTS = {
    ".xls": "save the workbook from Excel as an Excel workbook (.xlsx)",
    ".ods": "save the spreadsheet from LibreOffice as .xlsx or CSV",
    ".numbers": "export the spreadsheet from Numbers as .xlsx or CSV",
    ".archimate": "export the model from Archi as an Open Exchange File (.xml), or as CSV (a folder or .zip)",
}


def read_inventory(path: Path, *, format: str | None = None) -> Inventory:
    """Read one inventory file with the reader for its suffix (and content), or the one ``format`` names."""
    return build_inventory([_read_table(path, format)])


def read_inventories(
    paths: Sequence[Path], *, format: str | None = None
) -> tuple[Inventory, tuple[InputFile, ...]]:
    """Read several inventory files into one inventory, and describe each file read.

    Rows that repeat an earlier row exactly, in the same file or an earlier one, are merged into it (and
    said so in a warning). Every file is read before errors are raised, so the user sees the problems of
    all files at once: one ``InputError`` alone, several together as ``InputErrors``. An unsupported suffix
    is reported before any file is read.
    """
    for path in paths:
        _reader_for(path, format, sniff=False)
    tables: list[Table | Document] = []
    errors: list[InputError] = []
    for path in paths:
        try:
            tables.append(_read_table(path, format))
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


def _read_table(path: Path, format: str | None = None) -> Table | Document:
    table: Table | Document = _reader_for(path, format).read_table(path)
    return table


def _reader_for(path: Path, format: str | None = None, *, sniff: bool = True) -> ModuleType:
    """The reader module for ``path``; a missing file or a directory is reported before its suffix.

    With ``sniff=False`` a suffix that several readers share is only checked, not looked into.
    """
    if format is not None:
        return _named_reader(format)
    for module in DETECTED:
        if module.detect(path):
            return module
    suffix = path.suffix.lower()
    if suffix in BY_CONTENT:
        return _detect_json(path, BY_CONTENT[suffix]) if sniff else BY_CONTENT[suffix][0]
    if suffix in READERS:
        return READERS[suffix]
    if not path.exists() or path.is_dir():
        read_file_bytes(path)  # raises the "no such file" / "is a directory" InputError
    accepted = ", ".join(sorted({*READERS, *BY_CONTENT}))
    what = f"'{path.suffix}'" if path.suffix else "(no suffix)"
    hint = _CONVERT_HINTS.get(suffix, f"save the inventory as {accepted}")
    raise UnsupportedFormatError(
        f"{path}: unsupported format {what}; sovereign reads {accepted}\nHint: {hint}"
    )


def _named_reader(format: str) -> ModuleType:
    if format in FORMATS:
        return FORMATS[format]
    raise UnsupportedFormatError(f"unknown format '{format}'; sovereign reads {', '.join(sorted(FORMATS))}")


def _detect_json(path: Path, candidates: tuple[ModuleType, ...]) -> ModuleType:
    """The candidate whose ``is_document`` accepts the file's parsed content."""
    value = read_json(path).value  # raises the InputError for a missing, too large or malformed file
    for module in candidates:
        if module.is_document(value):
            return module
    names = [name for name, module in FORMATS.items() if module in candidates]
    raise UnsupportedFormatError(
        f"{path}: sovereign reads {path.suffix} files as {' or '.join(names)}, and this is neither\n"
        'Hint: a CycloneDX BOM has "bomFormat": "CycloneDX", a Softwarecatalogus register export '
        '"components" with "objects"; to see what is missing, force one with format '
        + " or ".join(f"'{n}'" for n in names)
    )
