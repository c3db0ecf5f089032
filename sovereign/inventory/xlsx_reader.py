"""Reading an inventory from an Excel workbook (``.xlsx``, ``.xlsm``) with openpyxl.

Opens the workbook read-only with cached formula values, takes the first sheet that has an application
name column within its first rows (title rows above the header are common), turns cell values (numbers,
dates, booleans) into text, and hands the rows to ``_rows``; each row is located by sheet name and 1-based
Excel row. A damaged or foreign file becomes an ``InputError``: no ``zipfile``, openpyxl or XML exception
escapes. No enrichment, no network, no printing.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sovereign.errors import InputError
from sovereign.inventory import _headers
from sovereign.inventory._files import FileBytes, read_file_bytes
from sovereign.inventory._rows import (
    Record,
    Table,
    build_inventory,
    build_table,
    empty_file_error,
    is_blank,
    no_name_column_error,
)
from sovereign.model import Inventory, Location

__all__ = ["SUFFIXES", "read", "read_table"]

SUFFIXES = (".xlsx", ".xlsm")

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAVE_AGAIN = "open it in Excel or LibreOffice and save it again as an Excel workbook (.xlsx)"


def read(path: Path) -> Inventory:
    """Read one XLSX inventory workbook."""
    return build_inventory([read_table(path)])


def read_table(path: Path) -> Table:
    """Read a workbook's inventory sheet into its header and data rows, for ``_rows.build_inventory``."""
    file = read_file_bytes(path)
    if not file.data:
        raise empty_file_error(file.label)
    if file.data.startswith(_OLE_MAGIC):
        raise InputError(
            "not an XLSX workbook: it looks like an old .xls or a password-protected workbook",
            location=file.label,
            hint="save it from Excel as an Excel workbook (.xlsx), without a password",
        )
    workbook = _open_workbook(file)
    try:
        return _read_workbook(file, workbook)
    finally:
        workbook.close()


def _read_workbook(file: FileBytes, workbook: Any) -> Table:
    sheets: Sequence[Any] = workbook.worksheets
    skipped: list[str] = []
    probes: list[list[Record]] = []
    chosen: Any = None
    for sheet in sheets:
        probe = _sheet_records(file, sheet, limit=_headers.HEADER_SEARCH_ROWS)
        if _headers.find_header_row([r.cells for r in probe]) is not None:
            chosen = sheet
            break
        skipped.append(sheet.title)
        probes.append(probe)

    if chosen is None:
        first = next((r for probe in probes for r in probe if not is_blank(r.cells)), None)
        if first is None:
            raise empty_file_error(file.label)
        where = "" if len(skipped) == 1 else " on any sheet (" + ", ".join(f"'{s}'" for s in skipped) + ")"
        raise no_name_column_error(first.location, first.cells, where=where)

    warnings: list[str] = []
    if skipped:
        before = ", ".join(f"'{s}'" for s in skipped)
        warnings.append(
            f"{file.label}: read sheet '{chosen.title}'; no application name column on sheet {before}"
        )
    also = [
        sheet.title
        for sheet in sheets[len(skipped) + 1 :]
        if _headers.find_header_row(
            [r.cells for r in _sheet_records(file, sheet, limit=_headers.HEADER_SEARCH_ROWS)]
        )
        is not None
    ]
    if also:
        names = ", ".join(f"'{s}'" for s in also)
        warnings.append(
            f"{file.label}: sheet {names} also has an application name column but was not read; "
            "only the first such sheet is read"
        )

    records = _sheet_records(file, chosen)
    header_index = _headers.find_header_row([r.cells for r in records])
    if header_index is None:  # the probe found it, so the full read must too
        raise AssertionError(f"header vanished on sheet {chosen.title!r}")
    return build_table(f"{file.label}:{chosen.title}", file.sha256, records, header_index, warnings=warnings)


# ---------------------------------------------------------------------------------------------------------
# openpyxl boundary: every openpyxl call happens in the two functions below, inside the try.


def _open_workbook(file: FileBytes) -> Any:
    try:
        import openpyxl  # here: a CSV audit never pays for importing it

        return openpyxl.load_workbook(io.BytesIO(file.data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl lets zipfile, KeyError, XML and value errors through for damaged files
        raise _damaged(file, e) from e


def _sheet_records(file: FileBytes, sheet: Any, *, limit: int | None = None) -> list[Record]:
    """The sheet's rows from row 1, blank ones included; with ``limit``, stop after that many non-blank."""
    values: list[tuple[Any, ...]] = []
    seen = 0
    try:
        # A stored dimension can be wrong (some exporters write A1:A1); forget it and read what is there.
        sheet.reset_dimensions()
        for row in sheet.iter_rows(values_only=True):
            values.append(tuple(row))
            if limit is not None and any(v is not None and str(v).strip() for v in row):
                seen += 1
                if seen >= limit:
                    break
    except Exception as e:  # same as above: a damaged sheet XML surfaces only while iterating
        raise _damaged(file, e) from e
    return [
        Record(
            location=Location(path=file.label, sheet=sheet.title, line=number),
            cells=tuple(_cell_text(v) for v in row),
        )
        for number, row in enumerate(values, start=1)
    ]


def _damaged(file: FileBytes, error: Exception) -> InputError:
    if isinstance(error, zipfile.BadZipFile):
        why = "it is damaged or not an Excel file (not a valid ZIP archive)"
    else:
        detail = " ".join(str(error).split())[:80]
        why = f"it is damaged ({type(error).__name__}{': ' + detail if detail else ''})"
    return InputError(f"not a readable XLSX workbook: {why}", location=file.label, hint=_SAVE_AGAIN)


# ---------------------------------------------------------------------------------------------------------
# Cell values


def _cell_text(value: object) -> str:
    """A cell's value as the text a user sees in Excel, in a form ``_values`` can read.

    >>> _cell_text(1200.0), _cell_text(0.1 + 0.2), _cell_text(True), _cell_text(dt.datetime(2024, 5, 1))
    ('1200', '0.3', 'TRUE', '2024-05-01')
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):  # before int: bool is an int
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return f"{value:.15g}"  # Excel shows 15 significant digits
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
